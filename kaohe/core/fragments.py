"""Parts of pages rendered once per process: a table of 200 departments costs the template
engine ten times what the rest of its page does, and it shows nothing but a computed (or
published) version's figures. Such a part is rendered once per key (which names the version it
shows) and language, then reused by every request that shows the same version (issue 15).

A part kept so must show nothing of the request beyond its key: no CSRF token, nothing the
user may or may not do, no messages (the template tag `fragment` gives it the page's context, so
the key has to name whatever else it reads)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.utils.safestring import SafeString
from django.utils.translation import get_language

from kaohe.core.memory import Memo

# Each pool is bounded apart, so that one department's part per department of a year (or the
# many menus) does not push the year's tables out.
LIMITS = {
    "year": 64,  # a few years' versions, pages and languages
    "department": 256,  # a 200-department year's pages, in one language
    "menu": 1024,  # the main menu of each year and set of capabilities (base.html)
}
_parts: dict[str, Memo[Any]] = {pool: Memo(limit) for pool, limit in LIMITS.items()}
T = TypeVar("T")


def kept(key: tuple[Hashable, ...], make: Callable[[], T], *, pool: str = "year") -> T:
    """The value named `key` in the current language: `make()`'s, once per process (a value
    kept so is read, never changed); the oldest of its pool goes when the pool is full."""
    return _parts[pool].get((*key, get_language()), make)  # type: ignore[no-any-return]


def rendered(
    key: tuple[Hashable, ...], render: Callable[[], SafeString], *, pool: str = "year"
) -> SafeString:
    """The part named `key` in the current language: `render()`'s, once per process."""
    return kept(("rendered", *key), render, pool=pool)
