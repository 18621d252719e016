"""Parts of pages rendered once per process: a table of 200 departments costs the template
engine ten times what the rest of its page does, and it shows nothing but a computed (or
published) version's figures. Such a part is rendered once per key (which names the version it
shows) and language, then reused by every request that shows the same version (issue 15).

A part kept so must show nothing of the request beyond its key: no CSRF token, nothing the
user may or may not do, no messages (the template tag `fragment` gives it the page's context, so
the key has to name whatever else it reads)."""

from __future__ import annotations

from collections.abc import Callable, Hashable

from django.utils.safestring import SafeString
from django.utils.translation import get_language

_parts: dict[tuple[Hashable, ...], SafeString] = {}
LIMIT = 64  # a few years' versions, pages and languages


def rendered(key: tuple[Hashable, ...], render: Callable[[], SafeString]) -> SafeString:
    """The part named `key` in the current language: `render()`'s, once per process."""
    full = (*key, get_language())
    found = _parts.get(full)
    if found is None:
        found = render()
        if len(_parts) >= LIMIT:
            _parts.pop(next(iter(_parts)))
        _parts[full] = found
    return found
