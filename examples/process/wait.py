"""The course's day6/wait.py: os.wait() blocks the parent until the child exits and gives
its PID and status; no zombie lasts. `--status N` (default 3).
Same output as `conform ref wait` (docs/process-programs.md)."""
import os
import sys
import time


def say(line):
    # One write per line: parent and child share the pipe.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


status_arg = int(sys.argv[sys.argv.index("--status") + 1]) if "--status" in sys.argv[:-1] else 3

pid = os.fork()
if pid == 0:
    say("child pid=%d ppid=%d" % (os.getpid(), os.getppid()))
    time.sleep(0.3)
    os._exit(status_arg)
else:
    say("parent pid=%d child=%d" % (os.getpid(), pid))
    p, status = os.wait()
    say("reaped %d status %d" % (p, os.WEXITSTATUS(status)))
    time.sleep(0.3)
