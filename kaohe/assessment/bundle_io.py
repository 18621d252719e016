"""Moving a year in and out of the database as a bundle (docs/bundle.md)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from kaohe.assessment.bundle_limits import column_problems
from kaohe.audit.actions import audit_record
from kaohe.audit.choices import AuditAction, AuditTarget
from kaohe.ballots import actions as ballot_actions
from kaohe.ballots.actions import ImportedBallot
from kaohe.core.inputs import touch
from kaohe.core.numbers import to_decimal
from kaohe.engine import settle
from kaohe.engine.bundle import Bundle, bundle_to_document
from kaohe.engine.decisions import decisions_document
from kaohe.engine.problems import InvalidInput, Problem
from kaohe.engine.vocabulary import DECISION_WORDS, RuleKind
from kaohe.ledger import actions as ledger_actions
from kaohe.ledger.actions import ImportedEntry
from kaohe.org import actions as org_actions
from kaohe.org.models import Department
from kaohe.results import actions as results_actions
from kaohe.results.actions import ImportedAdjustment, ImportedVeto
from kaohe.results.bundle import ballot_uuid
from kaohe.results.selectors import live_year
from kaohe.years import actions as year_actions
from kaohe.years.counters import reference, reference_normal
from kaohe.years.models import Year

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
        # 2016-031 and 2016-00031 are one number: stored the one way, so the same twice is refused
        ref = reference_normal(bundle.year, e.extra.get("id") or "") or reference(
            bundle.year, i + 1
        )
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


def _results_import(
    by: Any, year: Year, bundle: Bundle, departments: dict[str, Department]
) -> dict[str, Any]:
    """The bundle's adjustments, vetoes and decisions into the results app; the decisions."""
    decisions = decisions_document(bundle.decisions)
    results_actions.results_import(
        by=by,
        year=year,
        adjustments=[
            ImportedAdjustment(
                a.id or "",
                departments[a.department],
                to_decimal(a.amount),
                a.reason,
                a.meeting or "",
            )
            for a in bundle.adjustments
        ],
        vetoes=[
            ImportedVeto(v.id or "", departments[v.department], v.reason, v.note or "")
            for v in bundle.vetoes
        ],
        # the year's standing decisions, as if the party group had confirmed them
        decisions=decisions if bundle.decisions else None,
    )
    return decisions


@transaction.atomic
def year_import(*, by: Any, bundle: Bundle) -> Year:
    """Create a year from a validated bundle, all or nothing, through each app's import action;
    InvalidInput if the database objects, or if its decisions do not fit its ranking (as
    `kaohe compute` would say)."""
    problems = _database_problems(bundle)
    if bundle.decisions:
        problems += settle(bundle, trail=False).problems
    if problems:
        raise InvalidInput(problems)
    year, departments = _year_import_create(by, bundle)
    entries = _entries(by, year, bundle, departments)
    ledger_actions.entries_import(by=by, year=year, entries=entries)
    ballots = [
        ImportedBallot(b.kind, b.round, ballot_uuid(b.id), b.group or "", b.grades)
        for b in bundle.ballots
    ]
    ballot_actions.rounds_import(by=by, year=year, ballots=ballots)
    decisions = _results_import(by, year, bundle, departments)
    touch(year.year)
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


def _year_import_create(by: Any, bundle: Bundle) -> tuple[Year, dict[str, Department]]:
    """The bundle's departments (added where new) and the year's row with its assessed ones."""
    rows = [(d.code, d.name, d.type, d.parent or "") for d in bundle.departments]
    departments = org_actions.departments_import(by=by, departments=rows)
    assessed = [
        (departments[d.code], d.type, bundle.previous_ranks.get(d.code)) for d in bundle.departments
    ]
    year = year_actions.year_import_create(
        by=by,
        year=bundle.year,
        scheme_id=bundle.scheme.id,
        scheme_document=dict(bundle.scheme.document),
        assessed=assessed,
    )
    return year, departments


def _entries(
    by: Any, year: Year, bundle: Bundle, departments: dict[str, Department]
) -> list[ImportedEntry]:
    """The bundle's entries as the ledger stores them, their persons added to the staff."""
    named: dict[str, set[str]] = {}
    for e in bundle.entries:
        named.setdefault(e.department, set()).update(e.extra.get("persons", []))
    persons = {
        code: org_actions.persons_import(by=by, department=departments[code], names=names)
        for code, names in named.items()
        if names
    }
    scheme = bundle.scheme
    rows = []
    for n, e in enumerate(bundle.entries, start=1):
        rule = scheme.rules[e.rule]
        staff = persons.get(e.department, {})
        rows.append(
            ImportedEntry(
                ref=reference_normal(year.year, e.extra.get("id") or "") or reference(year.year, n),
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
                decision_method=DECISION_CODES.get(e.extra.get("decided_by", ""), ""),
                decision_meeting=e.extra.get("meeting", ""),
                persons=tuple(staff[name] for name in e.extra.get("persons", [])),
            )
        )
    return rows
