"""One-time codes (the evaluation ballots' and the office's secret ballots' on range amounts): made
with `secrets`, typed by hand, stored only as an HMAC-SHA256 hash.

A code is 28 characters of Crockford's base32 (140 random bits), printed in seven groups of four
(`7KQ2-M9XD-…`). Reading forgives what people mistype: case, spaces, dashes, O for 0, I and L for 1.

A paper ballot form also carries a short code, 10 characters (50 random bits) printed in two groups
of five, for the office's clerks to type: it is looked up only within one round, by logged-in office
members, so it is never a bearer token on its own (the phone page takes the full code only).
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
SHORT_LENGTH = 10  # 10 × 5 = 50 bits: enough within one round entered by the office only
SHORT_GROUP = 5
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def code_new() -> str:
    """A fresh random code, in its canonical form (28 characters, no dashes)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def short_code_new() -> str:
    """A fresh random short code of a paper form, canonical (10 characters, no dash)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(SHORT_LENGTH))


def _canonical(raw: str, length: int) -> str | None:
    """The typed text without separators, mistypes forgiven, if it is `length` code characters."""
    text = "".join(ch for ch in raw.upper() if ch not in " -\t\r\n").translate(_READ_AS)
    if len(text) != length or any(ch not in ALPHABET for ch in text):
        return None
    return text


@sensitive_variables()
def code_normalise(raw: str) -> str | None:
    """The canonical form of a typed or scanned code, or None if it cannot be one."""
    return _canonical(raw, LENGTH)


@sensitive_variables()
def short_code_normalise(raw: str) -> str | None:
    """The canonical form of a typed short code, or None if it cannot be one."""
    return _canonical(raw, SHORT_LENGTH)


def code_display(code: str) -> str:
    """The code as printed under the QR code: groups of four joined by dashes."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def short_code_display(short: str) -> str:
    """The short code as printed on a paper form: two groups of five joined by a dash."""
    return "-".join(short[i : i + SHORT_GROUP] for i in range(0, len(short), SHORT_GROUP))


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


@sensitive_variables()
def short_code_digest(round_id: int, short: str) -> str:
    """What the database keeps of a canonical short code: a keyed hash of the round and the code,
    so that the same short code in two rounds gives two different hashes."""
    message = f"short:{round_id}:{short}".encode()
    return hmac.new(ballot_key(), message, hashlib.sha256).hexdigest()
