"""BUG: SIGCHLD set to SIG_DFL instead of SIG_IGN, since the default action of SIGCHLD is
"ignore": but only an explicit SIG_IGN tells the kernel to reap the children itself.
Symptom: each child is a zombie from its exit until the parent's wait (about 0.5 s);
the wait then reaps one and the parent prints `wait returned`, never `wait failed ECHILD`
(the first line still claims `sigchld=SIG_IGN`: the student believes it)."""
import os
import signal
import sys
import time


def say(line):
    # One write per line: parent and children share the pipe.
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


children = int(sys.argv[sys.argv.index("--children") + 1]) if "--children" in sys.argv[:-1] else 3

signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # BUG: the default is not SIG_IGN
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
