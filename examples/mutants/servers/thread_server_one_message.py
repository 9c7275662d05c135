"""BUG: the per-client handler has no loop: it reads one message, answers it and closes
the connection. Symptom: the first message comes back; the second gets no answer, the
client sees end of file (or a reset) instead."""
import sys
from socket import socket, SOL_SOCKET, SO_REUSEADDR
from threading import Thread

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 8888
REPLY = sys.argv[2].encode() if len(sys.argv) > 2 else None
ADDR = ('0.0.0.0', PORT)


def handle(c):
    try:                         # BUG: `while True:` missing: one recv and one send per client
        data = c.recv(1024)
        if data:
            c.send(REPLY or data)
    except OSError:              # the client reset the connection
        pass
    c.close()                    # and the thread ends here


s = socket()
s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
s.bind(ADDR)
s.listen(5)
print("listening on port", PORT, flush=True)

while True:
    c, addr = s.accept()
    print("connect from", addr, flush=True)
    t = Thread(target=handle, args=(c,))
    t.daemon = True              # the course's setDaemon(True)
    t.start()
