"""The course's orphan (孤儿进程): the parent exits first; the child is adopted by a system
process (init or the nearest subreaper), which reaps it when it exits.
Same output as `conform ref orphan` (docs/process-programs.md)."""
import os
import sys
import time


def say(line):
    # One write per line: parent and child share the pipe.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


r, w = os.pipe()  # the parent leaves only once the child has said its first line
pid = os.fork()
if pid == 0:
    parent = os.getppid()
    say("child pid=%d ppid=%d" % (os.getpid(), parent))
    os.write(w, b".")
    deadline = time.monotonic() + 2
    while os.getppid() == parent and time.monotonic() < deadline:
        time.sleep(0.005)
    say("orphan pid=%d ppid=%d" % (os.getpid(), os.getppid()))
    time.sleep(0.3)
    say("orphan done")
    os._exit(0)
else:
    say("parent pid=%d child=%d" % (os.getpid(), pid))
    os.read(r, 1)
    say("parent exits")  # without waiting: the child is left an orphan
