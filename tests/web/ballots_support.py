"""Helpers of the ballot tests: open a round on the `world` year, issue codes, post ballots."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.test import Client

from kaohe.ballots import actions
from kaohe.ballots.models import Round
from kaohe.ballots.validation import ABSTAIN, PREFIX
from kaohe.years.models import Year

GROUPS = (("中层正职", 5), ("中层副职", 5))
GRADES = ("excellent", "good", "fair", "poor")


def set_options(year: Year, **options: Any) -> None:
    """Switch the year's ballot options (rules.md §2) before a round opens."""
    doc = dict(year.scheme_document)
    doc["evaluation"] = {
        **doc["evaluation"],
        "options": {**doc["evaluation"]["options"], **options},
    }
    year.scheme_document = doc
    year.save()
    year.__dict__.pop("scheme", None)


def open_round(
    world: Any,
    kind: str = "democratic",
    period: str = "year",
    groups: Sequence[tuple[str, int]] = GROUPS,
) -> Round:
    """A round opened by the assessment office."""
    return actions.round_open(
        by=world.office, year=world.year, kind=kind, period=period, title="", groups=groups
    )


def issue(world: Any, round: Round) -> dict[str, list[str]]:
    """Issue every group's codes; the clear codes by group, in slip-number order."""
    out: dict[str, list[str]] = {}
    for c in actions.codes_issue(by=world.office, round=round):
        out.setdefault(c.group, []).append(c.code)
    return out


def ballot_data(
    round: Round, choices: Mapping[str, str], code: str, step: str = "submit"
) -> dict[str, str]:
    """A posted ballot: every department of the round, abstaining where `choices` is silent."""
    data = {"code": code, "step": step}
    for d in round.departments:
        data[PREFIX + d["code"]] = choices.get(d["code"], ABSTAIN)
    return data


def post_ballot(
    client: Client, round: Round, choices: Mapping[str, str], code: str, step: str = "submit"
) -> Any:
    """Post a ballot to the voter's page."""
    return client.post("/v/", ballot_data(round, choices, code, step))
