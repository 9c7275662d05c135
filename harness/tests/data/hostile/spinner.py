"""Answers, and spins a core the whole time."""
import threading

import _echo


def spin():
    while True:
        pass


threading.Thread(target=spin, daemon=True).start()
_echo.serve()
