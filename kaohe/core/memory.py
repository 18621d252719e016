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

FREEZE = False  # set by kaohe/wsgi.py in server processes


def settled() -> None:
    """A memo took in a large new value: in a server process, freeze what is alive now."""
    if FREEZE:
        gc.collect()
        gc.freeze()
