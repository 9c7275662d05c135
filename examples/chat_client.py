"""A course-style chat room client (UDP, protocol v1): asks for a name, logs in with
`L name`, then sends each line typed as `C name text` and prints what the server sends."""
from socket import socket, AF_INET, SOCK_DGRAM
import sys
import threading

ADDR = ('127.0.0.1', 8888)

s = socket(AF_INET, SOCK_DGRAM)
name = input("name: ").strip()
s.sendto(("L " + name).encode(), ADDR)
data, addr = s.recvfrom(1024)
if data.decode() != "OK":
    print("refused:", data.decode())
    sys.exit(1)
print("you are in the room")


def receive():
    while True:
        data, addr = s.recvfrom(1024)
        print(data.decode())


threading.Thread(target=receive, daemon=True).start()
for line in sys.stdin:
    text = line.strip()
    if text == "quit":
        s.sendto(("Q " + name).encode(), ADDR)
        break
    s.sendto(("C %s %s" % (name, text)).encode(), ADDR)
