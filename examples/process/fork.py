"""The course's fork (day5/fork.py): fork returns twice, the child's PID in the parent and 0
in the child; each has its own copy of `a`, so the child's change is not the parent's.
Same output as `conform ref fork` (docs/process-programs.md)."""
import os
import sys
import time


def say(line):
    # One write per line: parent and child share the pipe, and print() writes the text and
    # the newline separately, so their lines could interleave.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


a = 1
pid = os.fork()  # Python raises OSError where C's fork returns a negative value
if pid == 0:
    a = 10000  # the child's copy only
    say("child pid=%d ppid=%d" % (os.getpid(), os.getppid()))
    say("child a=%d" % a)
    time.sleep(0.2)
    os._exit(0)
else:
    say("parent pid=%d child=%d" % (os.getpid(), pid))
    p, status = os.waitpid(pid, 0)  # the child has changed its `a` by now
    say("reaped %d status %d" % (p, os.WEXITSTATUS(status)))
    say("parent a=%d" % a)
