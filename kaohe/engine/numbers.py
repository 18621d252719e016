"""Exact numbers: parsing decimal input and printing two places, half away from zero."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from math import gcd

# ASCII digits only, the whole string (`$` alone would let "2.5\n" through; `\d` takes "٣" and "１").
DECIMAL_RE = re.compile(r"[+-]?([0-9]{1,12})(\.[0-9]{1,12})?")
ZERO = Fraction(0)


def parse_number(value: object) -> Fraction | None:
    """A decimal string or JSON integer as an exact Fraction; None if it is neither."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Fraction(value)
    # Exactly str: the bundle reader keeps JSON floats as a str subclass so they can be refused.
    if type(value) is str and DECIMAL_RE.fullmatch(value):
        return Fraction(Decimal(value))
    return None


def exact_sum(values: Iterable[Fraction | int]) -> Fraction:
    """sum(values, Fraction(0)), reduced once at the end instead of at every addition."""
    numerator, denominator = 0, 1
    for v in values:
        d = v.denominator
        common = gcd(denominator, d)
        numerator = numerator * (d // common) + v.numerator * (denominator // common)
        denominator *= d // common
    return Fraction(numerator, denominator)


def fmt2(value: Fraction | int) -> str:
    """Two decimal places, rounded half away from zero from the exact value; never -0.00."""
    if not isinstance(value, Fraction | int):
        value = Fraction(value)
    # On numerator and denominator (> 0) directly: results print thousands of these.
    numerator, denominator = value.numerator, value.denominator
    # floor(|x| * 100 + 1/2) in integers: half away from zero on the magnitude.
    cents = (2 * abs(numerator) * 100 + denominator) // (2 * denominator)
    text = f"{cents // 100}.{cents % 100:02d}"
    return f"-{text}" if numerator < 0 and cents else text


def plain(value: Fraction | int) -> str:
    """A short exact decimal for data files and trails: '0.2', '5', '1.25'; repeating values as a/b."""
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if denominator != 1:
        return f"{value.numerator}/{value.denominator}"
    text = format(Decimal(value.numerator) / Decimal(value.denominator), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
