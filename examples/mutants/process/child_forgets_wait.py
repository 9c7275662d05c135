"""Mutant of examples/process/child.py (the double fork). Bug: the parent never waits for
the middle child. Symptom: no `reaped M status 0` line, and the middle child stays the
parent's zombie for the parent's whole life (about 0.6 s), which the double fork was meant
to prevent. The grandchild is adopted and reaped as in the reference."""
import os
import sys
import time


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


pid = os.fork()
if pid == 0:
    middle = os.getpid()
    p = os.fork()
    if p == 0:
        deadline = time.monotonic() + 2
        while os.getppid() == middle and time.monotonic() < deadline:
            time.sleep(0.005)
        say("grandchild pid=%d adopted ppid=%d" % (os.getpid(), os.getppid()))
        for i in range(3):
            time.sleep(0.1)
            say("grandchild work i=%d" % i)
        say("grandchild done")
        os._exit(0)
    say("middle pid=%d ppid=%d grandchild=%d" % (os.getpid(), os.getppid(), p))
    os._exit(0)
say("parent pid=%d child=%d" % (os.getpid(), pid))
# the forgotten os.wait() belonged here
for i in range(3):
    time.sleep(0.2)
    say("parent work i=%d" % i)
say("parent done")
