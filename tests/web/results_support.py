"""Helpers of the results tests: complete years, published versions, LibreOffice conversion."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kaohe.assessment.bundle_io import year_import
from kaohe.ballots.models import Ballot, Round, RoundStatus
from kaohe.core.inputs import touch
from kaohe.demo import demo_bundle_document
from kaohe.engine import Decisions, parse_bundle
from kaohe.results.actions import publication_confirm
from kaohe.results.choices import initial_choices
from kaohe.results.models import Publication
from kaohe.results.selectors import Proposal, confirmation, year_proposal
from kaohe.years.models import Year
from tests.web.conftest import module_data
from tests.web.factories import RoleFactory

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer libreoffice-calc",
)
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)


def hold_rounds(year: Year, grades: dict[str, str] | None = None, *, ballots: int = 3) -> None:
    """Closed rounds of every kind the 2016 scheme holds, each department graded on every ballot."""
    assessed = {a.department.code: a.type for a in year.assessed.select_related("department")}
    for kind, period in (
        ("democratic", "H1"),
        ("democratic", "year"),
        ("style", "year"),
        ("leader", "year"),
    ):
        r = Round.objects.create(year=year, kind=kind, period=period, status=RoundStatus.CLOSED)
        for _ in range(ballots):
            marks = {
                code: (grades or {}).get(code, "good")
                for code, t in assessed.items()
                if kind != "style" or t == "service"
            }
            Ballot.objects.create(round=r, grades=marks)
    touch(year.year)


def demo_year(year: int = 2016) -> Year:
    """The demo year (20 departments), imported as `year`."""
    doc = demo_bundle_document()
    doc["year"] = year
    if year != 2016:  # ballot ids are unique across years
        for b in doc["ballots"]:
            b.pop("id", None)
    return year_import(by=None, bundle=parse_bundle(doc))


# A year of twenty general departments with a tied group straddling every honor's boundary
# (places 2–3 recommended, 5–6 advanced, 10–11 praised, the 5th and 6th risers, the 2nd and 3rd
# lowest); the groups are the places of `TIED_PLACES`, best first, totals 30 − place + 70.
TIED_NAMES = [
    "综合处",
    "办公室",
    "法规处",
    "组织人事处",
    "机关党委",
    "监察室",
    "财务审计处",
    "经济运行处",
    "投资与规划处",
    "产业发展处",
    "技术进步处",
    "装备工业处",
    "电子信息产业处",
    "软件和信息服务业处",
    "信息化推进处",
    "节能与综合利用处",
    "中小企业处",
    "无线电管理处综合科",
    "无线电管理处监测科",
    "无线电管理处频率台站管理科",
]
TIED_PLACES = (1, 2, 2, 4, 5, 5, 7, 8, 9, 10, 10, 12, 13, 14, 15, 16, 16, 18, 18, 20)
# Last year's ranks: D12–D17 rose 3 places each (D16 and D17, tied, are the 5th and 6th risers);
# D11, 20th last year, rose 10 — it would be the first riser if it were not praised.
TIED_PREVIOUS = {
    **{f"D{i:02d}": i for i in range(1, 11)},
    "D11": 20,
    **{f"D{i:02d}": i + 3 for i in range(12, 16)},
    "D16": 19,
    "D17": 19,
    **{f"D{i:02d}": i for i in range(18, 21)},
}


def tied_bundle_document(
    year: int = 2016, previous_ranks: dict[str, int] | None = None
) -> dict[str, Any]:
    """The bundle of the tied year: equal grades for all, totals set by adjustments."""
    codes = [f"D{i:02d}" for i in range(1, 21)]
    grades = dict.fromkeys(codes, "good")
    ballots = [
        {"kind": kind, "round": period, "grades": grades}
        for kind, period in (("democratic", "H1"), ("democratic", "year"), ("leader", "year"))
        for _ in range(3)
    ]
    return {
        "format": "kaohe-bundle/1",
        "year": year,
        "scheme": "cz-jxw-2016",
        "departments": [
            {"code": c, "name": n, "type": "general"}
            for c, n in zip(codes, TIED_NAMES, strict=True)
        ],
        "ballots": ballots,
        "adjustments": [
            {
                "department": c,
                "amount": str(30 - place),
                "reason": "党组研究决定",
                "meeting": "党组会",
            }
            for c, place in zip(codes, TIED_PLACES, strict=True)
        ],
        "previous_ranks": TIED_PREVIOUS if previous_ranks is None else previous_ranks,
    }


def tied_year(year: int = 2016, previous_ranks: dict[str, int] | None = None) -> Year:
    """The tied year, imported (last year's ranks: TIED_PREVIOUS unless given)."""
    return year_import(by=None, bundle=parse_bundle(tied_bundle_document(year, previous_ranks)))


def year_wipe(year: Year) -> None:
    """Remove an unpublished year and all its data from the database (departments stay)."""
    from kaohe.ledger.models import Entry
    from kaohe.results.models import Adjustment, PartyDecisions, Veto

    Entry.objects.filter(year=year).delete()
    Ballot.objects.filter(round__year=year).delete()
    Round.objects.filter(year=year).delete()
    Adjustment.objects.filter(year=year).delete()
    Veto.objects.filter(year=year).delete()
    PartyDecisions.objects.filter(year=year).delete()
    Year.objects.filter(pk=year.pk).delete()


def party_member() -> Any:
    """A user in the party group."""
    return RoleFactory(kind="party_group").user


def keep_every_tie(proposal: Proposal) -> Decisions:
    """The party group's choices keeping every tied group whole, each as the engine names it,
    and recommending the first of the advanced (in ranking order) the proposal starts from."""
    decisions = initial_choices(proposal)
    while True:
        settlement = confirmation(proposal, decisions)
        open_ties = [g for g in settlement.open_groups if g.tier != "recommended"]
        if not open_ties:
            break
        ties = {**decisions.ties, open_ties[0].tier: open_ties[0].codes}
        decisions = dataclasses.replace(decisions, ties=ties)
    choice = settlement.recommended
    if not choice.decided and choice.count:
        chosen = [*(decisions.recommended or ())]
        chosen += [c for c in choice.candidates if c not in chosen][: choice.count - len(chosen)]
        decisions = dataclasses.replace(decisions, recommended=tuple(chosen))
    return decisions


def publish(year: Year, by: Any = None, **kwargs: Any) -> Publication:
    """Confirm the year's proposal with the default choices (every tied department kept)."""
    by = by or party_member()
    p = year_proposal(year)
    options: dict[str, Any] = {"meeting": "委党组会议(2017-01-20)", **kwargs}
    if p.latest is not None:
        options.setdefault("reason", "更正")
    return publication_confirm(
        by=by, year=year, digest=p.digest, decisions=keep_every_tie(p), **options
    )


def soffice_convert(source: Path, to: str, outdir: Path) -> Path:
    """Convert with LibreOffice headless (its own profile, so tests do not share one)."""
    assert SOFFICE is not None
    profile = outdir / "lo-profile"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(outdir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    converted = outdir / f"{source.stem}.{to.split(':')[0]}"
    assert converted.exists(), f"LibreOffice did not write {converted}"
    return converted


def pdf_text(path: Path) -> str:
    """The text of a PDF, layout kept (pdftotext -layout)."""
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True)
    return out.stdout.decode("utf-8")


class Demo:
    """The demo year with a user for each role that matters to results."""

    def __init__(self, year: Year) -> None:
        from kaohe.org.models import Department
        from tests.web.factories import UserFactory

        self.year = year
        self.office = RoleFactory(kind="assessment_office").user
        self.leader = RoleFactory(kind="leader").user
        self.party = RoleFactory(kind="party_group").user
        self.js = Department.objects.get(code="JS")
        self.head_js = RoleFactory(kind="department_head", department=self.js).user
        self.liaison_js = RoleFactory(kind="department_liaison", department=self.js).user
        self.clerk = RoleFactory(kind="office_clerk", office="ZH").user
        self.outsider = UserFactory()

    def client(self, user: Any) -> Any:
        from django.test import Client

        from tests.web.factories import PASSWORD

        c = Client()
        assert c.login(username=user.username, password=PASSWORD)
        return c


@pytest.fixture(name="demo")
def demo_fixture(db: None) -> Demo:
    """The 2016 demo year and its users."""
    return Demo(demo_year())


@pytest.fixture(scope="module", name="published_demo")
def published_demo_fixture(
    django_db_setup: None, django_db_blocker: Any
) -> Iterator[tuple[Demo, int]]:
    """The demo year and its users, published as version 1, once for a module (module_data):
    take `demo` and `version` from it."""
    with module_data(django_db_blocker):
        demo = Demo(demo_year())
        version = publish(demo.year, by=demo.party, notice_number="常经信党〔2017〕3号")
        yield demo, version.pk
