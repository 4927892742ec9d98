"""A store used from two threads, one call at a time: the app's event loop and its store thread.

The app does its slow store work (opening a team store, saving, reading a checklist) in a thread
of its own so that the screen never waits on the disk or the network; a few quick reads stay on
the event loop. Neither a SQLite connection nor a PostgreSQL one may run two transactions at once,
so every call goes through one lock: a call waits for the one before it to finish, never
interleaves with it. `batch()` holds the lock for its whole block (an import's many changes).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_OWN = ("_store", "_lock")


class LockedStore:
    """Wraps a ProgressStore; reads and sets of its attributes pass through, calls take the lock."""

    def __init__(self, store: Any) -> None:
        object.__setattr__(self, "_store", store)
        object.__setattr__(self, "_lock", threading.RLock())

    @property
    def unwrapped(self) -> Any:
        return self._store

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._store, name)
        if name == "batch":
            return self._batch(value)
        if getattr(value, "__self__", None) is not self._store:
            return value  # not one of the store's methods: data (its connection too) passes as it is
        lock = self._lock

        @functools.wraps(value)
        def locked(*args: Any, **kwargs: Any) -> Any:
            with lock:
                return value(*args, **kwargs)

        return locked

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _OWN:
            object.__setattr__(self, name, value)
        else:
            setattr(self._store, name, value)  # a setting of the store (tests shorten its retry delay)

    def _batch(self, batch: Any) -> Any:
        lock = self._lock

        @contextmanager
        def locked_batch() -> Iterator[None]:
            with lock, batch():
                yield

        return locked_batch
