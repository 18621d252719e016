"""A round's tally, made by the engine with the settings frozen when the round opened.

The engine counts (`tally_ballots`) and scores (`evaluation_scores`); this module only maps the
round's rows to the engine's values and its trail back to plain JSON kept on the round.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from kaohe.ballots.models import Ballot, Round
from kaohe.engine import bundle as engine
from kaohe.engine.evaluation import department_grades, evaluation_scores, tally_ballots
from kaohe.engine.numbers import fmt2, plain
from kaohe.engine.scheme import Scheme, parse_scheme

# A group's own figures are shown only from this many ballots on, so that no one's vote shows.
MIN_GROUP_BALLOTS = 3


@dataclass(frozen=True)
class DepartmentTally:
    """One department in one round: points available, valid grades, and the points they make."""

    code: str
    name: str
    type: str
    available: Fraction
    grades: Mapping[str, int]
    dropped: tuple[str, ...]
    points: Fraction | None  # None: no valid grade in this round, so the round does not count


@dataclass(frozen=True)
class RoundTally:
    """A round's turnout (ballots, blank, invalid under the options) and its departments."""

    ballots: int
    blank: int
    invalid: int
    departments: tuple[DepartmentTally, ...]


def round_scheme(round: Round) -> Scheme:
    """The year's scheme with this round's frozen grade scale, options and points put back."""
    doc = copy.deepcopy(round.year.scheme_document)
    evaluation = doc["evaluation"]
    if round.grades:
        evaluation["grades"] = copy.deepcopy(round.grades)
    if round.options:
        evaluation["options"] = copy.deepcopy(round.options)
    if round.points:
        for kind in evaluation["kinds"]:
            if kind["code"] == round.kind:
                kind["points"] = dict(round.points)
    return parse_scheme(doc)


def round_departments(round: Round) -> list[engine.Department]:
    """The departments the round rates, as the engine sees them."""
    if round.departments:
        return [engine.Department(d["code"], d["name"], d["type"]) for d in round.departments]
    assessed = round.year.assessed.select_related("department").order_by("department__code")
    return [a.to_engine() for a in assessed]


def engine_ballots(round: Round, rows: Iterable[Ballot]) -> list[engine.Ballot]:
    """Stored ballots as the engine's ballots of this round's kind and period."""
    return [b.to_engine(round) for b in rows]


def tally_round(round: Round, ballots: list[engine.Ballot]) -> RoundTally:
    """Tally the ballots through the engine and keep this round's trail of every department."""
    scheme = round_scheme(round)
    counted, turnout = tally_ballots(scheme, ballots)
    grades = department_grades(counted)
    # Only this round's ballots are given, so the kind's other rounds are empty and do not count.
    scores = evaluation_scores(scheme, round_departments(round), grades)
    departments = []
    for d in round_departments(round):
        _, trails, _ = scores[d.code]
        kind = next(t for t in trails if t.code == round.kind)
        trail = next(r for r in kind.rounds if r.period == round.period)
        departments.append(
            DepartmentTally(
                d.code, d.name, d.type, kind.available, trail.grades, trail.dropped, trail.points
            )
        )
    mine = next(t for t in turnout if (t.kind, t.period) == (round.kind, round.period))
    return RoundTally(mine.ballots, mine.blank, mine.invalid, tuple(departments))


def tally_document(tally: RoundTally, scheme: Scheme) -> dict[str, Any]:
    """A tally as JSON: exact values as short decimals or fractions, and two-place figures."""
    scale = list(scheme.grades.values())
    return {
        "ballots": tally.ballots,
        "blank": tally.blank,
        "invalid": tally.invalid,
        "departments": [
            {
                "code": d.code,
                "name": d.name,
                "type": d.type,
                "available": plain(d.available),
                "grades": {g.code: d.grades[g.code] for g in scale if d.grades.get(g.code)},
                "counts": [[g.name, d.grades[g.code]] for g in scale if d.grades.get(g.code)],
                "dropped": [scheme.grades[g].name for g in d.dropped],
                "points": None if d.points is None else plain(d.points),
                "display": None if d.points is None else fmt2(d.points),
            }
            for d in tally.departments
        ],
    }


def close_tally(round: Round, rows: list[Ballot]) -> dict[str, Any]:
    """The whole round's tally and, for each group with enough ballots, the group's own."""
    scheme = round_scheme(round)
    doc = tally_document(tally_round(round, engine_ballots(round, rows)), scheme)
    groups: dict[str, Any] = {}
    for group in round.groups.order_by("order", "id"):
        mine = [b for b in rows if b.group == group.name]
        if len(mine) >= MIN_GROUP_BALLOTS:
            mine_tally = tally_round(round, engine_ballots(round, mine))
            groups[group.name] = tally_document(mine_tally, scheme)
        else:
            groups[group.name] = {"ballots": len(mine), "withheld": True}
    doc["groups"] = groups
    return doc
