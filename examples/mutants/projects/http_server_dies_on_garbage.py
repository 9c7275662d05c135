"""BUG: the course's parse, `request.splitlines()[0].decode().split(' ')[1]`, with no check:
a request that is not HTTP (no space in its first line, bytes that are not UTF-8) raises in
the select loop, and the server is gone for everyone. Otherwise the course-style server of
examples/projects/http_server.py.

    python3 examples/mutants/projects/http_server_dies_on_garbage.py
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'projects'))
from http_server import HTTPServer  # noqa: E402


class DiesOnGarbage(HTTPServer):
    def dispatch(self, connfd, line):
        info = line.decode().split(' ')[1]      # BUG: IndexError, UnicodeDecodeError
        method = line.decode().split(' ')[0]
        super().dispatch(connfd, ('%s %s HTTP/1.1' % (method, info)).encode())


if __name__ == '__main__':
    DiesOnGarbage().serve_forever()
