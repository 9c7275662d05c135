"""The course's day5/exit.py: os._exit(status) ends the process at once with that status;
sys.exit("text") prints the text on stderr and ends with status 1.
`--status N` or `--text T`. Same output as `conform ref exit` (docs/process-programs.md)."""
import os
import sys


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def arg(name):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv[:-1] else None


say("exiting pid=%d" % os.getpid())
text = arg("--text")
if text is not None:
    sys.exit(text)
os._exit(int(arg("--status") or 0))
say("not reached")  # the process has ended
