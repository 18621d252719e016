"""Checking an entry against the year's scheme, with plain Chinese messages per field.

The same constraints as the engine's bundle validation (kaohe/engine/bundle.py), so that every
entry the web application confirms can be exported as a valid bundle.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from kaohe.core.numbers import to_decimal
from kaohe.engine.limits import MAX_ACTUAL, MAX_COUNT
from kaohe.engine.scheme import HALF_YEARS, PERIODS, Rule
from kaohe.engine.vocabulary import RuleKind
from kaohe.ledger.models import Entry, EntryStatus
from kaohe.org.models import Department
from kaohe.years.models import Year

Problems = dict[str, list[str]]
AMOUNT_PLACES = 4


def _add(problems: Problems, field: str, message: str) -> None:
    problems.setdefault(field, []).append(message)


def entry_problems(
    *,
    year: Year,
    department: Department,
    rule_id: str,
    period: str,
    count: int | None,
    actual: int | None,
    modifier: str,
    same_work: str,
    exclude_pk: int | None = None,
) -> Problems:
    """What is wrong with these entry fields, by field name; empty when all is well."""
    problems: Problems = {}
    if not year.assessed.filter(department=department).exists():
        _add(
            problems,
            "department",
            _("This department is not assessed in %(year)s.") % {"year": year.year},
        )
    rule = year.scheme.rules.get(rule_id)
    if rule is None:
        _add(
            problems,
            "rule_id",
            _("Unknown rule %(rule)s in this year's scheme.") % {"rule": rule_id},
        )
        return problems
    if period not in PERIODS:
        _add(problems, "period", _("Choose a period."))
    _check_kind(problems, rule, period, count, actual)
    if modifier and modifier not in rule.modifiers:
        _add(problems, "modifier", _("This rule does not allow that modifier."))
    if same_work and not rule.is_bonus:
        _add(problems, "same_work", _("A same-work key is only for bonuses."))
    longest = Entry._meta.get_field("same_work").max_length or 0
    if len(same_work) > longest:
        _add(problems, "same_work", _("At most %(n)s characters.") % {"n": longest})
    _check_unique(problems, year, department, rule, period, exclude_pk)
    return problems


def _check_kind(
    problems: Problems, rule: Rule, period: str, count: int | None, actual: int | None
) -> None:
    if rule.kind == RuleKind.SHORTFALL:
        if period not in HALF_YEARS:
            _add(
                problems,
                "period",
                _("This rule is assessed per half-year: choose the first or second half-year."),
            )
        if actual is None or actual < 0:
            _add(
                problems,
                "actual",
                _("Enter the number actually submitted in the half-year (0 or more)."),
            )
        elif actual > MAX_ACTUAL:
            _add(problems, "actual", _("At most %(n)s.") % {"n": MAX_ACTUAL})
        return
    if count is None or count < 1:
        _add(problems, "count", _("Enter a count of 1 or more."))
    elif count > MAX_COUNT:
        _add(problems, "count", _("At most %(n)s.") % {"n": MAX_COUNT})
    elif rule.once_a_year and count > 1:
        _add(problems, "count", _("This rule counts at most once a year: the count must be 1."))


def _check_unique(
    problems: Problems,
    year: Year,
    department: Department,
    rule: Rule,
    period: str,
    exclude_pk: int | None,
) -> None:
    if not (rule.once_a_year or rule.kind == RuleKind.SHORTFALL):
        return
    others = Entry.objects.filter(year=year, department=department, rule_id=rule.id).exclude(
        status=EntryStatus.VOIDED
    )
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if (rule.once_a_year and others.exists()) or (
        rule.kind == RuleKind.SHORTFALL and others.filter(period=period).exists()
    ):
        for field, messages in slot_taken(rule).items():
            problems.setdefault(field, []).extend(messages)


def slot_taken(rule: Rule) -> Problems:
    """The problem of a second live entry where the rule allows one (see models.once_slot)."""
    if rule.once_a_year:
        return {"rule_id": [_("This department already has this once-a-year entry.")]}
    return {"period": [_("This department already has a shortfall entry for this half-year.")]}


def amount_problems(rule: Rule, amount: Decimal | None) -> list[str]:
    """Problems with a decided range amount."""
    if rule.kind != RuleKind.RANGE:
        return [_("Only range rules take a decided amount.")]
    assert rule.min is not None and rule.max is not None
    low, high = to_decimal(rule.min), to_decimal(rule.max)
    if amount is None:
        return [_("Enter the decided amount.")]
    if not (low <= amount <= high):
        return [
            _("The decided amount must lie between %(min)s and %(max)s.")
            % {"min": low.normalize(), "max": high.normalize()}
        ]
    if -amount.as_tuple().exponent > AMOUNT_PLACES:  # type: ignore[operator]
        return [_("Use at most %(places)s decimal places.") % {"places": AMOUNT_PLACES}]
    return []
