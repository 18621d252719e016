"""The one check of an entry's fields against its rule, used by the bundle reader and the web.

An entry is given in bundle form (docs/bundle.md): a mapping with `period`, and `count`, `amount`,
`actual`, `modifiers`, `same_work` and the product's optional fields where given. Problems are
located relative to the entry (`count`, or "" for the entry as a whole); the department and the
rule's existence, and what depends on other entries (once a year, one shortfall entry per
half-year), are the caller's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

from kaohe.engine.bundle.jsondoc import describe, not_unicode
from kaohe.engine.bundle.model import (
    DECISION_METHODS,
    ENTRY_CORE,
    ENTRY_LISTS,
    ENTRY_TEXT,
    ENTRY_TEXTS,
)
from kaohe.engine.limits import MAX_ACTUAL, MAX_COUNT
from kaohe.engine.numbers import parse_number, plain
from kaohe.engine.problems import Problems
from kaohe.engine.scheme import HALF_YEARS, NOT_UNICODE, PERIODS, Rule
from kaohe.engine.vocabulary import PERSON_TIME, RuleKind

Number = Callable[[object], Fraction | None]


def check_entry(
    rule: Rule, e: Mapping[str, Any], *, amount_decided: bool = True, check_texts: bool = True
) -> Problems:
    """Every problem of the entry `e` under `rule` (an undecided range amount is none, unless
    `amount_decided`)."""
    p = check_fields(e, check_texts=check_texts)
    if amount_decided or "amount" in e:
        check_amount(p, rule, e)
    check_rule(p, rule, e)
    return p


def check_fields(e: Mapping[str, Any], *, check_texts: bool = True) -> Problems:
    """The problems of the entry's fields that no rule decides: period, count, modifiers, texts."""
    p = Problems()
    period = e.get("period")
    if period not in PERIODS:
        got = describe(period)
        p.add("period", f"must be 'H1', 'H2' or 'year', got {got}", "entry_period", got=got)
    count = e.get("count", 1)
    if "count" in e and (type(count) is not int or not 1 <= count <= MAX_COUNT):
        got = describe(count)
        message = f"must be an integer from 1 to {MAX_COUNT}, got {got}"
        code = "entry_count_max" if type(count) is int and count > MAX_COUNT else "entry_count"
        p.add("count", message, code, max=MAX_COUNT, got=got)
    _check_modifiers(p, e)
    same_work = e.get("same_work")
    if same_work is not None and type(same_work) is not str:
        p.add("same_work", "must be a string", "not_string")
    if check_texts and (same_work or not e.keys() <= ENTRY_CORE):
        for key in not_unicode(e, ENTRY_TEXTS):
            p.add(key, NOT_UNICODE, "not_unicode")
    if not e.keys() <= ENTRY_CORE:
        _check_extra(p, e)
    return p


def _check_modifiers(p: Problems, e: Mapping[str, Any]) -> None:
    modifiers = e.get("modifiers", [])
    if (
        type(modifiers) is not list
        or len(modifiers) > 1
        or any(type(m) is not str for m in modifiers)
    ):
        got = describe(modifiers)
        message = f"must be a list of at most one modifier, got {got}"
        p.add("modifiers", message, "entry_modifiers", got=got)


def _check_extra(p: Problems, e: Mapping[str, Any]) -> None:
    """The product's optional fields: strings, or lists of strings."""
    for key, value in e.items():
        if key in ENTRY_TEXT and type(value) is not str:
            p.add(key, "must be a string", "not_string")
        elif key in ENTRY_LISTS and (
            type(value) is not list or any(type(v) is not str for v in value)
        ):
            p.add(key, "must be a list of strings", "entry_strings")


def entry_modifier(e: Mapping[str, Any]) -> str | None:
    """The entry's modifier, if it has one (its modifiers checked by check_fields)."""
    modifiers = e.get("modifiers")
    if type(modifiers) is list and len(modifiers) == 1 and type(modifiers[0]) is str:
        return modifiers[0]
    return None


def check_amount(
    p: Problems, rule: Rule, e: Mapping[str, Any], number: Number = parse_number
) -> Fraction | None:
    """A range rule's amount, decided per case within its bounds; other rules take none."""
    if rule.kind != RuleKind.RANGE:
        if "amount" in e:
            message = f"rule {rule.id} is not a range rule; it takes no amount"
            p.add("", message, "entry_amount_not_range", rule=rule.id)
        return None
    assert rule.min is not None and rule.max is not None
    if "amount" not in e:
        low, high = plain(rule.min), plain(rule.max)
        message = (
            f"rule {rule.id} needs an amount between {low} and {high} (the amount decided per case)"
        )
        p.add("", message, "entry_amount_missing", rule=rule.id, min=low, max=high)
        return None
    amount = number(e["amount"])
    if amount is None or not (rule.min <= amount <= rule.max):
        # bundle.md's own example: `entries[12]: rule 1.target_unmet needs an amount between
        # 1 and 5, got 7` — at the entry, a decimal shown as written.
        got = str(e["amount"]) if amount is not None else describe(e["amount"])
        # The bounds as decimals only here: printing them costs more than the entry's check.
        low, high = plain(rule.min), plain(rule.max)
        message = f"rule {rule.id} needs an amount between {low} and {high}, got {got}"
        p.add("", message, "entry_amount_range", rule=rule.id, min=low, max=high, got=got)
        return None
    return amount


def check_rule(p: Problems, rule: Rule, e: Mapping[str, Any]) -> None:
    """What the rule's kind, modifiers, direction and offices say of the entry."""
    if rule.kind == RuleKind.SHORTFALL:
        _check_shortfall(p, rule, e)
    elif "actual" in e:
        message = f"rule {rule.id} is not a shortfall rule; it takes no actual count"
        p.add("", message, "entry_actual_not_shortfall", rule=rule.id)
    modifier = entry_modifier(e)
    if modifier is not None and modifier not in rule.modifiers:
        allowed = ", ".join(rule.modifiers) or "none"
        got = describe(modifier)
        message = f"rule {rule.id} does not allow modifier {got} (allowed: {allowed})"
        p.add("modifiers", message, "entry_modifier", rule=rule.id, got=got, allowed=allowed)
    if e.get("same_work") is not None and not rule.is_bonus:
        message = f"rule {rule.id} is a deduction; same_work is only for bonuses"
        p.add("same_work", message, "entry_same_work_deduction", rule=rule.id)
    count = e.get("count", 1)
    if rule.once_a_year and type(count) is int and count > 1:
        message = f"rule {rule.id} is once a year; count must be 1, got {count}"
        p.add("count", message, "entry_once_count", rule=rule.id, got=count)
    if not e.keys() <= ENTRY_CORE:
        _check_office(p, rule, e)
        _check_persons(p, rule, e)


def _check_persons(p: Problems, rule: Rule, e: Mapping[str, Any]) -> None:
    """On a person-time rule, the persons named (one name per person-time) make up the count."""
    persons, count = e.get("persons"), e.get("count", 1)
    if rule.unit != PERSON_TIME or type(persons) is not list or type(count) is not int:
        return
    if len(persons) != count:
        message = (
            f"rule {rule.id} counts person-times: {len(persons)} names for a count of {count} "
            "(one name per person-time)"
        )
        p.add(
            "persons", message, "entry_persons_count", rule=rule.id, names=len(persons), count=count
        )


def _check_shortfall(p: Problems, rule: Rule, e: Mapping[str, Any]) -> None:
    period = e.get("period")
    if period not in HALF_YEARS:
        got = describe(period)
        message = f"rule {rule.id} is per half-year; period must be 'H1' or 'H2', got {got}"
        p.add("period", message, "entry_half_year", rule=rule.id, got=got)
    if "actual" not in e:
        message = f"rule {rule.id} needs 'actual', the count submitted in the half-year"
        p.add("", message, "entry_actual_missing", rule=rule.id)
    elif type(actual := e["actual"]) is not int or not 0 <= actual <= MAX_ACTUAL:
        got = describe(actual)
        message = f"must be an integer from 0 to {MAX_ACTUAL}, got {got}"
        code = "entry_actual_max" if type(actual) is int and actual > MAX_ACTUAL else "entry_actual"
        p.add("actual", message, code, max=MAX_ACTUAL, got=got)
    if "count" in e:
        message = f"rule {rule.id} counts by quota; a shortfall entry has no count"
        p.add("count", message, "entry_count_shortfall", rule=rule.id)


def _check_office(p: Problems, rule: Rule, e: Mapping[str, Any]) -> None:
    """The recording office owns the rule; `decided_by` only on range rules, one of two ways."""
    office = e.get("office")
    if type(office) is str and office not in rule.offices:
        offices = ", ".join(rule.offices)
        message = f"office {office!r} does not record rule {rule.id} (offices: {offices})"
        p.add("office", message, "entry_office", rule=rule.id, office=office, offices=offices)
    method = e.get("decided_by")
    if type(method) is str and rule.kind != RuleKind.RANGE:
        message = f"rule {rule.id} is not a range rule; only range amounts are decided"
        p.add("decided_by", message, "entry_decided_not_range", rule=rule.id)
    elif type(method) is str and method not in DECISION_METHODS:
        methods, got = " or ".join(DECISION_METHODS), describe(method)
        p.add(
            "decided_by",
            f"must be {methods}, got {got}",
            "entry_decided_by",
            methods=methods,
            got=got,
        )
