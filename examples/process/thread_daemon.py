"""The course's t.daemon = True (day8/thread_attr.py): after the main thread's last
statement the program waits for the non-daemon thread, not for the daemon one, which ends
with the process. Same output as `conform ref thread-daemon` (docs/process-programs.md)."""
import os
import sys
import time
from threading import Thread


def say(line):
    # One write per line: the threads share standard output.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def forever():
    while True:
        time.sleep(0.1)


def work():
    time.sleep(0.5)
    say("worker done")


say("main pid=%d" % os.getpid())
d = Thread(target=forever, name="daemon", daemon=True)
d.start()
say("started name=%s daemon=%s" % (d.name, d.daemon))
w = Thread(target=work, name="worker")
w.start()
say("started name=%s daemon=%s" % (w.name, w.daemon))
say("main done")
