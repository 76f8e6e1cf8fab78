"""Database reads of the realtime layer run on its own threads (never a request's), each thread
keeping one connection. After the database restarts that connection is dead: a read that fails
on it closes it and runs once more on a fresh one, so the layer recovers by itself."""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import InterfaceError, OperationalError
from django.db import connection as db_connection

T = TypeVar("T")


def with_fresh_connection(fn: Callable[..., T], *args: object, **kwargs: object) -> T:
    try:
        return fn(*args, **kwargs)
    except (OperationalError, InterfaceError):
        db_connection.close()  # the database restarted (or the connection broke): one retry on a new one
        return fn(*args, **kwargs)
