"""The 2020 course's file client, protocol v2.

    python3 examples/projects/ftp_client_v2.py

The same menu and typed commands as ftp_client.py; on the wire LIST, RETR NAME,
STOR NAME and EXIT, with OK / FAIL for a status and "##" at the end of the data.
"""
from socket import *
import sys
import time

ADDR = ('127.0.0.1', 8888)


class FTPClient:
    def __init__(self, sock):
        self.sock = sock

    def do_list(self):
        self.sock.send(b'LIST')
        result = self.sock.recv(128).decode()
        if result == 'OK':
            while True:
                data = self.sock.recv(4096).decode()
                if data.endswith('##'):
                    print(data[:-2])
                    break
                print(data)
        else:
            print('文件库为空')

    def do_retr(self, filename):
        self.sock.send(('RETR ' + filename).encode())
        result = self.sock.recv(128).decode()
        if result == 'OK':
            f = open(filename, 'wb')
            while True:
                data = self.sock.recv(1024)
                if data == b'##':
                    break
                f.write(data)
            f.close()
            print('下载完成', filename)
        else:
            print('该文件不存在')

    def do_stor(self, filename):
        try:
            f = open(filename, 'rb')
        except Exception:
            print('没有该文件')
            return
        filename = filename.split('/')[-1]
        self.sock.send(('STOR ' + filename).encode())
        result = self.sock.recv(128).decode()
        if result == 'OK':
            while True:
                data = f.read(1024)
                if not data:
                    break
                self.sock.send(data)
            f.close()
            time.sleep(0.1)
            self.sock.send(b'##')
            print('上传完成', filename)
        else:
            print('该文件已存在')

    def do_exit(self):
        self.sock.send(b'EXIT')
        self.sock.close()
        sys.exit('谢谢使用')


def main():
    sock = socket()
    sock.connect(ADDR)
    ftp = FTPClient(sock)
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
            ftp.do_retr(cmd.strip().split(' ')[-1])
        elif cmd[:3] == 'put':
            ftp.do_stor(cmd.strip().split(' ')[-1])
        elif cmd.strip() == 'quit':
            ftp.do_exit()
        else:
            print('请输入命令')


if __name__ == '__main__':
    main()
