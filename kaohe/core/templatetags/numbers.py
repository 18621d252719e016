"""Template filters for exact numbers: `{{ value|fmt2 }}` prints two places, half away from zero."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from django import template

from kaohe.core.numbers import to_fraction
from kaohe.engine.numbers import fmt2 as engine_fmt2
from kaohe.engine.numbers import plain as engine_plain

register = template.Library()


@register.filter
def fmt2(value: Fraction | Decimal | int | None) -> str:
    """A figure to two decimal places (rules.md §6); empty for None."""
    if value is None:
        return ""
    return engine_fmt2(to_fraction(value))


@register.filter
def plain(value: Fraction | Decimal | int | None) -> str:
    """A scheme value as a short exact decimal ('0.2', '5'); empty for None."""
    if value is None:
        return ""
    return engine_plain(to_fraction(value))
