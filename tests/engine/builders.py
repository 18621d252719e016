"""Small builders for engine tests: bundles as plain dicts, run through the engine's public calls."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import pytest

from kaohe.engine import InvalidInput, Results, builtin_scheme, compute, parse_bundle
from kaohe.engine.output import results_document

SCHEME_ID = "cz-jxw-2016"
GRADE_EXCELLENT = "excellent"


def department(code: str, type: str = "service", name: str | None = None) -> dict[str, Any]:
    """One department of the bundle."""
    return {"code": code, "name": name or code, "type": type}


def entry(dep: str, rule: str, period: str = "year", **fields: Any) -> dict[str, Any]:
    """One entry; extra fields (count, amount, actual, modifiers, same_work) as keywords."""
    return {"department": dep, "rule": rule, "period": period, **fields}


def ballot(kind: str, round: str, grades: Mapping[str, str]) -> dict[str, Any]:
    """One ballot: department code → grade."""
    return {"kind": kind, "round": round, "grades": dict(grades)}


def adjustment(dep: str, amount: str, reason: str = "党组研究决定") -> dict[str, Any]:
    """One party-group adjustment."""
    return {"department": dep, "amount": amount, "reason": reason}


def veto(dep: str, reason: str = "criticised") -> dict[str, Any]:
    """One veto event."""
    return {"department": dep, "reason": reason}


def bundle(
    departments: Iterable[dict[str, Any]] = (),
    *,
    entries: Iterable[dict[str, Any]] = (),
    ballots: Iterable[dict[str, Any]] = (),
    adjustments: Iterable[dict[str, Any]] = (),
    vetoes: Iterable[dict[str, Any]] = (),
    previous_ranks: Mapping[str, int] | None = None,
    scheme: str | Mapping[str, Any] = SCHEME_ID,
    year: int = 2016,
    decisions: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A whole bundle document (bundle.md), with defaults for everything not given."""
    doc: dict[str, Any] = {
        "format": "kaohe-bundle/1",
        "year": year,
        "scheme": scheme if isinstance(scheme, str) else dict(scheme),
        "departments": list(departments),
        "entries": list(entries),
        "ballots": list(ballots),
        "adjustments": list(adjustments),
        "vetoes": list(vetoes),
    }
    if previous_ranks is not None:
        doc["previous_ranks"] = dict(previous_ranks)
    if decisions is not None:
        doc["decisions"] = dict(decisions)
    return doc


def full_ballots(
    departments: Iterable[dict[str, Any]], grade: str = GRADE_EXCELLENT
) -> list[dict[str, Any]]:
    """One ballot per round of the 2016 scheme, giving every rated department `grade`."""
    deps = list(departments)
    all_codes = {d["code"]: grade for d in deps}
    service = {d["code"]: grade for d in deps if d["type"] == "service"}
    return [
        ballot("democratic", "H1", all_codes),
        ballot("democratic", "year", all_codes),
        ballot("style", "year", service),
        ballot("leader", "year", all_codes),
    ]


def run(doc: Mapping[str, Any]) -> Results:
    """Parse and compute a bundle document."""
    return compute(parse_bundle(json.loads(json.dumps(doc))))


def printed(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The printed results document of a bundle."""
    return results_document(run(doc))


def printed_rows(doc: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The printed rows of a bundle's results, by department code."""
    return {row["code"]: row for row in printed(doc)["departments"]}


def problems(doc: object) -> list[str]:
    """Every problem `parse_bundle` reports for a document, as `location: message` lines."""
    with pytest.raises(InvalidInput) as info:
        parse_bundle(doc)
    return [str(p) for p in info.value.problems]


def locations(doc: object) -> list[str]:
    """The JSON locations of every problem `parse_bundle` reports."""
    with pytest.raises(InvalidInput) as info:
        parse_bundle(doc)
    return [p.location for p in info.value.problems]


def scheme_copy(new_id: str = "test-scheme") -> dict[str, Any]:
    """An editable copy of the built-in 2016 scheme document."""
    return builtin_scheme(SCHEME_ID).copy_document(new_id=new_id)


def find_rule(scheme_doc: Mapping[str, Any], rule_id: str) -> dict[str, Any]:
    """The editable rule dict of a scheme document."""
    for category in scheme_doc["categories"]:
        for item in category["items"]:
            for rule in item["rules"]:
                if rule["id"] == rule_id:
                    return rule  # type: ignore[no-any-return]
    raise KeyError(rule_id)


def find_kind(scheme_doc: Mapping[str, Any], code: str) -> dict[str, Any]:
    """The editable evaluation kind dict of a scheme document."""
    for kind in scheme_doc["evaluation"]["kinds"]:
        if kind["code"] == code:
            return kind  # type: ignore[no-any-return]
    raise KeyError(code)


def ranked_bundle(
    totals: Mapping[str, str],
    *,
    vetoed: Iterable[str] = (),
    previous_ranks: Mapping[str, int] | None = None,
    scheme: str | Mapping[str, Any] = SCHEME_ID,
    decisions: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A bundle of departments whose totals are set by adjustments (content 70, no ballots).

    Every department is `general` with no ballots, so content is 70 and evaluation 0 for all:
    the total is 70 + the given amount, and ties are full equalities.
    """
    deps = [department(code, "general") for code in totals]
    adjs = [adjustment(code, amount) for code, amount in totals.items() if amount != "0"]
    return bundle(
        deps,
        adjustments=adjs,
        vetoes=[veto(code) for code in vetoed],
        previous_ranks=previous_ranks,
        scheme=scheme,
        decisions=decisions,
    )


def ranked(totals: Mapping[str, str], **options: Any) -> dict[str, dict[str, Any]]:
    """Printed rows of `ranked_bundle(totals, **options)`, by department code."""
    return printed_rows(ranked_bundle(totals, **options))


def with_honor(rows: Mapping[str, Mapping[str, Any]], honor: str) -> set[str]:
    """Codes of the departments holding an honor."""
    return {code for code, row in rows.items() if honor in row["honors"]}


def with_flag(rows: Mapping[str, Mapping[str, Any]], flag: str) -> set[str]:
    """Codes of the departments carrying a flag."""
    return {code for code, row in rows.items() if flag in row["flags"]}


def ladder_totals(*groups: str) -> dict[str, str]:
    """Totals for groups of tied departments, best group first ("A", "B C", "D" …)."""
    totals = {}
    for place, group in enumerate(groups):
        for code in group.split():
            totals[code] = str(-place)
    return totals


def ladder(*groups: str, **options: Any) -> dict[str, dict[str, Any]]:
    """Printed rows for groups of tied departments, best group first; options of ranked_bundle
    (`vetoed`, `previous_ranks`, `scheme`, `decisions`)."""
    return ranked(ladder_totals(*groups), **options)


def codes(n: int, start: int = 1) -> list[str]:
    """D01, D02, … (zero-padded so code order is numeric order)."""
    return [f"D{i:02d}" for i in range(start, start + n)]


def span(first: int, last: int) -> set[str]:
    """The codes D<first> … D<last>."""
    return set(codes(last - first + 1, first))
