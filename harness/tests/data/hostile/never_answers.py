"""Accepts and reads, and never answers."""
import time

import _echo


def never(data):
    time.sleep(3600)


_echo.serve(answer=never)
