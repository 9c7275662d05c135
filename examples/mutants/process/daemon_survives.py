"""Mutant of examples/process/daemon.py. Bug: the child is marked daemon, but the program
ends with os._exit(0), which skips multiprocessing's exit handler, the one that terminates
daemon children. Symptom: `daemon tick` lines go on after `parent exits`, from a process of
the tree still running (adopted) after the parent has exited. It ticks 2 s in all, then
ends, so a run by hand leaves nothing behind for long."""
import multiprocessing
import os
import sys
import time
from multiprocessing import Process


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def tick():
    say("daemon pid=%d ppid=%d" % (os.getpid(), os.getppid()))
    for n in range(20):
        say("daemon tick n=%d" % n)
        time.sleep(0.1)


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    say("parent pid=%d" % os.getpid())
    p = Process(target=tick)
    p.daemon = True
    p.start()
    say("started name=%s pid=%d daemon=%s" % (p.name, p.pid, p.daemon))
    time.sleep(0.35)
    say("parent exits")
    os._exit(0)  # skips the clean-up that terminates daemon children
