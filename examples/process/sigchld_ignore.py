"""The course's signal.signal(SIGCHLD, SIG_IGN): the system reaps every child, the parent
never blocks, no zombie; wait() then has nothing to collect (ECHILD). `--children N`.
Same output as `conform ref sigchld-ignore` (docs/process-programs.md)."""
import os
import signal
import sys
import time


def say(line):
    # One write per line: parent and children share the pipe.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


children = int(sys.argv[sys.argv.index("--children") + 1]) if "--children" in sys.argv[:-1] else 3

signal.signal(signal.SIGCHLD, signal.SIG_IGN)
say("parent pid=%d sigchld=SIG_IGN" % os.getpid())
for _ in range(children):
    pid = os.fork()
    if pid == 0:
        say("child pid=%d ppid=%d" % (os.getpid(), os.getppid()))
        os._exit(0)
    say("parent pid=%d child=%d" % (os.getpid(), pid))
time.sleep(0.5)  # the children exit meanwhile, and are gone at once
try:
    os.wait()
    say("wait returned")
except ChildProcessError:
    say("wait failed ECHILD")
say("parent done")
