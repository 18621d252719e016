"""Checking a ballot against its round, on the server: the voter's page is never trusted.

A posted ballot carries exactly one field `d:<department>` per department the round rates, each a
grade of the round's frozen scale or `abstain`, and nothing else but the code, the step and the
CSRF token. Anything more, less or repeated is refused before the code is touched.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.http import QueryDict
from django.utils.translation import gettext as _

from kaohe.ballots.models import Round
from kaohe.engine.numbers import parse_number

ABSTAIN = "abstain"
PREFIX = "d:"
ENVELOPE = frozenset({"csrfmiddlewaretoken", "code", "step"})


@dataclass
class ParsedBallot:
    """What the voter chose: every department's choice, the grades given, and what is wrong."""

    choices: dict[str, str] = field(default_factory=dict)  # department → grade or ABSTAIN
    problems: list[str] = field(default_factory=list)

    @property
    def grades(self) -> dict[str, str]:
        """The ballot as stored: department → grade, abstentions left out."""
        return {d: g for d, g in self.choices.items() if g != ABSTAIN}


def parse_ballot(round: Round, data: QueryDict) -> ParsedBallot:
    """Read a posted ballot: refuse unknown, repeated or missing fields and unknown grades."""
    parsed = ParsedBallot()
    departments = [d["code"] for d in round.departments]
    allowed = ENVELOPE | {PREFIX + code for code in departments}
    if set(data.keys()) - allowed:
        parsed.problems.append(_("The ballot contains fields that do not belong to it."))
    if any(len(data.getlist(key)) > 1 for key in data):
        parsed.problems.append(_("The ballot gives a department more than one choice."))
    grades = {g["code"] for g in round.grades} | {ABSTAIN}
    missing = []
    for code in departments:
        value = data.get(PREFIX + code)
        if value is None or value == "":
            missing.append(code)
        elif value not in grades:
            parsed.problems.append(_("The ballot contains a grade that does not exist."))
        else:
            parsed.choices[code] = value
    if missing:
        names = "、".join(d["name"] for d in round.departments if d["code"] in missing)
        parsed.problems.append(
            _("Choose a grade, or abstain, for every department: %(names)s.") % {"names": names}
        )
    if not parsed.problems:
        parsed.problems.extend(grades_problems(round, parsed.grades))
    return parsed


def grades_problems(round: Round, grades: Mapping[str, str]) -> list[str]:
    """Whether stored grades fit the round: its departments, its scale and the excellent cap."""
    departments = {d["code"] for d in round.departments}
    scale = {g["code"] for g in round.grades}
    if not isinstance(grades, Mapping) or any(not isinstance(v, str) for v in grades.values()):
        return [_("The ballot contains a grade that does not exist.")]
    if set(grades) - departments:
        return [_("The ballot contains fields that do not belong to it.")]
    if set(grades.values()) - scale:
        return [_("The ballot contains a grade that does not exist.")]
    return excellent_cap_problems(round, grades)


def excellent_cap_problems(round: Round, grades: Mapping[str, str]) -> list[str]:
    """The scheme's option: at most a share of the graded departments may be excellent."""
    share = parse_number((round.options or {}).get("excellent_max_share"))
    if share is None:
        return []
    given = sum(1 for g in grades.values() if g == "excellent")
    allowed = int(share * len(grades))
    if given <= share * len(grades):
        return []
    name = next((g["name"] for g in round.grades if g["code"] == "excellent"), "excellent")
    # Every number as wide as the largest it can be (spaces, which the page does not show), so
    # that the refusal's size does not tell how many departments the voter marked excellent.
    width = len(str(len(round.departments)))
    counts = {"given": given, "marked": len(grades), "allowed": allowed}
    shown = {key: str(n).rjust(width) for key, n in counts.items()}
    return [
        _(
            "You gave %(grade)s to %(given)s of the %(marked)s departments you graded; at most %(allowed)s may have it."
        )
        % {"grade": name, **shown}
    ]
