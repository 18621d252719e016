"""Checking an entry against the year's scheme, with plain Chinese messages per field.

The constraints are the engine's own check of an entry (kaohe/engine/bundle/check.py, the one
the bundle reader runs), worded in Chinese by problem code (kaohe/core/problems.py), so that
every entry the web application confirms can be exported as a valid bundle. What only the
database knows (the department assessed, a second live entry, column sizes) is checked here.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from kaohe.core.problems import MESSAGES, problem_message
from kaohe.engine.bundle.check import check_amount, check_entry
from kaohe.engine.problems import Problem
from kaohe.engine.problems import Problems as EngineProblems
from kaohe.engine.scheme import Rule
from kaohe.engine.vocabulary import PERSON_TIME, RuleKind
from kaohe.ledger.models import Entry, EntryStatus
from kaohe.org.models import Department
from kaohe.years.models import Year

Problems = dict[str, list[str]]
# A decided amount has at most cents (the engine accepts more: rules.md; the ledger does not).
AMOUNT_PLACES = 2


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
    fields = field_problems(
        year=year,
        rule_id=rule_id,
        period=period,
        count=count,
        actual=actual,
        modifier=modifier,
        same_work=same_work,
    )
    for field, messages in fields.items():
        problems.setdefault(field, []).extend(messages)
    rule = year.scheme.rules.get(rule_id)
    if rule is not None:
        _check_unique(problems, year, department, rule, period, exclude_pk)
    return problems


def field_problems(
    *,
    year: Year,
    rule_id: str,
    period: str,
    count: int | None,
    actual: int | None,
    modifier: str,
    same_work: str,
) -> Problems:
    """What is wrong with the fields of an entry whatever its department: the rule, and the
    engine's check of period, count, modifier and same-work key against it."""
    problems: Problems = {}
    rule = year.scheme.rules.get(rule_id)
    if rule is None:
        _add(
            problems,
            "rule_id",
            _("Unknown rule %(rule)s in this year's scheme.") % {"rule": rule_id},
        )
        return problems
    for problem in check_entry(
        rule, _bundle_form(rule, period, count, actual, modifier, same_work), amount_decided=False
    ).items:
        _add(problems, _field(problem), problem_message(problem))
    longest = Entry._meta.get_field("same_work").max_length or 0
    if len(same_work) > longest:
        _add(problems, "same_work", _("At most %(n)s characters.") % {"n": longest})
    return problems


# The entry form's field of an engine problem located at the entry as a whole.
_ENTRY_FIELDS = {"entry_actual_missing": "actual", "entry_actual_not_shortfall": "actual"}
# The form's field names of the bundle's entry fields.
_FIELDS = {"modifiers": "modifier", "rule": "rule_id"}


def _bundle_form(
    rule: Rule, period: str, count: int | None, actual: int | None, modifier: str, same_work: str
) -> dict[str, Any]:
    """The entry's fields as the engine checks them: a shortfall entry has its actual count, any
    other its count."""
    e: dict[str, Any] = {"period": period}
    if rule.kind == RuleKind.SHORTFALL:
        if actual is not None:
            e["actual"] = actual
    else:
        e["count"] = count
    if modifier:
        e["modifiers"] = [modifier]
    if same_work:
        e["same_work"] = same_work
    return e


def _field(problem: Problem) -> str:
    """The form field a problem of the engine's check belongs to."""
    if not problem.location:
        return _ENTRY_FIELDS.get(problem.code, "rule_id")
    return _FIELDS.get(problem.location, problem.location)


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
        return {"rule_id": [str(MESSAGES["entry_once_twice"])]}
    return {"period": [str(MESSAGES["entry_shortfall_twice"])]}


def amount_problems(rule: Rule, amount: Decimal | None) -> list[str]:
    """Problems with a decided range amount: the engine's, then the column's places."""
    problems = EngineProblems()
    check_amount(problems, rule, {} if amount is None else {"amount": format(amount, "f")})
    if problems:
        return [problem_message(problems.items[0])]
    assert amount is not None
    if -amount.as_tuple().exponent > AMOUNT_PLACES:  # type: ignore[operator]
        return [_("Use at most %(places)s decimal places.") % {"places": AMOUNT_PLACES}]
    return []


def counts_persons(rule: Rule) -> bool:
    """Whether the rule counts person-times (人次): its entries name each person and how often."""
    return rule.unit == PERSON_TIME and rule.kind != RuleKind.SHORTFALL


def person_problems(rule: Rule, count: int | None, times: Sequence[int]) -> Problems:
    """A person-time entry names at least one person, and its count is the sum of their times."""
    if not counts_persons(rule):
        return {}
    if not times:
        return {"persons": [_("Name at least one person, with how many times.")]}
    if count != sum(times):
        message = _("The count (%(count)s) is not the sum of the persons' times (%(sum)s).")
        return {"persons": [message % {"count": count, "sum": sum(times)}]}
    return {}
