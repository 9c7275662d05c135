"""BUG: the parent forgets p.join() and reads the attributes "after join" while the child
still runs. Symptom: `after join name=Process-1 pid=C alive=True exitcode=None` where the
reference prints `alive=False exitcode=0` (the child's line and its 300 ms still come, and
the status is 0: multiprocessing joins the child at exit)."""
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
    # BUG: the p.join() belonged here
    show("after join", p)
