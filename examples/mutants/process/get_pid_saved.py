"""BUG: the pid is read once, before the fork, and printed by both branches: os.getpid()
is a call to make in each process, not a value to keep, and a forked child has its own pid.
Symptom: `child pid=P ppid=P` with P the parent's pid (the child names its parent as
itself) instead of `child pid=C ppid=P`, C being what fork returned to the parent."""
import os
import sys
import time


def say(line):
    # One write per line: parent and child share the pipe.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


me = os.getpid()  # BUG: taken before the fork, so the child's copy is the parent's pid
pid = os.fork()
if pid == 0:
    say("child pid=%d ppid=%d" % (me, os.getppid()))
    time.sleep(0.2)
    os._exit(0)
else:
    say("parent pid=%d ppid=%d child=%d" % (me, os.getppid(), pid))
    p, status = os.waitpid(pid, 0)
    say("reaped %d status %d" % (p, os.WEXITSTATUS(status)))
