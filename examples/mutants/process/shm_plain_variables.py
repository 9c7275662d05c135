"""BUG: plain Python objects (an int and a list) instead of multiprocessing.Value and
Array: after the fork each process has its own copy, so what the child writes stays in the
child. Symptom: `child wrote value=42 array=1,2,3`, then `parent read value=0 array=0,0,0`
where the reference reads 42 and 1,2,3."""
import multiprocessing
import os
import sys
from multiprocessing import Process


def say(line):
    # One write per line: parent and child share the pipe.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


value = 0
array = [0, 0, 0]  # BUG: with `value` above, ordinary memory, copied by the fork, not shared


def show():
    return "value=%d array=%s" % (value, ",".join(str(x) for x in array[:]))


def child():
    global value
    say("child pid=%d ppid=%d" % (os.getpid(), os.getppid()))
    value = 42
    for i in range(3):
        array[i] = i + 1
    say("child wrote %s" % show())


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    say("before %s" % show())
    p = Process(target=child)
    p.start()
    say("parent pid=%d child=%d" % (os.getpid(), p.pid))
    p.join()
    say("reaped %d status %d" % (p.pid, p.exitcode))
    say("parent read %s" % show())
