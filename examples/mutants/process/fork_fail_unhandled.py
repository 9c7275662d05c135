"""BUG: os.fork() is called as if it could not fail: no try/except, so the first EAGAIN ends
the program with a traceback, its children never reaped by it and nothing said on stdout.
Symptom: no `fork failed` line; a BlockingIOError traceback on stderr."""
import errno
import os
import resource
import sys


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def arg(name, default):
    return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv[:-1] else default


most, nproc = arg("--max", 200), arg("--nproc", None)
if nproc is not None:
    if os.getuid() == 0:
        print("note: root is not held by RLIMIT_NPROC; only a pids cgroup stops its forks", file=sys.stderr)
    soft, hard = resource.getrlimit(resource.RLIMIT_NPROC)
    resource.setrlimit(resource.RLIMIT_NPROC, (nproc if hard < 0 else min(nproc, hard), hard))
r, w = os.pipe()  # the children wait on it until the parent closes its end
say("parent pid=%d max=%d" % (os.getpid(), most))
children, failure = [], None
while len(children) < most:
    pid = os.fork()  # BUG: fork can fail (EAGAIN); nothing catches it
    if pid == 0:
        os.close(w)
        os.read(r, 1)  # end of file: the parent let go
        os._exit(0)
    children.append(pid)
if failure is not None:
    say("fork failed after=%d errno=%s" % (len(children), errno.errorcode.get(failure.errno, failure.errno)))
    print("fork failed: %s" % failure, file=sys.stderr)
else:
    say("fork never failed after=%d" % len(children))
os.close(w)
for pid in children:
    os.waitpid(pid, 0)
say("reaped=%d" % len(children))
sys.exit(1 if failure is not None else 0)
