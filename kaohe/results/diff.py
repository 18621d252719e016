"""Differences between two versions of a year's results (or a version and the live proposal)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kaohe.constants import flag_names, honor_names
from kaohe.core.memory import Memo
from kaohe.engine.scheme import KINDS, Scheme
from kaohe.results.models import Publication
from kaohe.results.selectors import (
    Live,
    Proposal,
    canonical_json,
    publication_honors,
)
from kaohe.results.stored import Computed


@dataclass(frozen=True)
class Snapshot:
    """What a version shows: figures, final honors, and the inputs with their digest."""

    label: str
    results: Mapping[str, Any]
    honors: Mapping[str, list[str]]
    bundle: Mapping[str, Any]
    digest: str


def publication_snapshot(publication: Publication) -> Snapshot:
    """A published version as a snapshot."""
    label = _("version %(n)s") % {"n": publication.number}
    return Snapshot(
        label,
        publication.results,
        publication_honors(publication),
        publication.bundle,
        publication.digest,
    )


def proposal_snapshot(proposal: Proposal) -> Snapshot:
    """The live proposal (with the standing decisions that still fit) as a snapshot."""
    return _live(proposal.results_doc, proposal.document, proposal.computed)


def live_snapshot(live: Live) -> Snapshot:
    """The live computation as a snapshot (its documents as the stored computation has them)."""
    return _live(live.computed.results_document, live.computed.bundle_document, live.computed)


def _live(results: dict[str, Any], bundle: dict[str, Any], computed: Computed) -> Snapshot:
    honors = {d["code"]: list(d["honors"]) for d in results["departments"]}
    label = _("current computation (unpublished)")
    return Snapshot(label, results, honors, bundle, computed.digest)


def live_diff(publication: Publication, computed: Computed, scheme: Scheme) -> Diff:
    """What the live computation changes from a published version: computed once per process,
    version, live computation and language (the pages ask it on every request)."""

    def make() -> Diff:
        live = _live(computed.results_document, computed.bundle_document, computed)
        return version_diff(publication_snapshot(publication), live, scheme)

    key = (publication.pk, publication.seal, computed.digest, get_language())
    return _live_diffs.get(key, make)


_live_diffs: Memo[Diff] = Memo(16)  # a few years' versions and languages


@dataclass(frozen=True)
class Change:
    """One value that differs."""

    what: str
    old: str
    new: str


@dataclass(frozen=True)
class DepartmentChanges:
    """The figures of one department that differ."""

    code: str
    name: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class Diff:
    """Everything that differs between two snapshots of one year."""

    old: Snapshot
    new: Snapshot
    departments: tuple[DepartmentChanges, ...]
    inputs: tuple[Change, ...]

    @property
    def same(self) -> bool:
        """Whether nothing at all differs."""
        return not self.departments and not self.inputs


def _figures(
    d: Mapping[str, Any] | None, honors: list[str], scheme: Scheme
) -> list[tuple[str, str]]:
    """A department's figures as (label, text) pairs, in the order the pages show them."""
    if d is None:
        return []
    rows = [(c.name, d["categories"][c.code]) for c in scheme.categories]
    rows.append((_("content"), d["content"]))
    rows += [(scheme.kinds[k].name, d["evaluation"][k]) for k in KINDS]
    rows += [
        (_("evaluation"), d["evaluation_total"]),
        (_("adjustment"), d["adjustment"]),
        (_("total"), d["total"]),
        (_("rank"), str(d["rank"])),
        (_("honors"), honor_names(honors) or "—"),
        (_("vetoed"), _("yes") if d["vetoed"] else _("no")),
        (_("flags"), flag_names(d["flags"]) or "—"),
    ]
    return rows


def version_diff(old: Snapshot, new: Snapshot, scheme: Scheme) -> Diff:
    """What changed from `old` to `new`: each department's figures, then the inputs."""
    before = {d["code"]: d for d in old.results["departments"]}
    after = {d["code"]: d for d in new.results["departments"]}
    names = {d["code"]: d["name"] for d in old.bundle["departments"]}
    names.update({d["code"]: d["name"] for d in new.bundle["departments"]})
    departments = []
    for code in [d["code"] for d in new.results["departments"]] + sorted(set(before) - set(after)):
        a = dict(_figures(before.get(code), list(old.honors.get(code, [])), scheme))
        b = _figures(after.get(code), list(new.honors.get(code, [])), scheme)
        if not b:
            b = [(label, "—") for label in a]
        changes = tuple(Change(label, a.get(label, "—"), v) for label, v in b if a.get(label) != v)
        if changes:
            departments.append(DepartmentChanges(code, names.get(code, code), changes))
    return Diff(old, new, tuple(departments), tuple(input_changes(old.bundle, new.bundle)))


def _entry_text(e: Mapping[str, Any]) -> str:
    parts = [e["department"], e["rule"], e["period"]]
    if "count" in e:
        parts.append(f"×{e['count']}")
    if "amount" in e:
        parts.append(str(e["amount"]))
    if "actual" in e:
        parts.append(f"={e['actual']}")
    parts += e.get("modifiers", [])
    return " ".join(parts)


def _keyed(items: list[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    return {str(e.get("id") or f"#{i + 1}"): e for i, e in enumerate(items)}


def input_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """Differences of two bundles: entries by id, adjustments, vetoes, ballots, last year's ranks."""
    return [
        *_entry_changes(old, new),
        *_measure_changes(old, new),
        *_ballot_changes(old, new),
        *_rank_changes(old, new),
    ]


def _entry_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    a, b = _keyed(old.get("entries", [])), _keyed(new.get("entries", []))
    return [
        Change(
            _("entry %(ref)s") % {"ref": ref},
            _entry_text(a[ref]) if ref in a else "—",
            _entry_text(b[ref]) if ref in b else "—",
        )
        for ref in sorted(set(a) | set(b))
        if canonical_json(a.get(ref)) != canonical_json(b.get(ref))
    ]


def _measure_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    changes = []
    for key, label in (("adjustments", _("adjustments")), ("vetoes", _("vetoes"))):
        x = sorted(canonical_json(v) for v in old.get(key, []))
        y = sorted(canonical_json(v) for v in new.get(key, []))
        if x != y:
            changes.append(Change(label, _texts(old.get(key, [])), _texts(new.get(key, []))))
    return changes


def _ballot_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    x_rounds = Counter((v["kind"], v["round"]) for v in old.get("ballots", []))
    y_rounds = Counter((v["kind"], v["round"]) for v in new.get("ballots", []))
    return [
        Change(
            _("ballots %(kind)s %(round)s") % {"kind": kind, "round": period},
            str(x_rounds[(kind, period)]),
            str(y_rounds[(kind, period)]),
        )
        for kind, period in sorted(set(x_rounds) | set(y_rounds))
        if x_rounds[(kind, period)] != y_rounds[(kind, period)]
        or _ballots(old, kind, period) != _ballots(new, kind, period)
    ]


def _rank_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    x_prev, y_prev = old.get("previous_ranks", {}), new.get("previous_ranks", {})
    return [
        Change(
            _("last year's rank of %(code)s") % {"code": code},
            str(x_prev.get(code, "—")),
            str(y_prev.get(code, "—")),
        )
        for code in sorted(set(x_prev) | set(y_prev))
        if x_prev.get(code) != y_prev.get(code)
    ]


def _texts(items: list[Mapping[str, Any]]) -> str:
    return (
        "; ".join(
            " ".join(str(v) for k, v in item.items() if k in ("department", "amount", "reason"))
            for item in items
        )
        or "—"
    )


def _ballots(doc: Mapping[str, Any], kind: str, period: str) -> list[str]:
    return sorted(
        canonical_json(b["grades"])
        for b in doc.get("ballots", [])
        if b["kind"] == kind and b["round"] == period
    )
