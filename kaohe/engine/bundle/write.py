"""Writing a bundle back as a JSON-ready document in canonical form."""

from __future__ import annotations

from typing import Any

from kaohe.engine.bundle.model import BUNDLE_FORMAT, Ballot, Bundle, Department, Entry
from kaohe.engine.decisions import decisions_document
from kaohe.engine.numbers import plain


def bundle_to_document(bundle: Bundle) -> dict[str, Any]:
    """The bundle as a JSON-ready document in canonical form (decimal strings, defaults left out)."""
    doc: dict[str, Any] = {
        "format": BUNDLE_FORMAT,
        "year": bundle.year,
        "scheme": dict(bundle.scheme.document) if bundle.scheme_inline else bundle.scheme.id,
        "departments": [_department_doc(d) for d in bundle.departments],
        "entries": [entry_to_document(e) for e in bundle.entries],
        "ballots": [_ballot_doc(b) for b in bundle.ballots],
        "adjustments": [
            _drop_none(
                {
                    "department": a.department,
                    "amount": plain(a.amount),
                    "reason": a.reason,
                    "meeting": a.meeting,
                    "id": a.id,
                }
            )
            for a in bundle.adjustments
        ],
        "vetoes": [
            _drop_none({"department": v.department, "reason": v.reason, "note": v.note, "id": v.id})
            for v in bundle.vetoes
        ],
        "previous_ranks": dict(bundle.previous_ranks),
    }
    if bundle.decisions:  # written only when the party group decided something
        doc["decisions"] = decisions_document(bundle.decisions)
    return doc


def entry_to_document(e: Entry) -> dict[str, Any]:
    """One entry in canonical bundle form."""
    d: dict[str, Any] = {"department": e.department, "rule": e.rule, "period": e.period}
    if e.has_count or (e.quantity != 1 and e.actual is None):
        d["count"] = e.quantity
    if e.amount is not None:
        d["amount"] = plain(e.amount)
    if e.actual is not None:
        d["actual"] = e.actual
    if e.modifier:
        d["modifiers"] = [e.modifier]
    if e.same_work:
        d["same_work"] = e.same_work
    d.update(e.extra)
    return d


def _department_doc(d: Department) -> dict[str, Any]:
    return _drop_none({"code": d.code, "name": d.name, "type": d.type, "parent": d.parent})


def _ballot_doc(b: Ballot) -> dict[str, Any]:
    return _drop_none(
        {"kind": b.kind, "round": b.round, "grades": dict(b.grades), "id": b.id, "group": b.group}
    )


def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}
