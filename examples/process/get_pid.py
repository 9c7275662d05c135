"""The course's day5/get_pid.py: getpid() and getppid() in parent and child.
Same output as `conform ref get-pid` (docs/process-programs.md)."""
import os
import sys
import time


def say(line):
    # One write per line: parent and child share the pipe.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


pid = os.fork()
if pid == 0:
    say("child pid=%d ppid=%d" % (os.getpid(), os.getppid()))
    time.sleep(0.2)
    os._exit(0)
else:
    say("parent pid=%d ppid=%d child=%d" % (os.getpid(), os.getppid(), pid))
    p, status = os.waitpid(pid, 0)
    say("reaped %d status %d" % (p, os.WEXITSTATUS(status)))
