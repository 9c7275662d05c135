"""BUG: the parent forgets to close its copy of the child's end of the Pipe, so that end is
never closed everywhere and recv() never sees end of file. Symptom: the three `recv msg=`
lines, then nothing: no `recv EOF` and no `reaped`; the child exits and stays a zombie while
the parent waits forever in recv() (stop it with Ctrl-C when run by hand)."""
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
    # BUG: the child_end.close() belonged here: the parent's copy keeps the end open
    while True:
        try:
            msg = parent_end.recv()
        except EOFError:
            say("recv EOF")
            break
        say("recv msg=%s" % msg)
    p.join()
    say("reaped %d status %d" % (p.pid, p.exitcode))
