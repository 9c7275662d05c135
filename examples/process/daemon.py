"""The course's p.daemon = True: a daemon child ends when the parent does; it is not joined.
At exit, multiprocessing terminates it and reaps it: nothing outlives the parent.
Same output as `conform ref daemon` (docs/process-programs.md)."""
import multiprocessing
import os
import sys
import time
from multiprocessing import Process


def say(line):
    # One write per line: parent and child share the pipe.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def tick():
    say("daemon pid=%d ppid=%d" % (os.getpid(), os.getppid()))
    n = 0
    while True:  # would run forever
        say("daemon tick n=%d" % n)
        n += 1
        time.sleep(0.1)


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    say("parent pid=%d" % os.getpid())
    p = Process(target=tick)
    p.daemon = True  # before start()
    p.start()
    say("started name=%s pid=%d daemon=%s" % (p.name, p.pid, p.daemon))
    time.sleep(0.35)
    say("parent exits")  # no join: multiprocessing's exit handler terminates the child
