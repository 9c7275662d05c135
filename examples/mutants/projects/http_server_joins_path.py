"""BUG: the course's way to find the file, `self.dir + info`: the target is glued to ./static
as it came, so `/../secret.txt` (or `/%2e%2e/...` once unquoted) names a file outside the
root, and the server sends it. Otherwise the course-style server of
examples/projects/http_server.py.

    python3 examples/mutants/projects/http_server_joins_path.py
"""
import os
import sys
from urllib.parse import unquote

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'projects'))
from http_server import HTTPServer  # noqa: E402


class JoinsPath(HTTPServer):
    def find(self, info):
        path = unquote(info.split('?')[0])
        if path == '/':
            path = '/index.html'
        return self.dir + path     # BUG: nothing keeps the path under the root


if __name__ == '__main__':
    JoinsPath().serve_forever()
