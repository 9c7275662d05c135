"""A child made by multiprocessing cannot read standard input: Process.start() gives it
/dev/null, so input() there fails with EOFError and the parent alone reads what is typed.
Same output as `conform ref no-stdin`."""
import multiprocessing
import sys
import time


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def read_line():
    try:
        return input()
    except EOFError:
        return "EOF"


def child():
    say("child read %s" % read_line())


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    time.sleep(0.3)
    p = multiprocessing.Process(target=child)
    p.start()
    p.join()
    say("parent read %s" % read_line())
