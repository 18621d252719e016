"""Refused codes are counted per client address; past a limit the client is refused for a while.

Codes carry 140 random bits, so guessing is hopeless anyway; the throttle keeps a misbehaving client
from loading the server. A meeting room behind one address shares the budget, hence a generous
default (KAOHE_BALLOT_MAX_FAILURES per KAOHE_BALLOT_FAILURE_WINDOW seconds). The counter lives in
Django's cache: per process with the default local-memory cache (docs/ballots.md).
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def _key(request: HttpRequest) -> str:
    return f"kaohe:ballots:refused:{request.META.get('REMOTE_ADDR', '')}"


def is_throttled(request: HttpRequest) -> bool:
    """Whether this client has had too many codes refused lately."""
    limit: int = settings.BALLOT_MAX_FAILURES
    return int(cache.get(_key(request), 0)) >= limit


def note_refusal(request: HttpRequest) -> None:
    """Count one refused code for this client; the count expires after the window."""
    window: int = settings.BALLOT_FAILURE_WINDOW
    key = _key(request)
    if not cache.add(key, 1, timeout=window):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)
