"""The one conversion between the engine's exact numbers (Fraction) and stored decimals."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

# Places kept of a value with no finite decimal form (1/3) when it must be a Decimal.
REPEATING_PLACES = 12


def to_fraction(value: Fraction | Decimal | int | str) -> Fraction:
    """A stored decimal (or its string, '1.25', '1/3') as the engine's exact number."""
    return Fraction(value)


def to_decimal(value: Fraction | int) -> Decimal:
    """The value as a decimal: exact when it has a finite decimal form, else to 12 places."""
    exact = Fraction(value)
    d = exact.denominator
    for prime in (2, 5):
        while d % prime == 0:
            d //= prime
    quotient = Decimal(exact.numerator) / Decimal(exact.denominator)
    if d == 1:
        return quotient
    return quotient.quantize(Decimal(1).scaleb(-REPEATING_PLACES), rounding=ROUND_HALF_UP)
