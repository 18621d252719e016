"""What keeps a year's proposal from confirmation (blockers) or should be known first (warnings)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext as _

from kaohe.ballots.models import Round, RoundStatus
from kaohe.core.memory import Memo
from kaohe.engine import Results
from kaohe.engine.vocabulary import RuleKind
from kaohe.ledger.models import Entry, EntryStatus, Objection, ObjectionStatus
from kaohe.results.seal import SealBroken
from kaohe.years.models import SelfAssessment, Year


@dataclass(frozen=True)
class Issue:
    """A blocker or a warning, with links to where it is fixed."""

    message: str
    link: str | None = None
    items: tuple[tuple[str, str | None], ...] = ()


def link(*candidates: tuple[str, Sequence[Any]]) -> str | None:
    """The first of these URL names that exists (other apps add their pages over time); once
    per process for each (the proposal links each of 200 departments' forms on every request)."""
    key = (get_script_prefix(), get_urlconf(), tuple((n, tuple(a)) for n, a in candidates))
    return _links.get(key, lambda: _first_link(candidates))


_links: Memo[str | None] = Memo(8192)  # a few years' departments and entries


def _first_link(candidates: Sequence[tuple[str, Sequence[Any]]]) -> str | None:
    for name, args in candidates:
        try:
            return reverse(name, args=list(args))
        except NoReverseMatch:
            continue
    return None


def _entry_link(entry: Entry) -> str | None:
    y = entry.year.year
    return link(("ledger:entry_detail", [entry.pk]), ("ledger:review", [y]))


def proposal_blockers(year: Year, results: Results) -> list[Issue]:
    """What must be settled before confirmation (rules.md §3, §7), each with where to fix it."""
    found = (
        _undecided_ranges(year),
        _open_objections(year),
        _open_rounds(year),
        _missing_grades(year, results),
    )
    return [issue for issue in found if issue is not None]


def _undecided_ranges(year: Year) -> Issue | None:
    y = year.year
    range_rules = [r.id for r in year.scheme.rules.values() if r.kind == RuleKind.RANGE]
    pending = list(
        Entry.objects.filter(
            year=year, status=EntryStatus.SUBMITTED, rule_id__in=range_rules, amount__isnull=True
        )
        .select_related("year", "department")
        .order_by("ref")
    )
    if not pending:
        return None
    return Issue(
        _("%(n)s range entries wait for the assessment office's decision on their amount.")
        % {"n": len(pending)},
        link(("ledger:review", [y]), ("ledger:entries", [y])),
        tuple((f"{e.ref} {e.department.name} {e.rule_id}", _entry_link(e)) for e in pending),
    )


def _open_objections(year: Year) -> Issue | None:
    y = year.year
    objections = list(
        Objection.objects.filter(entry__year=year, status=ObjectionStatus.OPEN)
        .select_related("entry__year", "entry__department")
        .order_by("created_at")
    )
    if not objections:
        return None
    return Issue(
        _("%(n)s objections are still open.") % {"n": len(objections)},
        link(("ledger:objections", [y]), ("ledger:review", [y])),
        tuple(
            (
                f"{o.entry.ref} {o.entry.department.name}",
                link(("ledger:objection_detail", [o.pk])) or _entry_link(o.entry),
            )
            for o in objections
        ),
    )


def _open_rounds(year: Year) -> Issue | None:
    rounds = list(
        Round.objects.filter(year=year, status=RoundStatus.OPEN).order_by("kind", "period")
    )
    if not rounds:
        return None
    return Issue(
        _("%(n)s evaluation rounds are still open; close them first.") % {"n": len(rounds)},
        link(("ballots:rounds", [year.year])),
        tuple((str(r), link(("ballots:round", [r.pk]))) for r in rounds),
    )


def _missing_grades(year: Year, results: Results) -> Issue | None:
    missing = sorted(
        {(f, d.name) for d in results.departments for f in d.flags if f.startswith("no_grades:")}
    )
    if not missing:
        return None
    kinds = {k: year.scheme.kinds[k].name for k in year.scheme.kinds}
    return Issue(
        _(
            "The results are incomplete: some departments received no valid grade in an "
            "evaluation kind (rules.md §7 forbids confirming them)."
        ),
        link(("ballots:rounds", [year.year])),
        tuple(
            (
                _("%(department)s: %(kind)s")
                % {"department": name, "kind": kinds[f.split(":", 1)[1]]},
                None,
            )
            for f, name in missing
        ),
    )


def proposal_warnings(year: Year) -> list[Issue]:
    """What does not block confirmation but should be known before it."""
    y = year.year
    warnings = []
    waiting = (
        Entry.objects.filter(year=year, status=EntryStatus.SUBMITTED)
        .exclude(amount__isnull=True, rule_id__in=_range_rule_ids(year))
        .count()
    )
    if waiting:
        warnings.append(
            Issue(
                _("%(n)s submitted entries are not confirmed yet and do not count.")
                % {"n": waiting},
                link(("ledger:review", [y]), ("ledger:entries", [y])),
            )
        )
    drafts = Entry.objects.filter(
        year=year, status__in=[EntryStatus.DRAFT, EntryStatus.RETURNED]
    ).count()
    if drafts:
        warnings.append(
            Issue(
                _("%(n)s entries are drafts or returned to their clerks and do not count.")
                % {"n": drafts},
                link(("ledger:entries", [y])),
            )
        )
    missing = _missing_self_assessments(year)
    if missing is not None:
        warnings.append(missing)
    return warnings


def _missing_self_assessments(year: Year) -> Issue | None:
    """rules.md §8: every department submits its self-assessment form by 10 January; the
    departments that have not are one warning (each named and linked), not one line each."""
    y = year.year
    submitted = SelfAssessment.objects.filter(year=year).values_list("department_id", flat=True)
    missing = list(
        year.assessed.exclude(department_id__in=submitted)
        .order_by("department__code")
        .values_list("department__code", "department__name")
    )
    if not missing:
        return None
    return Issue(
        _("Departments that have not submitted their self-assessment form (%(n)s):")
        % {"n": len(missing)},
        None,
        tuple((name, link(("years:self_assessment", [y, code]))) for code, name in missing),
    )


def _range_rule_ids(year: Year) -> list[str]:
    return [r.id for r in year.scheme.rules.values() if r.kind == RuleKind.RANGE]


def seal_blockers(broken: SealBroken | None) -> list[Issue]:
    """Last year's ranks are not taken from versions that fail their seals."""
    if broken is None:
        return []
    return [
        Issue(
            _(
                "Last year's ranks are not used: the stored record of last year's published "
                "results was altered, so no department can be named most improved. Restore the "
                "database from a backup; the command kaohe verify lists what was altered."
            ),
            None,
            tuple((problem.text(), None) for problem in broken.problems),
        )
    ]
