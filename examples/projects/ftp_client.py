"""The course's file client (ftp 文件服务器, day9/ftp, 客户端), protocol v1.

    python3 examples/projects/ftp_client.py

Connects to the hard-coded 127.0.0.1:8888, prints the menu of commands before each
command (使用print在客户端打印命令输入提示,引导操作) and reads the commands from stdin:

    list           L         prints the names (or the server's refusal)
    get NAME       G NAME    saves the bytes up to "##" as NAME here
    put PATH       P NAME    sends the file's bytes, then "##" as its own send
    quit           Q         exits
"""
from socket import *
import sys
import time

ADDR = ('127.0.0.1', 8888)


class FtpClient:
    def __init__(self, sockfd):
        self.sockfd = sockfd

    def do_list(self):
        self.sockfd.send(b'L')
        data = self.sockfd.recv(128).decode()
        if data == 'OK':
            data = self.sockfd.recv(4096)
            print(data.decode())
        else:
            print(data)

    def do_get(self, filename):
        self.sockfd.send(('G ' + filename).encode())
        data = self.sockfd.recv(128).decode()
        if data == 'OK':
            fd = open(filename, 'wb')
            while True:
                data = self.sockfd.recv(1024)
                if data == b'##':
                    break
                fd.write(data)
            fd.close()
            print('下载完成', filename)
        else:
            print(data)

    def do_put(self, filename):
        try:
            f = open(filename, 'rb')
        except IOError:
            print('没有该文件')
            return
        filename = filename.split('/')[-1]
        self.sockfd.send(('P ' + filename).encode())
        data = self.sockfd.recv(128).decode()
        if data == 'OK':
            while True:
                data = f.read(1024)
                if not data:
                    time.sleep(0.1)
                    self.sockfd.send(b'##')
                    break
                self.sockfd.send(data)
            f.close()
            print('上传完成', filename)
        else:
            print(data)

    def do_quit(self):
        self.sockfd.send(b'Q')
        self.sockfd.close()
        sys.exit('谢谢使用')


def main():
    sockfd = socket()
    try:
        sockfd.connect(ADDR)
    except Exception as e:
        print(e)
        return
    ftp = FtpClient(sockfd)
    while True:
        print('\n=========命令选项==========')
        print('****       list        ****')
        print('****     get file      ****')
        print('****     put file      ****')
        print('****       quit        ****')
        print('===========================')
        cmd = input('输入命令:')
        if cmd.strip() == 'list':
            ftp.do_list()
        elif cmd[:3] == 'get':
            filename = cmd.strip().split(' ')[-1]
            ftp.do_get(filename)
        elif cmd[:3] == 'put':
            filename = cmd.strip().split(' ')[-1]
            ftp.do_put(filename)
        elif cmd.strip() == 'quit':
            ftp.do_quit()
        else:
            print('请输入正确命令')


if __name__ == '__main__':
    main()
