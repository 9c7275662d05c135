"""BUG: the non-blocking mode never calls s.setblocking(False): accept blocks until a client
comes, so `accept would block` is never printed. Symptom: the first line after listening is
`accepted after_ms=N`, only once a client connects."""
import os
import sys
import time
from socket import socket


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def arg(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv[:-1] else default


def ms(since):
    return int((time.monotonic() - since) * 1000)


port = int(arg("--port", os.environ.get("PORT", 8888)))
mode = arg("--mode", "blocking")
s = socket()
s.setsockopt(1, 2, 1)            # SO_REUSEADDR
s.bind(("0.0.0.0", port))
s.listen(5)
say("listening on port %d" % port)

start = time.monotonic()
if mode == "nonblocking":
    pass  # BUG: s.setblocking(False) forgotten: accept blocks
    while True:
        try:
            c, addr = s.accept()
            break
        except BlockingIOError:
            say("accept would block after_ms=%d" % ms(start))
            time.sleep(0.1)
    c.setblocking(True)
elif mode == "timeout":
    s.settimeout(int(arg("--timeout-ms", 300)) / 1000)
    try:
        c, addr = s.accept()
    except TimeoutError:
        say("accept timed out after_ms=%d" % ms(start))
        sys.exit(0)
else:
    c, addr = s.accept()
say("accepted after_ms=%d" % ms(start))
start = time.monotonic()
data = c.recv(1024)
say("recv after_ms=%d data=%s" % (ms(start), data.decode().rstrip()))
