"""The course's group chat room client, protocol v2: `LOGIN name` (asked again after
`FAIL`), then each line typed is sent as `CHAT name text` while a thread prints what the
room sends. `quit` (or the end of input) sends `EXIT name` and ends: nothing comes back.

    python3 examples/projects/chat_client_v2.py
"""
from socket import socket, AF_INET, SOCK_DGRAM
from threading import Thread

ADDR = ('127.0.0.1', 8888)


def receive(sock):
    while True:
        data, addr = sock.recvfrom(2048)
        print(data.decode().strip())


def main():
    sock = socket(AF_INET, SOCK_DGRAM)
    while True:
        try:
            name = input("name: ")
        except EOFError:
            return
        sock.sendto(("LOGIN " + name).encode(), ADDR)
        data, addr = sock.recvfrom(128)
        if data == b"OK":
            print("you are in the room")
            break
        print("refused:", data.decode())
    Thread(target=receive, args=(sock,), daemon=True).start()
    while True:
        try:
            content = input()
        except EOFError:
            content = "quit"
        if content.strip() == "quit":
            sock.sendto(("EXIT " + name).encode(), ADDR)
            break
        sock.sendto(("CHAT %s %s" % (name, content)).encode(), ADDR)


if __name__ == '__main__':
    main()
