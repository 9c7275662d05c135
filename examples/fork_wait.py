"""The course's fork and wait: the child prints and exits; the parent waits for it, so the
child is a zombie only until the parent's wait() collects its status."""
import os
import time

pid = os.fork()
if pid < 0:
    print("fork failed")
elif pid == 0:
    print("child pid=%d ppid=%d" % (os.getpid(), os.getppid()))
    os._exit(3)
else:
    print("parent pid=%d child=%d" % (os.getpid(), pid))
    time.sleep(0.3)          # the child is a zombie meanwhile
    p, status = os.wait()
    print("reaped %d status %d" % (p, os.WEXITSTATUS(status)))
    time.sleep(0.5)          # no zombie any more
