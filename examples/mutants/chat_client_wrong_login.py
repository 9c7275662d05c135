"""Mutant: a chat client that logs in with the bare name, without the `L` command."""
from socket import socket, AF_INET, SOCK_DGRAM
import sys

ADDR = ('127.0.0.1', 8888)
s = socket(AF_INET, SOCK_DGRAM)
name = input("name: ").strip()
s.sendto(name.encode(), ADDR)
data, addr = s.recvfrom(1024)
print(data.decode())
for line in sys.stdin:
    s.sendto(("C %s %s" % (name, line.strip())).encode(), ADDR)
