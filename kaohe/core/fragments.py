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

_parts: dict[tuple[Hashable, ...], Any] = {}
LIMIT = 64  # a few years' versions, pages and languages
# Small parts (the menu of each year and set of capabilities) are kept apart, so that the many
# of them never push a year's large tables out.
_small: dict[tuple[Hashable, ...], Any] = {}
SMALL_LIMIT = 1024
T = TypeVar("T")


def kept(key: tuple[Hashable, ...], make: Callable[[], T], *, small: bool = False) -> T:
    """The value named `key` in the current language: `make()`'s, once per process (a value
    kept so is read, never changed)."""
    parts, limit = (_small, SMALL_LIMIT) if small else (_parts, LIMIT)
    full = (*key, get_language())
    if full not in parts:
        if len(parts) >= limit:
            parts.pop(next(iter(parts)))
        parts[full] = make()
    return parts[full]  # type: ignore[no-any-return]


def rendered(
    key: tuple[Hashable, ...], render: Callable[[], SafeString], *, small: bool = False
) -> SafeString:
    """The part named `key` in the current language: `render()`'s, once per process."""
    return kept(("rendered", *key), render, small=small)
