"""BUG: exit("text") written by hand as print the text, then a normal end: the text goes
to standard output and the status is 0, where sys.exit("text") prints it on standard error
and ends with status 1. Symptom: exit status 0, `bye` on stdout, nothing on stderr."""
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
    print(text)  # BUG: sys.exit(text) would print on stderr and exit 1
    sys.exit(0)
os._exit(int(arg("--status") or 0))
