"""Reads of results: the live proposal with the party group's standing decisions, published
versions, what every page shows of a year, and last year's ranks."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from kaohe.constants import honor_name
from kaohe.core import memory
from kaohe.core.reads import in_request, keep_for_request, kept_for_request, once_per_request
from kaohe.engine import (
    Bundle,
    Decisions,
    InvalidInput,
    Problem,
    Results,
    Scheme,
    Settlement,
    builtin_scheme,
    compute,
    parse_bundle,
    parse_scheme,
    settle,
)
from kaohe.engine.results import results_document
from kaohe.results import stored
from kaohe.results.blockers import Issue, proposal_blockers, proposal_warnings, seal_blockers
from kaohe.results.bundle import year_bundle, year_results
from kaohe.results.models import PartyDecisions, Publication
from kaohe.results.seal import SealBroken, canonical_json, chain_problems, digest_of
from kaohe.results.stored import Computed
from kaohe.years.models import Year

__all__ = ["SealBroken", "canonical_json", "digest_of"]  # with the selectors below


# --- published versions: every read goes through the seal check ---------------------------


def _chains(versions: Iterable[Publication], seal: Any = None) -> list[Publication]:
    """The versions (ordered by year and number), once every year's chain among them holds
    (each record's seal as `seal` gives it)."""
    by_year: dict[int, list[Publication]] = {}
    for p in versions:
        by_year.setdefault(p.year.year, []).append(p)
    problems = [problem for chain in by_year.values() for problem in chain_problems(chain, seal)]
    if problems:
        raise SealBroken(problems)
    return [p for chain in by_year.values() for p in chain]


# The published versions' large columns, and the rows this process checked, by id: the key of
# exactly what it checked, and those columns. On PostgreSQL a row's `xmin` changes with every
# write to it (the guards refuse writes, but one who owns the database can drop them), so a row
# read with the key it was checked with is the very record that was checked: each read then costs
# a query of the small columns, not decoding megabytes of JSON and hashing them again (issue 15).
# The key also holds what the seal reads from other rows (the year's number, the confirming
# login). Elsewhere (SQLite) every read checks the whole record.
_LARGE = ("bundle", "results", "honors", "decisions")
_verified: dict[int, tuple[tuple[Any, ...], dict[str, Any]]] = {}


def _row_key(p: Publication) -> tuple[Any, ...]:
    """What identifies the record checked: the row's version and what the seal reads besides."""
    return (p.__dict__["row_version"], p.year.year, p.confirmed_by.username, p.seal)


def _versioned(versions: QuerySet[Publication]) -> QuerySet[Publication]:
    """The query with each row's version (PostgreSQL's xmin)."""
    return versions.annotate(row_version=RawSQL("results_publication.xmin::text", ()))


def _restored(light: list[Publication]) -> bool:
    """Whether each of these rows (read without their large columns) is a row this process
    checked, unchanged since; if so each gets back the large columns it was checked with."""
    known = [_verified.get(p.pk) for p in light]
    if not all(k is not None and k[0] == _row_key(p) for p, k in zip(light, known, strict=True)):
        return False
    for p, k in zip(light, known, strict=True):
        assert k is not None
        p.__dict__.update(k[1])
    return True


def _seal_checked(p: Publication) -> str:
    """A restored row's seal: its record was checked against it when it was read in full."""
    return p.seal


def _checked(versions: QuerySet[Publication]) -> list[Publication]:
    """The versions of the query (ordered by year and number), once every year's chain among
    them holds; rows this process checked before, unchanged, are not decoded and hashed again."""
    if connection.vendor != "postgresql":
        return _chains(versions)
    versioned = _versioned(versions)
    light = list(versioned.defer(*_LARGE))
    if _restored(light):
        return _chains(light, seal=_seal_checked)  # links and gaps: the seals were checked
    full = _chains(versioned)
    if len(_verified) > 256:  # bounded: a process reads a few years' versions
        _verified.clear()
    for checked in full:
        _verified[checked.pk] = (_row_key(checked), {f: checked.__dict__[f] for f in _LARGE})
    memory.settled()
    return full


def checked_versions(year: Year | int, *, upto: int | None = None) -> list[Publication]:
    """A year's published versions, oldest first (up to version `upto`), each seal and link of
    the chain checked; SealBroken if one fails. Every read of a published version comes here."""
    number = year if isinstance(year, int) else year.year

    def read() -> list[Publication]:
        versions = Publication.objects.filter(year__year=number)
        if upto is not None:
            versions = versions.filter(number__lte=upto)
        return _checked(versions.select_related("year", "confirmed_by").order_by("number"))

    # A page asks this of its year up to three times (the page, the menu, the version list).
    return list(once_per_request(("checked_versions", number, upto), read))


def _read_current_versions(numbers: Iterable[int]) -> None:
    """Within a GET: the versions of these years read in one query, each year kept for the
    request once its chain holds (a year's page asks for its own and for last year's). On
    PostgreSQL only rows this process checked before count (as in _checked). A year left out (a
    row not checked before, a chain that fails) is read alone by checked_versions, which raises
    for it alone."""
    wanted = [n for n in numbers if not kept_for_request(("checked_versions", n, None))]
    if not in_request() or len(wanted) < 2:
        return
    versions: QuerySet[Publication] = Publication.objects.filter(
        year__year__in=wanted
    ).select_related("year", "confirmed_by")
    light = connection.vendor == "postgresql"
    if light:
        versions = _versioned(versions).defer(*_LARGE)
    by_year: dict[int, list[Publication]] = {n: [] for n in wanted}
    for row in versions.order_by("year__year", "number"):
        by_year[row.year.year].append(row)
    for number, rows in by_year.items():
        if light and not _restored(rows):
            continue
        try:
            chain = _chains(rows, seal=_seal_checked if light else None)
        except SealBroken:
            continue
        keep_for_request(("checked_versions", number, None), chain)


def latest_publication(year: Year | int) -> Publication | None:
    """The year's current published version (the highest number), if any."""
    versions = checked_versions(year)
    return versions[-1] if versions else None


# --- last year's ranks ---------------------------------------------------------------------


def last_year_ranks(year_number: int, *, live: bool) -> tuple[Publication | None, dict[str, int]]:
    """The ranks of the year before `year_number`: as its current published version gives them;
    if it has none and `live`, as the engine computes it now (when that year is in the
    database); else none. SealBroken if its published versions fail their seals."""
    publication = latest_publication(year_number - 1)
    if publication is not None:
        return publication, {d["code"]: d["rank"] for d in publication.results["departments"]}
    previous = Year.objects.filter(year=year_number - 1).first() if live else None
    if previous is None:
        return None, {}
    return None, {d.code: d.rank for d in year_results(previous).departments}


def standing_decisions(year: Year) -> Decisions:
    """The party group's decisions the year stands on: the last confirmed (or imported) ones."""
    row = PartyDecisions.objects.filter(year=year).first()
    return Decisions() if row is None else row.to_engine()


LastYear = tuple[Publication | None, dict[str, int], SealBroken | None]


def _last_year(year: Year) -> LastYear:
    """Last year's current published version and its ranks, or why its seals fail."""
    try:
        previous, ranks = last_year_ranks(year.year, live=False)
    except SealBroken as broken:
        return None, {}, broken
    return previous, ranks, None


def proposal_bundle(
    year: Year, last: LastYear | None = None
) -> tuple[Bundle, Publication | None, SealBroken | None]:
    """The year's bundle for the proposal, with the standing decisions (unchecked: live_year
    applies those that fit). Last year's published ranks, when there are any, replace the
    ranks entered by hand (YearDepartment.previous_rank) for 争先进位. Should last year's
    versions fail their seals, no ranks are used at all (and the proposal is blocked)."""
    previous, ranks, broken = _last_year(year) if last is None else last
    bundle = dataclasses.replace(year_bundle(year), decisions=standing_decisions(year))
    if broken is not None:
        return dataclasses.replace(bundle, previous_ranks={}), None, broken
    if previous is None:
        return bundle, None, None
    codes = {d.code for d in bundle.departments}
    kept = {code: rank for code, rank in sorted(ranks.items()) if code in codes}
    return dataclasses.replace(bundle, previous_ranks=kept), previous, None


# --- the live computation and the proposal --------------------------------------------------


@dataclass(frozen=True)
class Live:
    """The year computed live by the engine: `bundle` carries the standing decisions that still
    fit its ranking; `stale` says which no longer do (left out, for the party group to redo)."""

    bundle: Bundle
    settlement: Settlement
    stale: tuple[Problem, ...]
    previous: Publication | None
    previous_broken: SealBroken | None  # last year's versions fail their seals
    computed: Computed  # the stored computation, with its documents

    @property
    def results(self) -> Results:
        """The live results."""
        return self.settlement.results


def live_year(year: Year, *, trail: bool = True, types: Mapping[str, str] | None = None) -> Live:
    """The year as the engine computes it now: what `kaohe export` + `kaohe compute` give.
    Computed once per change of the year's inputs (results.stored), always with trails
    (`trail` is kept for the callers that need none). With `types` (department code → type),
    as it would compute were those departments of that type (the preview of a type
    correction): computed afresh, never stored."""
    last = _last_year(year)
    previous, _ranks, broken = last
    previous_id = None if previous is None else previous.pk

    def compute_now() -> Computed:
        raw, _previous, _broken = proposal_bundle(year, last)
        if types:
            departments = tuple(d._replace(type=types.get(d.code, d.type)) for d in raw.departments)
            raw = dataclasses.replace(raw, departments=departments)
        settlement = settle(raw, trail=True)
        bundle = dataclasses.replace(raw, decisions=settlement.applied)
        applied = dataclasses.replace(settlement, problems=())
        return Computed(bundle, applied, settlement.problems, previous_id, broken is not None)

    if types:
        c = compute_now()
    else:
        c = stored.computed(year, previous_id, broken is not None, compute_now)
    return Live(c.bundle, c.settlement, c.stale, previous, broken, c)


@dataclass(frozen=True)
class Proposal:
    """The computed proposal of a year, with what keeps it from confirmation."""

    year: Year
    bundle: Bundle
    document: dict[str, Any]
    digest: str
    settlement: Settlement
    stale: tuple[Problem, ...]
    blockers: list[Issue]
    warnings: list[Issue]
    latest: Publication | None
    previous: Publication | None
    previous_broken: SealBroken | None  # last year's versions fail their seals
    computed: Computed

    @property
    def results(self) -> Results:
        """The engine's results of the proposal."""
        return self.settlement.results

    @property
    def results_doc(self) -> dict[str, Any]:
        """The kaohe-results/1 document, as `kaohe compute` prints it (read, never change)."""
        return self.computed.results_document

    @property
    def honors(self) -> dict[str, list[str]]:
        """Each department's honors in the proposal, as the engine gives them."""
        return {d.code: list(d.honors) for d in self.results.departments}

    def honors_of(self, honor: str) -> list[str]:
        """The departments holding `honor` in the proposal, in ranking order."""
        return [d.code for d in self.results.departments if honor in d.honors]


def year_proposal(year: Year) -> Proposal:
    """Compute the year's proposal from confirmed entries, closed rounds, adjustments, vetoes,
    last year's ranks and the party group's standing decisions."""
    _read_current_versions((year.year, year.year - 1))  # this year's and last year's ranks
    live = live_year(year)
    return Proposal(
        year=year,
        bundle=live.bundle,
        document=live.computed.bundle_document,
        digest=live.computed.digest,
        settlement=live.settlement,
        stale=live.stale,
        blockers=[*seal_blockers(live.previous_broken), *proposal_blockers(year, live.results)],
        warnings=proposal_warnings(year),
        latest=latest_publication(year),
        previous=live.previous,
        previous_broken=live.previous_broken,
        computed=live.computed,
    )


def confirmation(proposal: Proposal, decisions: Decisions) -> Settlement:
    """The proposal with the party group's choices in place of the standing decisions: the
    honors as they would be published, and the tied groups as those choices leave them."""
    return settle(dataclasses.replace(proposal.bundle, decisions=decisions))


# --- what every page shows ----------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """What the pages show of a year: its current published version, or before publication
    the engine's proposal (`live`); both as documents, the kaohe-results/1 of the bundle."""

    publication: Publication | None
    bundle: Mapping[str, Any]
    results: Mapping[str, Any]
    honors: Mapping[str, list[str]]
    live: Live | None

    @property
    def key(self) -> tuple[str, ...]:
        """What names the figures shown: the version's seal, else the live inputs' digest (the
        key of the parts of pages rendered once, kaohe.core.fragments)."""
        if self.publication is not None:
            return ("published", self.publication.seal)
        assert self.live is not None
        return ("live", self.live.computed.digest)


def shown_figures(year: Year, *, trail: bool = False) -> Shown:
    """The year's figures as every page shows them: published, else proposed."""
    _read_current_versions((year.year, year.year - 1))  # this year's and last year's ranks
    publication = latest_publication(year)
    if publication is not None:
        honors = publication_honors(publication)
        return Shown(publication, publication.bundle, publication.results, honors, None)
    live = live_year(year, trail=trail)
    results = live.computed.results_document
    honors = {d["code"]: list(d["honors"]) for d in results["departments"]}
    return Shown(None, live.computed.bundle_document, results, honors, live)


def shown_results(shown: Shown) -> tuple[Bundle, Results]:
    """The engine's bundle and results (with trails) behind what is shown;
    PublicationMismatch if a version's stored inputs no longer give its figures."""
    if shown.publication is not None:
        return publication_bundle(shown.publication), publication_results(shown.publication)
    assert shown.live is not None
    return shown.live.bundle, shown.live.results


# --- published versions --------------------------------------------------------------------


class PublicationMismatch(Exception):
    """The stored inputs no longer compute to the stored figures (the engine changed)."""


def publication_bundle(publication: Publication) -> Bundle:
    """The version's inputs as the engine reads them; InvalidInput if it no longer accepts them.
    Read once per process and version (keyed by its seal, which every read checks first)."""
    return _bundles.get(
        (publication.pk, publication.seal), lambda: parse_bundle(publication.bundle)
    )


_bundles: memory.Memo[Bundle] = memory.Memo(16, settle=True)  # a few years' current versions


def publication_scheme(publication: Publication) -> Scheme:
    """The version's scheme: from its inputs (a scheme id of the built-in ones, or inline)."""
    scheme = publication.bundle["scheme"]
    return builtin_scheme(scheme) if isinstance(scheme, str) else parse_scheme(scheme)


def publication_honors(publication: Publication) -> dict[str, list[str]]:
    """The honors a version announced: those of its results, which its bundle's decisions
    settled. A version published before decisions were engine input kept them apart. Once per
    process and version (keyed by its seal, which every read checks first): read, never change."""

    def make() -> dict[str, list[str]]:
        if publication.honors:  # such a version: the web's edits of the engine's honors
            return {code: list(honors) for code, honors in publication.honors.items()}
        return {d["code"]: list(d["honors"]) for d in publication.results["departments"]}

    return _honors.get((publication.pk, publication.seal), make)


_honors: memory.Memo[dict[str, list[str]]] = memory.Memo(16)  # a few years' current versions


def publication_results(publication: Publication) -> Results:
    """The version's results recomputed from its stored inputs, with trails; checked to be the
    very figures that were published (with the honors it announced)."""
    cached = publication.__dict__.get("_computed")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    results = _published.get((publication.pk, publication.seal), lambda: _recomputed(publication))
    publication.__dict__["_computed"] = results
    return results


def _recomputed(publication: Publication) -> Results:
    """The version's results computed again and checked against what it published."""
    try:
        results = compute(publication_bundle(publication))
    except InvalidInput as exc:  # the stored inputs no longer pass a stricter engine
        raise PublicationMismatch(f"{publication}: {exc}") from None
    if results_document(results) != publication.results:
        raise PublicationMismatch(str(publication))
    if not publication.honors:
        return results
    honors = publication_honors(publication)
    departments = tuple(
        dataclasses.replace(d, honors=tuple(honors.get(d.code, ()))) for d in results.departments
    )
    return dataclasses.replace(results, departments=departments)


# Each process recomputes a published version once: keyed by its seal, which every read checks
# against the stored record first (checked_versions), so a changed row is a new key. Bounded: a
# few years' current versions.
_published: memory.Memo[Results] = memory.Memo(16, settle=True)


def year_versions(year: Year) -> list[Publication]:
    """All published versions of a year, oldest first."""
    return checked_versions(year)


def version_for(year: Year, number: int) -> Publication | None:
    """One published version of a year (the chain up to it checked)."""
    versions = checked_versions(year, upto=number)
    return versions[-1] if versions and versions[-1].number == number else None


@dataclass(frozen=True)
class PublishedLine:
    """One department's published result in a line: rank, total, honors."""

    code: str
    name: str
    rank: int
    total: str
    honors: tuple[tuple[str, str], ...]


def published_lines(publication: Publication, codes: list[str]) -> list[PublishedLine]:
    """The published results of some departments of a version, in ranking order."""
    names = {d["code"]: d.get("name", d["code"]) for d in publication.bundle["departments"]}
    honors = publication_honors(publication)
    return [
        PublishedLine(
            d["code"],
            names[d["code"]],
            d["rank"],
            d["total"],
            tuple((h, honor_name(h)) for h in honors.get(d["code"], [])),
        )
        for d in publication.results["departments"]
        if d["code"] in codes
    ]


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
    versions: list[Publication]  # each year's current version, in the order of `years`


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
        honors = publication_honors(p)
        names.update({d["code"]: d["name"] for d in p.bundle["departments"]})
        for d in p.results["departments"]:
            cells.setdefault(d["code"], {})[y] = YearCell(
                d["rank"],
                d["total"],
                tuple((h, honor_name(h)) for h in honors.get(d["code"], [])),
                p.number,
            )
    last = years[-1] if years else 0
    order = sorted(
        cells, key=lambda c: (last not in cells[c], getattr(cells[c].get(last), "rank", 0), c)
    )
    rows = [(code, names[code], [cells[code].get(y) for y in years]) for code in order]
    return AcrossYears(years, rows, [latest[y] for y in years])
