"""Reads of results: the proposal, its blockers, published versions, and last year's ranks."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from kaohe.ballots.models import Round, RoundStatus
from kaohe.engine import (
    Bundle,
    InvalidInput,
    Results,
    Scheme,
    builtin_scheme,
    compute,
    parse_bundle,
    parse_scheme,
)
from kaohe.engine.bundle import bundle_to_document
from kaohe.engine.output import HONOR_NAMES, results_document
from kaohe.ledger.models import Entry, EntryStatus, Objection, ObjectionStatus
from kaohe.results.decisions import (
    TieGroup,
    boundary_ties,
    decision_problems,
    default_recommended,
    final_honors,
)
from kaohe.results.models import Publication
from kaohe.results.seal import SealBroken, canonical_json, chain_problems, digest_of
from kaohe.years.models import SelfAssessment, Year
from kaohe.years.selectors import year_bundle

__all__ = ["SealBroken", "canonical_json", "digest_of"]  # with the selectors below


# --- published versions: every read goes through the seal check ---------------------------


def _checked(versions: Iterable[Publication]) -> list[Publication]:
    """The versions (ordered by year and number), once every year's chain among them holds."""
    by_year: dict[int, list[Publication]] = {}
    for p in versions:
        by_year.setdefault(p.year.year, []).append(p)
    problems = [problem for chain in by_year.values() for problem in chain_problems(chain)]
    if problems:
        raise SealBroken(problems)
    return [p for chain in by_year.values() for p in chain]


def checked_versions(year: Year | int, *, upto: int | None = None) -> list[Publication]:
    """A year's published versions, oldest first (up to version `upto`), each seal and link of
    the chain checked; SealBroken if one fails. Every read of a published version comes here."""
    number = year if isinstance(year, int) else year.year
    versions = Publication.objects.filter(year__year=number)
    if upto is not None:
        versions = versions.filter(number__lte=upto)
    return _checked(versions.select_related("year", "confirmed_by").order_by("number"))


def latest_publication(year: Year | int) -> Publication | None:
    """The year's current published version (the highest number), if any."""
    versions = checked_versions(year)
    return versions[-1] if versions else None


# --- last year's ranks ---------------------------------------------------------------------


def published_ranks(year_number: int) -> tuple[Publication | None, dict[str, int]]:
    """A year's ranks as its current published version gives them (empty if unpublished)."""
    publication = latest_publication(year_number)
    if publication is None:
        return None, {}
    return publication, {d["code"]: d["rank"] for d in publication.results["departments"]}


def proposal_bundle(year: Year) -> tuple[Bundle, Publication | None, SealBroken | None]:
    """The year's bundle for the proposal: last year's published ranks, when there are any,
    replace the ranks entered by hand (YearDepartment.previous_rank) for 争先进位. Should last
    year's versions fail their seals, no ranks are used at all (and the proposal is blocked)."""
    bundle = year_bundle(year)
    try:
        previous, ranks = published_ranks(year.year - 1)
    except SealBroken as broken:
        return dataclasses.replace(bundle, previous_ranks={}), None, broken
    if previous is None:
        return bundle, None, None
    codes = {d.code for d in bundle.departments}
    kept = {code: rank for code, rank in sorted(ranks.items()) if code in codes}
    return dataclasses.replace(bundle, previous_ranks=kept), previous, None


# --- the proposal and what blocks it ------------------------------------------------------


@dataclass(frozen=True)
class Issue:
    """A blocker or a warning, with links to where it is fixed."""

    message: str
    link: str | None = None
    items: tuple[tuple[str, str | None], ...] = ()


@dataclass(frozen=True)
class Proposal:
    """The computed proposal of a year, with what keeps it from confirmation."""

    year: Year
    bundle: Bundle
    document: dict[str, Any]
    digest: str
    results: Results
    ties: list[TieGroup]
    recommended: list[str]
    kept: dict[str, list[str]]
    honors: dict[str, list[str]]
    blockers: list[Issue]
    warnings: list[Issue]
    latest: Publication | None
    previous: Publication | None
    previous_broken: SealBroken | None = None  # last year's versions fail their seals

    @property
    def results_doc(self) -> dict[str, Any]:
        """The kaohe-results/1 document, as `kaohe compute` prints it."""
        return results_document(self.results)


def year_proposal(year: Year) -> Proposal:
    """Compute the year's proposal from confirmed entries, closed rounds, adjustments, vetoes."""
    bundle, previous, previous_broken = proposal_bundle(year)
    document = bundle_to_document(bundle)
    results = compute(bundle)
    sizes = bundle.scheme.honors
    ties = boundary_ties(results, sizes)
    latest = latest_publication(year)
    recommended, kept = default_recommended(results, sizes), {}
    if latest is not None:  # a correction starts from the choices already published, if they hold
        chosen = list(latest.decisions.get("recommended", []))
        settled = {t["honor"]: list(t["kept"]) for t in latest.decisions.get("ties", [])}
        settled = {t.honor: settled[t.honor] for t in ties if t.honor in settled}
        if not decision_problems(results, sizes, ties, settled, chosen):
            recommended, kept = chosen, settled
    return Proposal(
        year=year,
        bundle=bundle,
        document=document,
        digest=digest_of(document),
        results=results,
        ties=ties,
        recommended=recommended,
        kept=kept,
        honors=final_honors(results, ties, kept, recommended),
        blockers=[*seal_blockers(previous_broken), *proposal_blockers(year, results)],
        warnings=proposal_warnings(year),
        latest=latest,
        previous=previous,
        previous_broken=previous_broken,
    )


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


def link(*candidates: tuple[str, Sequence[Any]]) -> str | None:
    """The first of these URL names that exists (other apps add their pages over time)."""
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
    y = year.year
    issues: list[Issue] = []
    range_rules = [r.id for r in year.scheme.rules.values() if r.kind == "range"]
    pending = list(
        Entry.objects.filter(
            year=year, status=EntryStatus.SUBMITTED, rule_id__in=range_rules, amount__isnull=True
        )
        .select_related("year", "department")
        .order_by("ref")
    )
    if pending:
        issues.append(
            Issue(
                _("%(n)s range entries wait for the assessment office's decision on their amount.")
                % {"n": len(pending)},
                link(("ledger:review", [y]), ("ledger:entries", [y])),
                tuple(
                    (f"{e.ref} {e.department.name} {e.rule_id}", _entry_link(e)) for e in pending
                ),
            )
        )
    objections = list(
        Objection.objects.filter(entry__year=year, status=ObjectionStatus.OPEN)
        .select_related("entry__year", "entry__department")
        .order_by("created_at")
    )
    if objections:
        issues.append(
            Issue(
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
        )
    rounds = list(
        Round.objects.filter(year=year, status=RoundStatus.OPEN).order_by("kind", "period")
    )
    if rounds:
        issues.append(
            Issue(
                _("%(n)s evaluation rounds are still open; close them first.") % {"n": len(rounds)},
                link(("ballots:rounds", [y])),
                tuple((str(r), link(("ballots:round", [r.pk]))) for r in rounds),
            )
        )
    missing = sorted(
        {(f, d.name) for d in results.departments for f in d.flags if f.startswith("no_grades:")}
    )
    if missing:
        kinds = {k: year.scheme.kinds[k].name for k in year.scheme.kinds}
        issues.append(
            Issue(
                _(
                    "The results are incomplete: some departments received no valid grade in an "
                    "evaluation kind (rules.md §7 forbids confirming them)."
                ),
                link(("ballots:rounds", [y])),
                tuple(
                    (
                        _("%(department)s: %(kind)s")
                        % {"department": name, "kind": kinds[f.split(":", 1)[1]]},
                        None,
                    )
                    for f, name in missing
                ),
            )
        )
    return issues


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
    # rules.md §8: every department submits its self-assessment form by 10 January.
    submitted = SelfAssessment.objects.filter(year=year).values_list("department_id", flat=True)
    for a in year.assessed.exclude(department_id__in=submitted).select_related("department"):
        warnings.append(
            Issue(
                _("%(name)s has not submitted its self-assessment form.")
                % {"name": a.department.name},
                link(("years:self_assessment", [y, a.department.code])),
            )
        )
    return warnings


def _range_rule_ids(year: Year) -> list[str]:
    return [r.id for r in year.scheme.rules.values() if r.kind == "range"]


# --- published versions --------------------------------------------------------------------


class PublicationMismatch(Exception):
    """The stored inputs no longer compute to the stored figures (the engine changed)."""


def publication_bundle(publication: Publication) -> Bundle:
    """The version's inputs as the engine reads them; InvalidInput if it no longer accepts them."""
    return parse_bundle(publication.bundle)


def publication_scheme(publication: Publication) -> Scheme:
    """The version's scheme: from its inputs (a scheme id of the built-in ones, or inline)."""
    scheme = publication.bundle["scheme"]
    return builtin_scheme(scheme) if isinstance(scheme, str) else parse_scheme(scheme)


def publication_results(publication: Publication) -> Results:
    """The version's results recomputed from its stored inputs, with trails; checked to be the
    very figures that were published."""
    cached = publication.__dict__.get("_computed")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    try:
        results = compute(publication_bundle(publication))
    except InvalidInput as exc:  # the stored inputs no longer pass a stricter engine
        raise PublicationMismatch(f"{publication}: {exc}") from None
    if results_document(results) != publication.results:
        raise PublicationMismatch(str(publication))
    publication.__dict__["_computed"] = results
    return results


def year_versions(year: Year) -> list[Publication]:
    """All published versions of a year, oldest first."""
    return checked_versions(year)


def version_for(year: Year, number: int) -> Publication | None:
    """One published version of a year (the chain up to it checked)."""
    versions = checked_versions(year, upto=number)
    return versions[-1] if versions and versions[-1].number == number else None


# --- across years ---------------------------------------------------------------------------


@dataclass(frozen=True)
class YearCell:
    """One department in one year's current published version."""

    rank: int
    total: str
    honors: tuple[tuple[str, str], ...]
    number: int


@dataclass(frozen=True)
class AcrossYears:
    """Published results of several years side by side: a row per department."""

    years: list[int]
    rows: list[tuple[str, str, list[YearCell | None]]]


def across_years() -> AcrossYears:
    """Every year's current published version, departments as rows (by code)."""
    latest: dict[int, Publication] = {}
    every = Publication.objects.select_related("year", "confirmed_by")
    for p in _checked(every.order_by("year__year", "number")):
        latest[p.year.year] = p
    years = sorted(latest)
    names: dict[str, str] = {}
    cells: dict[str, dict[int, YearCell]] = {}
    for y in years:
        p = latest[y]
        names.update({d["code"]: d["name"] for d in p.bundle["departments"]})
        for d in p.results["departments"]:
            cells.setdefault(d["code"], {})[y] = YearCell(
                d["rank"],
                d["total"],
                tuple((h, HONOR_NAMES.get(h, h)) for h in p.honors.get(d["code"], [])),
                p.number,
            )
    last = years[-1] if years else 0
    order = sorted(
        cells, key=lambda c: (last not in cells[c], getattr(cells[c].get(last), "rank", 0), c)
    )
    rows = [(code, names[code], [cells[code].get(y) for y in years]) for code in order]
    return AcrossYears(years, rows)
