"""The course's day6/child.py (二级子进程): the parent forks a child and waits for it; the
child forks a grandchild and exits at once; the grandchild, adopted, works beside the
parent and is never the parent's zombie.
Same output as `conform ref child` (docs/process-programs.md)."""
import os
import sys
import time


def say(line):
    # One write per line: the three processes share the pipe.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def adopted_from(parent):
    # Wait (2 s at most) until the middle child has exited and someone else adopted us.
    deadline = time.monotonic() + 2
    while os.getppid() == parent and time.monotonic() < deadline:
        time.sleep(0.005)
    return os.getppid()


pid = os.fork()
if pid == 0:
    middle = os.getpid()  # by the time the grandchild runs, its getppid() may be the adopter
    p = os.fork()
    if p == 0:
        reaper = adopted_from(middle)
        say("grandchild pid=%d adopted ppid=%d" % (os.getpid(), reaper))
        for i in range(3):
            time.sleep(0.1)
            say("grandchild work i=%d" % i)
        say("grandchild done")
        os._exit(0)
    else:
        say("middle pid=%d ppid=%d grandchild=%d" % (os.getpid(), os.getppid(), p))
        os._exit(0)
else:
    say("parent pid=%d child=%d" % (os.getpid(), pid))
    p, status = os.wait()  # at once: the middle child exits right after its fork
    say("reaped %d status %d" % (p, os.WEXITSTATUS(status)))
    for i in range(3):
        time.sleep(0.2)
        say("parent work i=%d" % i)
    say("parent done")
