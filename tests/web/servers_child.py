"""The helper of tests/web/test_two_servers.py: writes and reads its scratch database directly.

    python -m tests.web.servers_child setup|rounds|proposal

DATABASE_URL names the scratch database. `setup` builds the personas' year (tests/web/conftest.py)
and opens a round with its codes; `rounds` holds the year's other rounds, closed; `proposal` prints
what the party group's confirmation page posts. Each prints one JSON line.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import django


def setup() -> dict[str, Any]:
    from tests.web.ballots_support import issue, open_round
    from tests.web.conftest import build_world
    from tests.web.factories import PASSWORD

    world = build_world()
    round = open_round(world)
    codes = issue(world, round)
    names = ("clerk_zh", "office", "party")
    return {
        "users": {n: getattr(world, n).username for n in names},
        "password": PASSWORD,
        "round": round.pk,
        "departments": [d["code"] for d in round.departments],
        "codes": codes["中层正职"] + codes["中层副职"],
    }


def rounds() -> dict[str, Any]:
    from kaohe.ballots.models import Ballot, Round, RoundStatus
    from kaohe.years.models import Year

    year = Year.objects.get(year=2016)
    assessed = {a.department.code: a.type for a in year.assessed.select_related("department")}
    held = []
    for kind, period in (("democratic", "H1"), ("style", "year"), ("leader", "year")):
        r = Round.objects.create(year=year, kind=kind, period=period, status=RoundStatus.CLOSED)
        marks = {c: "good" for c, t in assessed.items() if kind != "style" or t == "service"}
        Ballot.objects.create(round=r, grades=marks)
        held.append(r.pk)
    return {"rounds": held}


def proposal() -> dict[str, Any]:
    from kaohe.results.forms import tie_field
    from kaohe.results.selectors import year_proposal
    from kaohe.years.models import Year
    from tests.web.results_support import keep_every_tie

    p = year_proposal(Year.objects.get(year=2016))
    decisions = keep_every_tie(p)
    form = {tie_field(tier): list(codes) for tier, codes in decisions.ties.items()}
    return {"digest": p.digest, "recommended": list(decisions.recommended or ()), **form}


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaohe.settings")
    django.setup()
    command = {"setup": setup, "rounds": rounds, "proposal": proposal}[sys.argv[1]]
    sys.stdout.write(json.dumps(command()) + "\n")
