"""BUG: the course's `get_data`: a request that is not for a page (not `/`, not `*.html`) gets
`200 OK` and a placeholder ("Waiting for httpserver 3.0"), whatever it asked for: a missing
/favicon.ico is not a 404, and a stylesheet or a picture never comes. Otherwise the
course-style server of examples/projects/http_server.py.

    python3 examples/mutants/projects/http_server_data_placeholder.py
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'projects'))
from http_server import HTTPServer  # noqa: E402


class DataPlaceholder(HTTPServer):
    def dispatch(self, connfd, line):
        parts = line.decode('latin-1').split(' ')
        info = parts[1] if len(parts) == 3 else '/'
        if info == '/' or info.endswith('.html'):
            super().dispatch(connfd, line)
        else:
            # BUG: not a page: the same placeholder, 200 OK, for every such request
            self.answer(connfd, '200 OK', body=b'<h1>Waiting for httpserver 3.0</h1>')


if __name__ == '__main__':
    DataPlaceholder().serve_forever()
