"""The self-assessment form's (考核自评表) checks and totals, once for the action and the page.

A self score is what the department gives itself out of the item's category: 0 up to the
category's points, at most 2 decimal places; a category's items together stay within its points.
The page adds the same subtotals live (years/static/years/self_assessment.js).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kaohe.core.numbers import to_decimal
from kaohe.engine.numbers import DECIMAL_RE, plain
from kaohe.engine.scheme.model import Category, Scheme

NOTE_MAX = 1000  # characters of one item's explanation
HEAD_MAX = 40  # characters of the head's name (处室负责人)


@dataclass(frozen=True)
class Subtotal:
    """A category's self scores added up, out of its points."""

    category: Category
    total: Decimal
    points: Decimal


def parse_score(text: str) -> Decimal | None:
    """A self score as typed: ASCII digits, at most 2 decimal places; None if it is not one."""
    if not DECIMAL_RE.fullmatch(text):
        return None
    value = Decimal(text)
    return value if -int(value.as_tuple().exponent) <= 2 else None


def subtotals(scheme: Scheme, lines: dict[str, dict[str, str]]) -> list[Subtotal]:
    """Each category's self scores added up (an empty score counts as nothing)."""
    found = []
    for category in scheme.categories:
        scores = (lines.get(str(item.number), {}).get("score", "") for item in category.items)
        total = sum((Decimal(s) for s in scores if s), Decimal(0))
        found.append(Subtotal(category, total, to_decimal(category.points)))
    return found


def check_lines(scheme: Scheme, raw: dict[str, tuple[str, str]]) -> dict[str, dict[str, str]]:
    """The form's items as stored; ValidationError naming each refused item and its bound."""
    problems: dict[str, list[str]] = {}
    lines: dict[str, dict[str, str]] = {}
    for category in scheme.categories:
        points = to_decimal(category.points)
        for item in category.items:
            score, note = (v.strip() for v in raw.get(str(item.number), ("", "")))
            problem = _score_problem(score, points)
            if problem is None and len(note) > NOTE_MAX:
                problem = _("Keep the explanation within %(n)s characters.") % {"n": NOTE_MAX}
            if problem is not None:
                named = _("Item %(number)s “%(title)s”: %(problem)s")
                values = {"number": item.number, "title": item.title, "problem": problem}
                problems[f"score_{item.number}"] = [named % values]
                continue
            lines[str(item.number)] = {"score": str(Decimal(score)) if score else "", "note": note}
    if not problems:
        for sub in subtotals(scheme, lines):
            if sub.total > sub.points:
                problems[f"category_{sub.category.code}"] = [_over_category(sub)]
    if problems:
        raise ValidationError(problems)
    return lines


def _score_problem(score: str, points: Decimal) -> str | None:
    """Why a self score is refused, or None when it is empty or within 0..points."""
    if not score:
        return None
    value = parse_score(score)
    bound = {"points": plain(Fraction(points))}
    if value is None:
        return _("enter a number with at most 2 decimal places, from 0 to %(points)s.") % bound
    if value < 0 or value > points:
        return _("the self score must be from 0 to %(points)s points.") % bound
    return None


def _over_category(sub: Subtotal) -> str:
    """The refusal of a category whose items add up to more than its points."""
    values = {"name": sub.category.name, "total": sub.total, "points": plain(Fraction(sub.points))}
    return (
        _("The self scores of %(name)s add up to %(total)s, more than its %(points)s points.")
        % values
    )
