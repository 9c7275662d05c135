"""The course's fork and wait: the child prints and exits; the parent waits for it, so the
child is a zombie only until the parent's wait() collects its status."""
import os
import sys
import time


def say(line):
    # One write per line: parent and child share the pipe, and print() writes the text and
    # the newline separately, so their lines could interleave.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


pid = os.fork()
if pid < 0:
    say("fork failed")
elif pid == 0:
    say("child pid=%d ppid=%d" % (os.getpid(), os.getppid()))
    os._exit(3)
else:
    say("parent pid=%d child=%d" % (os.getpid(), pid))
    time.sleep(0.3)          # the child is a zombie meanwhile
    p, status = os.wait()
    say("reaped %d status %d" % (p, os.WEXITSTATUS(status)))
    time.sleep(0.5)          # no zombie any more
