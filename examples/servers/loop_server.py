"""The course's loop server (循环服务器模型): one client at a time; the next one is served
when the current one has left.

    python3 examples/servers/loop_server.py [PORT [REPLY]]

Echoes each message, or sends REPLY (e.g. OK) for each one if given. Port 8888 by default.
"""
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

while True:
    c, addr = s.accept()
    print("connect from", addr)
    while True:
        try:
            data = c.recv(1024)
            if not data:
                break
            c.send(REPLY or data)
        except OSError:          # the client reset the connection
            break
    c.close()
