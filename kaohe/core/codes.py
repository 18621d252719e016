"""One-time codes (the evaluation ballots' and the office's secret ballots' on range amounts): made
with `secrets`, typed by hand, stored only as an HMAC-SHA256 hash.

A code is 28 characters of Crockford's base32 (140 random bits), printed in seven groups of four
(`7KQ2-M9XD-…`). Reading forgives what people mistype: case, spaces, dashes, O for 0, I and L for 1.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.views.decorators.debug import sensitive_variables

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32: no I, L, O, U
LENGTH = 28  # 28 × 5 = 140 bits of randomness, above the 128 the issue asks for
GROUP = 4
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def code_new() -> str:
    """A fresh random code, in its canonical form (28 characters, no dashes)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


@sensitive_variables()
def code_normalise(raw: str) -> str | None:
    """The canonical form of a typed or scanned code, or None if it cannot be one."""
    text = "".join(ch for ch in raw.upper() if ch not in " -\t\r\n").translate(_READ_AS)
    if len(text) != LENGTH or any(ch not in ALPHABET for ch in text):
        return None
    return text


def code_display(code: str) -> str:
    """The code as printed under the QR code: groups of four joined by dashes."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def ballot_key() -> bytes:
    """The HMAC key: KAOHE_BALLOT_KEY, or else a key derived from SECRET_KEY for this one purpose."""
    configured: str = settings.BALLOT_KEY
    if configured:
        return configured.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"kaohe.ballots.code-key", "sha256").digest()


@sensitive_variables()
def code_digest(code: str) -> str:
    """What the database keeps of a canonical code: its keyed hash, in hex."""
    return hmac.new(ballot_key(), code.encode(), hashlib.sha256).hexdigest()
