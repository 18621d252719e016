"""What the database can hold of a valid bundle, checked before `year_import` writes a row.

The engine accepts any text and its own bounds of numbers; the columns are narrower: a length
per text field, no NUL character (PostgreSQL stores none, in text or in JSON), integer ranges and
decimal places of this database, ids used once. Each value the import stores is checked against
the very field it goes to, and every misfit is a located problem, like the engine's.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

from django.db import connection, models

from kaohe.ballots.models import Ballot
from kaohe.engine.bundle import Bundle
from kaohe.engine.numbers import plain
from kaohe.engine.problems import Problem
from kaohe.ledger.models import Entry
from kaohe.org.models import Department, Person
from kaohe.results.bundle import ballot_uuid
from kaohe.results.models import Adjustment, Veto
from kaohe.years.models import Year, YearDepartment

NUL = "\x00"


def _field(model: type[models.Model], name: str) -> Any:
    return model._meta.get_field(name)


def column_problems(bundle: Bundle) -> list[Problem]:
    """Every value of the bundle that its column cannot hold, at its location."""
    problems = [
        Problem(location, message)
        for location, field, value in _stored_values(bundle)
        if (message := misfit(field, value))
    ]
    if _has_nul(bundle.scheme.document):
        problems.append(Problem("scheme", "contains a NUL character, which cannot be stored"))
    return problems + _ballot_id_problems(bundle)


def misfit(field: models.Field[Any, Any], value: object) -> str:
    """Why the field cannot store the value ('' if it can)."""
    if value is None:
        return ""
    if isinstance(value, str):
        if NUL in value:
            return "contains a NUL character, which cannot be stored"
        longest = field.max_length
        if longest is not None and len(value) > longest:
            return f"at most {longest} characters can be stored, got {len(value)}"
        return ""
    if isinstance(field, models.DecimalField) and isinstance(value, Fraction):
        return _decimal_misfit(field, value)
    if isinstance(field, models.IntegerField) and isinstance(value, int):
        low, high = connection.ops.integer_field_range(field.get_internal_type())
        if (low is not None and value < low) or (high is not None and value > high):
            return f"must lie between {low} and {high} to be stored, got {value}"
    return ""


def _decimal_misfit(field: models.DecimalField[Any, Any], value: Fraction) -> str:
    places, digits = field.decimal_places or 0, field.max_digits or 0
    if (value * 10**places).denominator != 1:
        return f"at most {places} decimal places can be stored, got {plain(value)}"
    if abs(value) >= 10 ** (digits - places):
        return f"at most {digits - places} digits before the point can be stored"
    return ""


def _stored_values(bundle: Bundle) -> Iterator[tuple[str, Any, object]]:
    """(location, field, value) for every value year_import stores, as it stores it."""
    yield "scheme", _field(Year, "scheme_id"), bundle.scheme.id
    for i, d in enumerate(bundle.departments):
        yield f"departments[{i}].code", _field(Department, "code"), d.code
        yield f"departments[{i}].name", _field(Department, "name"), d.name
        yield f"departments[{i}].parent", _field(Department, "parent"), d.parent
    for code, rank in bundle.previous_ranks.items():
        yield f"previous_ranks.{code}", _field(YearDepartment, "previous_rank"), rank
    for i, e in enumerate(bundle.entries):
        yield from _entry_values(bundle, f"entries[{i}]", e)
    for i, b in enumerate(bundle.ballots):
        yield f"ballots[{i}].group", _field(Ballot, "group"), b.group
    for i, a in enumerate(bundle.adjustments):
        yield f"adjustments[{i}].id", _field(Adjustment, "ref"), a.id
        yield f"adjustments[{i}].amount", _field(Adjustment, "amount"), a.amount
        yield f"adjustments[{i}].reason", _field(Adjustment, "reason"), a.reason
        yield f"adjustments[{i}].meeting", _field(Adjustment, "meeting"), a.meeting
    for i, v in enumerate(bundle.vetoes):
        yield f"vetoes[{i}].id", _field(Veto, "ref"), v.id
        yield f"vetoes[{i}].reason", _field(Veto, "reason"), v.reason
        yield f"vetoes[{i}].note", _field(Veto, "note"), v.note


def _entry_values(bundle: Bundle, at: str, e: Any) -> Iterator[tuple[str, Any, object]]:
    rule = bundle.scheme.rules[e.rule]
    extra = e.extra
    yield f"{at}.id", _field(Entry, "ref"), extra.get("id")
    yield f"{at}.rule", _field(Entry, "rule_id"), e.rule
    yield f"{at}.rule", _field(Entry, "category"), rule.category
    yield f"{at}.rule", _field(Entry, "item"), rule.item
    yield f"{at}.office", _field(Entry, "office"), extra.get("office") or rule.offices[0]
    yield f"{at}.count", _field(Entry, "count"), e.quantity
    yield f"{at}.actual", _field(Entry, "actual"), e.actual
    yield f"{at}.amount", _field(Entry, "amount"), e.amount
    yield f"{at}.modifiers", _field(Entry, "modifier"), e.modifier
    yield f"{at}.same_work", _field(Entry, "same_work"), e.same_work
    yield f"{at}.description", _field(Entry, "description"), extra.get("description")
    yield f"{at}.meeting", _field(Entry, "decision_meeting"), extra.get("meeting")
    for j, name in enumerate(extra.get("persons", [])):
        yield f"{at}.persons[{j}]", _field(Person, "name"), name


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


def _ballot_id_problems(bundle: Bundle) -> list[Problem]:
    """A ballot id is the stored ballot's key: used once in the bundle, not yet in the database."""
    problems: list[Problem] = []
    first: dict[uuid.UUID, int] = {}
    for i, b in enumerate(bundle.ballots):
        if not b.id:
            continue
        key = ballot_uuid(b.id)
        if key in first:
            used = f"ballot id {b.id!r} is already used by ballots[{first[key]}]"
            problems.append(Problem(f"ballots[{i}].id", used))
        first.setdefault(key, i)
    stored = set(Ballot.objects.filter(id__in=first).values_list("id", flat=True))
    for key, i in sorted(first.items(), key=lambda pair: pair[1]):
        if key in stored:
            problems.append(
                Problem(f"ballots[{i}].id", f"ballot id {bundle.ballots[i].id!r} is already stored")
            )
    return problems
