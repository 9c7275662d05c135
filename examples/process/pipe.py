"""The pipe (管道) of the course's IPC list, with multiprocessing.Pipe(): the child sends
three messages; the parent receives them, then EOFError once the child's end is closed
everywhere (the parent closes its own copy of it first).
Same output as `conform ref pipe` (docs/process-programs.md)."""
import multiprocessing
import os
import sys
import time
from multiprocessing import Pipe, Process


def say(line):
    # One write per line: parent and child share the pipe.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def child(parent_end, child_end):
    parent_end.close()  # the child does not use the parent's end
    say("child pid=%d ppid=%d" % (os.getpid(), os.getppid()))
    for i in range(1, 4):
        say("send msg=%d" % i)
        child_end.send(str(i))
        time.sleep(0.1)


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    parent_end, child_end = Pipe()
    p = Process(target=child, args=(parent_end, child_end))
    p.start()
    say("parent pid=%d child=%d" % (os.getpid(), p.pid))
    child_end.close()  # or recv() never sees the end
    while True:
        try:
            msg = parent_end.recv()
        except EOFError:
            say("recv EOF")
            break
        say("recv msg=%s" % msg)
    p.join()
    say("reaped %d status %d" % (p.pid, p.exitcode))
