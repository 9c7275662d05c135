"""BUG: the last get is written get(block=False, timeout=0.3), as if the timeout still
applied; with block=False it is ignored and get raises Empty at once if the queue is empty.
Symptom: `empty timeout_ms=300 waited_ms=0` where the reference waited about 300 ms."""
import multiprocessing
import os
import sys
import time
from multiprocessing import Process, Queue
from queue import Empty


def say(line):
    # One write per line: parent and child share the pipe.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def ms(since):
    return int((time.monotonic() - since) * 1000)


def child(q):
    say("child pid=%d ppid=%d" % (os.getpid(), os.getppid()))
    say("get blocks")
    for _ in range(3):
        start = time.monotonic()
        msg = q.get()
        say("got msg=%s waited_ms=%d" % (msg, ms(start)))
    start = time.monotonic()
    try:
        msg = q.get(block=False, timeout=0.3)  # BUG: with block=False the timeout is ignored
        say("got msg=%s waited_ms=%d" % (msg, ms(start)))
    except Empty:
        say("empty timeout_ms=300 waited_ms=%d" % ms(start))


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    q = Queue()
    p = Process(target=child, args=(q,))
    p.start()
    say("parent pid=%d child=%d" % (os.getpid(), p.pid))
    time.sleep(0.3)  # the child's first get blocks meanwhile
    for msg in ("1", "2", "3"):
        q.put(msg)
        say("put msg=%s" % msg)
    p.join()
    say("reaped %d status %d" % (p.pid, p.exitcode))
