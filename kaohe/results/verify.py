"""`kaohe verify`: every published version checked as anyone holding its record could check it.

For each version: its seal against its stored record, its link to the version before (the
chain), the digest of its stored inputs, and the engine's results for those inputs against the
stored results. Plus the database guards (kaohe/results/guards.py) being in place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection

from kaohe.audit.choices import AuditAction
from kaohe.audit.models import AuditEvent
from kaohe.results.guards import GUARDS, PERMIT, permit_held
from kaohe.results.models import Publication
from kaohe.results.seal import SealProblem, chain_problems, digest_of
from kaohe.results.selectors import PublicationMismatch, publication_results


@dataclass
class VersionCheck:
    """One version and what is wrong with it (nothing: it holds)."""

    publication: Publication
    seal_problems: list[SealProblem] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def holds(self) -> bool:
        """Seal, chain, digest and recomputation all hold."""
        return not self.seal_problems and not self.problems


def version_checks(year: int | None = None) -> list[VersionCheck]:
    """Every published version (of one year, or of all), oldest first, checked."""
    versions = Publication.objects.select_related("year", "confirmed_by")
    if year is not None:
        versions = versions.filter(year__year=year)
    checks = [VersionCheck(p) for p in versions.order_by("year__year", "number")]
    by_year: dict[int, list[VersionCheck]] = {}
    for check in checks:
        by_year.setdefault(check.publication.year.year, []).append(check)
    for chain in by_year.values():
        by_id = {c.publication.pk: c for c in chain}
        for problem in chain_problems([c.publication for c in chain]):
            by_id[problem.publication_id].seal_problems.append(problem)
    for check in checks:
        check.problems = _content_problems(check.publication)
    return checks


def _content_problems(p: Publication) -> list[str]:
    problems = []
    if digest_of(p.bundle) != p.digest:
        problems.append(f"its stored inputs do not give its stored digest {p.digest[:16]}…")
    try:
        publication_results(p)
    except PublicationMismatch as exc:
        problems.append(
            f"the engine's results for its stored inputs are not its stored results ({exc})"
        )
    return problems


def versions_gone(year: int | None = None) -> list[tuple[int, int]]:
    """(year, number) of each version the audit trail says was published and that is not stored.

    A deleted version leaves no seal to check, but its publication was audited.
    """
    events = AuditEvent.objects.filter(action=AuditAction.PUBLICATION_CONFIRM)
    if year is not None:
        events = events.filter(year=year)
    audited = {(e.year, e.after["version"]) for e in events if e.year and e.after}
    stored = set(Publication.objects.values_list("year__year", "number"))
    return sorted(audited - stored)


def guards_missing() -> list[str]:
    """What keeps the database guards from holding: each missing guard, and an open permit."""
    problems = [f"{name} is missing or disabled" for name in GUARDS.missing(connection)]
    if permit_held(connection):
        problems.append(f"{PERMIT} holds a row: deletes are let through")
    return problems
