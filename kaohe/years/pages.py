"""The scheme page: a year's frozen scheme, readable (categories, items, rules, evaluation,
honors, vetoes)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from kaohe.constants import ONCE_A_YEAR, period_label
from kaohe.engine.numbers import plain
from kaohe.engine.scheme import KINDS, Category, EvaluationKind, Rule, Scheme
from kaohe.engine.schemetext import rule_amount_text


@dataclass(frozen=True)
class RuleLine:
    """A rule on the scheme page, with its amount in words and its extras."""

    rule: Rule
    amount_text: str
    offices: str
    extras: str


@dataclass(frozen=True)
class ItemBlock:
    """An item on the scheme page with its responsible offices and rules."""

    number: int
    title: str
    offices: str
    rules: tuple[RuleLine, ...]


@dataclass(frozen=True)
class SchemeKind:
    """An evaluation kind on the scheme page."""

    kind: EvaluationKind
    points: tuple[tuple[str, Fraction], ...]
    rounds: tuple[tuple[str, Fraction], ...]


@dataclass(frozen=True)
class SchemePage:
    """A scheme as the scheme page shows it."""

    scheme: Scheme
    content_points: Fraction
    categories: tuple[tuple[Category, tuple[ItemBlock, ...]], ...]
    kinds: tuple[SchemeKind, ...]


def _rule_line(scheme: Scheme, rule: Rule) -> RuleLine:
    extras = [f"{m.name} ×{plain(m.factor)}" for m in rule.modifiers.values()]
    if rule.once_a_year:
        extras.append(str(ONCE_A_YEAR))
    offices = "、".join(scheme.offices.get(o, o) for o in rule.offices)
    return RuleLine(rule, rule_amount_text(rule), offices, ";".join(extras))


def scheme_page(scheme: Scheme) -> SchemePage:
    """Categories with points, items with offices, rules with amounts, evaluation, honors, vetoes."""
    categories = tuple(
        (
            c,
            tuple(
                ItemBlock(
                    i.number,
                    i.title,
                    "、".join(scheme.offices.get(o, o) for o in i.offices),
                    tuple(_rule_line(scheme, r) for r in i.rules),
                )
                for i in c.items
            ),
        )
        for c in scheme.categories
    )
    kinds = tuple(
        SchemeKind(
            scheme.kinds[k],
            tuple(
                (scheme.department_types.get(t, t), p) for t, p in scheme.kinds[k].points.items()
            ),
            tuple((period_label(r.period), r.weight) for r in scheme.kinds[k].rounds),
        )
        for k in KINDS
    )
    total = sum((c.points for c in scheme.categories), Fraction(0))
    return SchemePage(scheme, total, categories, kinds)
