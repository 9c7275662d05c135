"""BUG: the parent calls p.run() instead of p.start(): run() is an ordinary method call,
so it runs in the parent and no child is ever made. Symptom: `run pid=P ppid=G value=2`
with the parent's own pid, then `run step=1`, `run step=2` from the parent; the pid of the
never-started process is None, so printing `started ... pid=%d` fails with a TypeError
(status 1): no `started` and no `joined` line, one process in the tree."""
import multiprocessing
import os
import sys
import time
from multiprocessing import Process


def say(line):
    # One write per line: parent and child share the pipe.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


class MyProcess(Process):
    def __init__(self, value):
        self.value = value
        super().__init__()

    def f1(self):
        say("run step=1")

    def f2(self):
        say("run step=2")

    def run(self):
        say("run pid=%d ppid=%d value=%d" % (os.getpid(), os.getppid(), self.value))
        self.f1()
        self.f2()
        time.sleep(0.2)


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    say("parent pid=%d" % os.getpid())
    p = MyProcess(2)
    p.run()  # BUG: start() makes the child that calls run(); run() itself runs right here
    say("started name=%s pid=%d" % (p.name, p.pid))
    p.join()
    say("joined pid=%d exitcode=%d" % (p.pid, p.exitcode))
