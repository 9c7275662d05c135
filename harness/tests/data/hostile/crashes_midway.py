"""Answers the first message, then dies."""
import os

import _echo


def die_after_first(n):
    if n == 2:
        os._exit(3)


_echo.serve(on_message=die_after_first)
