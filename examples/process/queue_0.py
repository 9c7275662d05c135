"""The course's day7/queue_0.py (named so, not queue.py, which would hide the standard
module `queue` that multiprocessing imports): the parent puts, the child gets; a blocking
get() waits for the put; get(timeout=0.3) on an empty queue raises Empty after about 0.3 s.
Same output as `conform ref queue` (docs/process-programs.md)."""
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
        msg = q.get(timeout=0.3)
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
