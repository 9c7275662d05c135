"""BUG: the loop server has no outer loop around accept(): it accepts one client, serves it
until it leaves, and the program ends. Symptom: the first client is served; the next
connection is refused (nobody listens any more)."""
import sys
from socket import socket, SOL_SOCKET, SO_REUSEADDR

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 8888
REPLY = sys.argv[2].encode() if len(sys.argv) > 2 else None
ADDR = ('0.0.0.0', PORT)

s = socket()
s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
s.bind(ADDR)
s.listen(5)
print("listening on port", PORT, flush=True)

c, addr = s.accept()             # BUG: `while True:` missing around the accept and the serving
print("connect from", addr)
while True:
    try:
        data = c.recv(1024)
        if not data:
            break
        c.send(REPLY or data)
    except OSError:              # the client reset the connection
        break
c.close()
