"""The course's group chat room server (群聊聊天室), protocol v1, as the course writes it.

    python3 examples/projects/chat_server.py

UDP on 0.0.0.0:8888, hard-coded; a dict name -> address. Requests: `L name`, `C name text`,
`Q name`. A forked child reads the admin's announcements from stdin and sends each to the
server itself as `C 管理员消息 text`, so everyone gets `管理员消息 : text`. At the end of that
input the child ends and the room goes on. SIGCHLD is ignored, so the child is reaped.
"""
from socket import socket, AF_INET, SOCK_DGRAM
import os
import signal

ADDR = ('0.0.0.0', 8888)
user = {}          # name -> address


def do_login(s, name, addr):
    if name in user or '管理员' in name:
        s.sendto("该用户已存在".encode(), addr)
        return
    s.sendto(b'OK', addr)
    msg = "\n欢迎%s进入聊天室" % name          # to everyone already in
    for i in user:
        s.sendto(msg.encode(), user[i])
    user[name] = addr


def do_chat(s, name, text):
    msg = "\n%s : %s" % (name, text)
    for i in user:
        if i != name:
            s.sendto(msg.encode(), user[i])


def do_quit(s, name, addr):
    if name not in user:         # not in the room: nothing to announce
        s.sendto(b'EXIT', addr)
        return
    msg = "\n%s 退出了聊天室" % name
    for i in user:
        if i != name:
            s.sendto(msg.encode(), user[i])
        else:
            s.sendto(b'EXIT', user[i])
    del user[name]


def do_request(s):
    while True:
        data, addr = s.recvfrom(1024)
        tmp = data.decode().split(' ', 2)
        if tmp[0] == 'L' and len(tmp) > 1:
            do_login(s, tmp[1], addr)
        elif tmp[0] == 'C' and len(tmp) > 2:
            do_chat(s, tmp[1], tmp[2])
        elif tmp[0] == 'Q' and len(tmp) > 1:
            do_quit(s, tmp[1], addr)


def main():
    s = socket(AF_INET, SOCK_DGRAM)
    s.bind(ADDR)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    pid = os.fork()
    if pid < 0:
        return
    elif pid == 0:
        # The admin: each line typed goes to the room through the server itself.
        while True:
            try:
                msg = input("管理员消息:")
            except EOFError:
                os._exit(0)
            msg = "C 管理员消息 " + msg
            s.sendto(msg.encode(), ADDR)
    else:
        do_request(s)


if __name__ == '__main__':
    main()
