"""Reads of rounds: turnout per group, the rounds of a year, and a closed round's ballots as rows."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from kaohe.ballots.models import Ballot, Round, VoterGroup
from kaohe.ballots.tally import MIN_GROUP_BALLOTS, round_departments, round_scheme


@dataclass(frozen=True)
class GroupTurnout:
    """One voter group: codes planned, issued, revoked and used."""

    id: int
    name: str
    size: int
    issued: int
    revoked: int
    used: int


def round_turnout(round: Round) -> list[GroupTurnout]:
    """Codes issued, revoked and used per group, in one query."""
    groups = (
        VoterGroup.objects.filter(round=round)
        .annotate(
            issued=Count("codes"),
            revoked=Count("codes", filter=Q(codes__revoked=True)),
            used=Count("codes", filter=Q(codes__used=True)),
        )
        .order_by("order", "id")
    )
    return [GroupTurnout(g.pk, g.name, g.size, g.issued, g.revoked, g.used) for g in groups]


def turnout_totals(rows: list[GroupTurnout]) -> dict[str, int]:
    """The sums over all groups."""
    return {
        "size": sum(r.size for r in rows),
        "issued": sum(r.issued for r in rows),
        "revoked": sum(r.revoked for r in rows),
        "used": sum(r.used for r in rows),
    }


def year_rounds(year: Any) -> list[Round]:
    """A year's rounds with their ballot counts, ordered as the scheme's kinds and periods."""
    order = {"democratic": 0, "style": 1, "leader": 2, "H1": 0, "H2": 1, "year": 2}
    rounds = list(Round.objects.filter(year=year).annotate(n_ballots=Count("ballots")))
    return sorted(rounds, key=lambda r: (order.get(r.kind, 9), order.get(r.period, 9)))


def withheld_groups(round: Round) -> dict[str, int]:
    """The voter groups with too few ballots to export one by one, and their numbers of ballots.

    A ballot of a group of one or two is that person's vote, whatever the shuffle: the export leaves
    such ballots out, as the tally withholds such groups' figures (tally.MIN_GROUP_BALLOTS).
    """
    order = {name: i for i, name in enumerate(round.groups.values_list("name", flat=True))}
    counts = Ballot.objects.filter(round=round).values("group").annotate(n=Count("id"))
    small = {c["group"]: c["n"] for c in counts if c["n"] < MIN_GROUP_BALLOTS}
    return dict(sorted(small.items(), key=lambda item: (order.get(item[0], len(order)), item[0])))


def withheld_rule() -> str:
    """The sentence that says which ballots the export leaves out, and why."""
    return _(
        "Ballots of voter groups with fewer than %(n)d ballots are not listed one by one, so that "
        "no ballot can be linked to a person; they are counted in the round's tally."
    ) % {"n": MIN_GROUP_BALLOTS}


def withheld_notes(withheld: dict[str, int]) -> list[str]:
    """The export's note: the rule, then each group left out with its number of ballots."""
    lines = [
        _("%(group)s: %(n)d ballots, not listed") % {"group": group, "n": n}
        for group, n in withheld.items()
    ]
    return [withheld_rule(), *lines]


def shuffled_ballot_rows(round: Round) -> tuple[list[str], list[list[str]]]:
    """A closed round's ballots for export: a header and one row per ballot, in a random order.

    Ballots of the groups `withheld_groups` names are left out.
    """
    grade_names = {g.code: g.name for g in round_scheme(round).grades.values()}
    departments = round_departments(round)
    header = [_("Ballot id"), _("Voter group")] + [f"{d.code} {d.name}" for d in departments]
    abstain = _("Abstain")
    listed = Ballot.objects.filter(round=round).exclude(group__in=list(withheld_groups(round)))
    rows = [
        [str(b.id), b.group] + [grade_names.get(b.grades.get(d.code), abstain) for d in departments]
        for b in listed
    ]
    # The stored order could follow the order of voting; a fresh shuffle per export hides it.
    secrets.SystemRandom().shuffle(rows)
    return header, rows
