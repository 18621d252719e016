"""Keeping a process's long-lived memos out of the cyclic garbage collector.

A server process keeps each year's computation, published versions and rendered tables for as
long as they are current (kaohe.results.stored, kaohe.results.selectors, kaohe.core.fragments):
hundreds of thousands of objects. Every full collection then walks them all, for nothing (they
are reachable, and hold no cycles to free), which cost a heavy page more than its template did
(issue 15). A server process (kaohe/wsgi.py) sets `FREEZE`; then, once a memo has taken in a new
large value, `settled()` collects and freezes what is alive (gc.freeze: out of the collector's
generations, still freed by reference counting as usual). What would leak is only cyclic garbage
among the objects alive at that moment: once per new version, per process. Tests and commands
leave it off."""

from __future__ import annotations

import gc
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")

FREEZE = False  # set by kaohe/wsgi.py in server processes


def settled() -> None:
    """A memo took in a large new value: in a server process, freeze what is alive now."""
    if FREEZE:
        gc.collect()
        gc.freeze()


class Memo(Generic[V]):
    """A bounded memo of one process: `get(key, make)` is `make()`'s value, once per key; the
    oldest key goes when `limit` are held; a `make()` that raises keeps nothing. With `settle`,
    each new value is kept out of the collector (settled()). Its values are read, never
    changed, by the callers."""

    def __init__(self, limit: int, *, settle: bool = False) -> None:
        self.limit, self.settle = limit, settle
        self._values: dict[Hashable, V] = {}

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        """The value of `key`, made now if this process has none."""
        if key in self._values:
            return self._values[key]
        value = make()
        if len(self._values) >= self.limit:
            self._values.pop(next(iter(self._values)))
        self._values[key] = value
        if self.settle:
            settled()
        return value
