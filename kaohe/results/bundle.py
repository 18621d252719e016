"""Reads of a year: the engine's Bundle built from the database, and the results computed from it."""

from __future__ import annotations

import uuid

from kaohe.ballots.models import Ballot, RoundStatus, ballot_to_engine
from kaohe.engine import Bundle, Results, builtin_scheme, compute
from kaohe.engine import bundle as engine
from kaohe.ledger.models import ENGINE_FIELDS, Entry, EntryPerson, EntryStatus, entry_to_engine
from kaohe.results.models import Adjustment, Veto
from kaohe.years.models import Year


def scheme_is_builtin(year: Year) -> bool:
    """Whether the year's frozen scheme is exactly a built-in one (then bundles name it by id)."""
    try:
        return dict(builtin_scheme(year.scheme_id).document) == year.scheme_document
    except KeyError:
        return False


def _persons(year: Year) -> dict[int, list[str]]:
    """The names of the persons of the year's counted entries, by entry id (one query); on a
    人次 rule a name repeats as many times as the person's times (bundle.md)."""
    through = EntryPerson.objects.filter(entry__year=year, entry__status=EntryStatus.CONFIRMED)
    names: dict[int, list[str]] = {}
    for entry_id, name, times in through.values_list("entry_id", "person__name", "times"):
        names.setdefault(entry_id, []).extend([name] * times)
    return names


def _entries(year: Year) -> tuple[engine.Entry, ...]:
    """The year's counted entries (confirmed ones; a confirmed range entry has its amount) as
    the engine takes them, read as rows: no model instances (issue 15)."""
    persons = _persons(year)
    rows = (
        Entry.objects.filter(year=year, status=EntryStatus.CONFIRMED)
        .order_by("id")
        .values_list("id", *ENGINE_FIELDS)
    )
    return tuple(entry_to_engine(*row[1:], persons=persons.get(row[0], [])) for row in rows)


def _ballots(year: Year) -> tuple[engine.Ballot, ...]:
    """The ballots of the year's closed rounds, in a fixed order, read as rows."""
    rows = (
        Ballot.objects.filter(round__year=year, round__status=RoundStatus.CLOSED)
        .order_by("round__kind", "round__period", "id")
        .values_list("round__kind", "round__period", "grades", "id", "group")
    )
    return tuple(ballot_to_engine(*row) for row in rows)


def year_bundle(year: Year) -> Bundle:
    """The year as the engine sees it: confirmed entries, closed rounds, adjustments, vetoes."""
    assessed = list(year.assessed.select_related("department").order_by("department__code"))
    departments = tuple(a.to_engine() for a in assessed)
    adjustments = tuple(
        a.to_engine() for a in Adjustment.objects.filter(year=year).select_related("department")
    )
    vetoes = tuple(
        v.to_engine() for v in Veto.objects.filter(year=year).select_related("department")
    )
    return Bundle(
        year=year.year,
        scheme=year.scheme,
        departments=departments,
        entries=_entries(year),
        ballots=_ballots(year),
        adjustments=adjustments,
        vetoes=vetoes,
        previous_ranks={a.department.code: a.previous_rank for a in assessed if a.previous_rank},
        scheme_inline=not scheme_is_builtin(year),
    )


def year_results(year: Year) -> Results:
    """The year's results computed live by the engine, with trails."""
    return compute(year_bundle(year))


def ballot_uuid(ref: str | None) -> uuid.UUID:
    """A ballot's id from a bundle: kept if it is a UUID, else derived from it, else random."""
    if not ref:
        return uuid.uuid4()
    try:
        return uuid.UUID(ref)
    except ValueError:
        return uuid.uuid5(uuid.NAMESPACE_URL, f"kaohe-ballot:{ref}")
