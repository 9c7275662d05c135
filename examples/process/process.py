"""The course's day7/process_attr.py: a Process object's name, pid, is_alive() and exitcode
before start(), while the child runs, and after join().
Same output as `conform ref process` (docs/process-programs.md)."""
import multiprocessing
import os
import sys
import time
from multiprocessing import Process, current_process


def say(line):
    # One write per line: parent and child share the pipe.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def tm():
    say("child name=%s pid=%d ppid=%d" % (current_process().name, os.getpid(), os.getppid()))
    time.sleep(0.3)


def show(when, p):
    say("%s name=%s pid=%s alive=%s exitcode=%s" % (when, p.name, p.pid, p.is_alive(), p.exitcode))


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    say("parent pid=%d" % os.getpid())
    p = Process(target=tm)
    show("before start", p)
    p.start()
    show("after start", p)
    p.join()
    show("after join", p)
