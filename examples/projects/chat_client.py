"""The course's group chat room client, protocol v1: a name (asked again while the server
refuses it), then a forked child sends each line typed as `C name text` while the parent
prints what the room sends. `quit` (or the end of input) sends `Q name`; the parent ends
when the server answers `EXIT`.

    python3 examples/projects/chat_client.py
"""
from socket import socket, AF_INET, SOCK_DGRAM
import os
import sys

ADDR = ('127.0.0.1', 8888)


def send_msg(s, name):
    while True:
        try:
            text = input("发言:")
        except (KeyboardInterrupt, EOFError):
            text = 'quit'
        if text.strip() == 'quit':
            s.sendto(("Q " + name).encode(), ADDR)
            os._exit(0)
        s.sendto(("C %s %s" % (name, text)).encode(), ADDR)


def recv_msg(s):
    while True:
        data, addr = s.recvfrom(2048)
        if data.decode() == 'EXIT':
            print("退出聊天室")
            sys.exit()
        print(data.decode().strip())


def main():
    s = socket(AF_INET, SOCK_DGRAM)
    while True:
        try:
            name = input("请输入姓名:")
        except EOFError:
            return
        s.sendto(("L " + name).encode(), ADDR)
        data, addr = s.recvfrom(1024)
        if data.decode() == 'OK':
            print("您已进入聊天室")
            break
        else:
            print(data.decode())
    pid = os.fork()
    if pid < 0:
        sys.exit("Error!")
    elif pid == 0:
        send_msg(s, name)
    else:
        recv_msg(s)


if __name__ == '__main__':
    main()
