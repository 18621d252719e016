"""Moving a year in and out of the database as a bundle (docs/bundle.md)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from kaohe.audit.actions import audit_record
from kaohe.audit.choices import AuditAction, AuditTarget
from kaohe.ballots.models import Ballot, Round, RoundStatus
from kaohe.core.numbers import to_decimal
from kaohe.engine import settle
from kaohe.engine.bundle import Bundle, bundle_to_document
from kaohe.engine.decisions import decisions_document
from kaohe.engine.problems import InvalidInput, Problem
from kaohe.engine.vocabulary import DECISION_WORDS, RuleKind
from kaohe.ledger.models import Entry, EntryStatus
from kaohe.org.models import Department, Person
from kaohe.results.models import Adjustment, PartyDecisions, Veto
from kaohe.results.selectors import live_year
from kaohe.years.bundle_limits import column_problems
from kaohe.years.counters import reference
from kaohe.years.models import Year, YearDepartment
from kaohe.years.selectors import ballot_uuid

DECISION_CODES = {word: code for code, word in DECISION_WORDS.items()}

PLACES = 4


def year_export(year: Year) -> tuple[dict[str, Any], tuple[Problem, ...]]:
    """The year as a bundle document — the proposal's inputs, `kaohe compute` on it gives the
    proposal — and the standing decisions left out of it because they no longer fit."""
    live = live_year(year, trail=False)
    return bundle_to_document(live.bundle), live.stale


def year_export_document(year: Year) -> dict[str, Any]:
    """The year as a bundle document; importing it and exporting again gives the same document."""
    return year_export(year)[0]


def _database_problems(bundle: Bundle) -> list[Problem]:
    problems: list[Problem] = []
    if Year.objects.filter(year=bundle.year).exists():
        problems.append(Problem("year", f"year {bundle.year} already exists in this database"))
    existing = {
        d.code: d for d in Department.objects.filter(code__in=[d.code for d in bundle.departments])
    }
    for i, d in enumerate(bundle.departments):
        known = existing.get(d.code)
        if known is not None and known.name != d.name:
            problems.append(
                Problem(
                    f"departments[{i}].name",
                    f"department {d.code} is called {known.name!r} here, not {d.name!r}",
                )
            )
    refs: dict[str, int] = {}
    for i, e in enumerate(bundle.entries):
        ref = e.extra.get("id") or reference(bundle.year, i + 1)
        if ref in refs:
            problems.append(
                Problem(
                    f"entries[{i}].id", f"entry id {ref!r} is already used by entries[{refs[ref]}]"
                )
            )
        refs.setdefault(ref, i)
        if any(not name.strip() for name in e.extra.get("persons", [])):
            problems.append(Problem(f"entries[{i}].persons", "person names must not be empty"))
    return problems + column_problems(bundle)


@transaction.atomic
def year_import(*, by: Any, bundle: Bundle) -> Year:
    """Create a year from a validated bundle, all or nothing; InvalidInput if the database
    objects, or if its decisions do not fit its ranking (as `kaohe compute` would say)."""
    problems = _database_problems(bundle)
    if bundle.decisions:
        problems += settle(bundle, trail=False).problems
    if problems:
        raise InvalidInput(problems)
    year = Year.objects.create(
        year=bundle.year,
        scheme_id=bundle.scheme.id,
        scheme_document=dict(bundle.scheme.document),
        created_by=by,
    )
    departments = {}
    for d in bundle.departments:
        dep, _ = Department.objects.get_or_create(
            code=d.code, defaults={"name": d.name, "type": d.type, "parent": d.parent or ""}
        )
        departments[d.code] = dep
        YearDepartment.objects.create(
            year=year, department=dep, type=d.type, previous_rank=bundle.previous_ranks.get(d.code)
        )
    _import_entries(by, year, bundle, departments)
    rounds: dict[tuple[str, str], Round] = {}
    for b in bundle.ballots:
        key = (b.kind, b.round)
        if key not in rounds:
            rounds[key] = Round.objects.create(
                year=year, kind=b.kind, period=b.round, status=RoundStatus.CLOSED
            )
        Ballot.objects.create(
            id=ballot_uuid(b.id), round=rounds[key], group=b.group or "", grades=dict(b.grades)
        )
    for a in bundle.adjustments:
        Adjustment.objects.create(
            year=year,
            ref=a.id or "",
            department=departments[a.department],
            amount=to_decimal(a.amount),
            reason=a.reason,
            meeting=a.meeting or "",
            created_by=by,
        )
    for v in bundle.vetoes:
        Veto.objects.create(
            year=year,
            ref=v.id or "",
            department=departments[v.department],
            reason=v.reason,
            note=v.note or "",
            created_by=by,
        )
    decisions = decisions_document(bundle.decisions)
    if bundle.decisions:  # the year's standing decisions, as if the party group had confirmed
        PartyDecisions.objects.create(year=year, document=decisions)
    audit_record(
        by=by,
        action=AuditAction.YEAR_IMPORT,
        target_type=AuditTarget.YEAR,
        target_id=year.year,
        year=year.year,
        after={
            "departments": len(bundle.departments),
            "entries": len(bundle.entries),
            "ballots": len(bundle.ballots),
            "decisions": decisions,
        },
    )
    return year


def _import_entries(
    by: Any, year: Year, bundle: Bundle, departments: dict[str, Department]
) -> None:
    scheme = bundle.scheme
    for n, e in enumerate(bundle.entries, start=1):
        rule = scheme.rules[e.rule]
        method = e.extra.get("decided_by", "")
        entry = Entry.objects.create(
            year=year,
            ref=e.extra.get("id") or reference(year.year, n),
            department=departments[e.department],
            rule_id=e.rule,
            item=rule.item,
            category=rule.category,
            office=e.extra.get("office") or rule.offices[0],
            period=e.period,
            count=e.quantity if e.has_count or rule.kind != RuleKind.SHORTFALL else None,
            amount=None if e.amount is None else to_decimal(e.amount),
            actual=e.actual,
            modifier=e.modifier or "",
            same_work=e.same_work or "",
            description=e.extra.get("description", ""),
            status=EntryStatus.CONFIRMED,
            decision_method=DECISION_CODES.get(method, ""),
            decision_meeting=e.extra.get("meeting", ""),
            created_by=by,
        )
        names = e.extra.get("persons", [])
        if names:
            persons = [
                Person.objects.get_or_create(department=departments[e.department], name=name)[0]
                for name in names
            ]
            entry.persons.set(persons)
