"""BUG: every thread is made a daemon, the worker too: the program ends right after the
main thread's last statement and takes the worker with it. Symptom: `main done`, then the
exit, and never `worker done`."""
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
w = Thread(target=work, name="worker", daemon=True)  # BUG: a worker must not be a daemon
w.start()
say("started name=%s daemon=%s" % (w.name, w.daemon))
say("main done")
