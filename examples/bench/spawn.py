"""Creating threads or processes, one after another (claims thread.lightweight,
pt.differences).

    python3 spawn.py thread|process COUNT

Starts COUNT threads (threading.Thread) or processes (multiprocessing.Process), each doing
nothing, and joins each before the next. Timed twice with `conform bench procs --cmd`, the
difference per item is the creation cost.
"""
import sys
import threading
from multiprocessing import Process


def nothing():
    pass


def main():
    kind, count = sys.argv[1], int(sys.argv[2])
    make = threading.Thread if kind == "thread" else Process
    for _ in range(count):
        w = make(target=nothing)
        w.start()
        w.join()


if __name__ == "__main__":
    main()
