"""Answers, and prints without end."""
import sys
import threading

import _echo


def flood():
    line = "x" * 200 + "\n"
    while True:
        sys.stdout.write(line)


threading.Thread(target=flood, daemon=True).start()
_echo.serve()
