"""BUG: the orphan waits until its parent pid is 1, as "orphans are adopted by init" says;
but the nearest subreaper adopts it (systemd --user, a container's init, conform itself), so
its parent pid becomes that subreaper's and never 1. Symptom: after `parent exits`, no
`orphan pid=` line for 5 s (the reference's 2 s safety deadline, made longer here so that
the wait shows); it then prints the right adopter, 5 s late. Where pid 1 does adopt
orphans, it behaves as the reference."""
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
    deadline = time.monotonic() + 5  # not the bug: the safety deadline, so a run by hand ends
    while os.getppid() != 1 and time.monotonic() < deadline:  # BUG: should be `== parent`
        time.sleep(0.005)
    say("orphan pid=%d ppid=%d" % (os.getpid(), os.getppid()))
    time.sleep(0.3)
    say("orphan done")
    os._exit(0)
else:
    say("parent pid=%d child=%d" % (os.getpid(), pid))
    os.read(r, 1)
    say("parent exits")  # without waiting: the child is left an orphan
