"""Helpers of the results tests: complete years, published versions, LibreOffice conversion."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from kaohe.ballots.models import Ballot, Round, RoundStatus
from kaohe.demo import demo_bundle_document
from kaohe.engine import parse_bundle
from kaohe.results.actions import publication_confirm
from kaohe.results.models import Publication
from kaohe.results.selectors import year_proposal
from kaohe.years.bundle_io import year_import
from kaohe.years.models import Year
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


def demo_year(year: int = 2016) -> Year:
    """The demo year (20 departments), imported as `year`."""
    doc = demo_bundle_document()
    doc["year"] = year
    if year != 2016:  # ballot ids are unique across years
        for b in doc["ballots"]:
            b.pop("id", None)
    return year_import(by=None, bundle=parse_bundle(doc))


def party_member() -> Any:
    """A user in the party group."""
    return RoleFactory(kind="party_group").user


def publish(year: Year, by: Any = None, **kwargs: Any) -> Publication:
    """Confirm the year's proposal with the default choices (every tied department kept)."""
    by = by or party_member()
    p = year_proposal(year)
    kept = {t.honor: list(t.codes) for t in p.ties}
    options: dict[str, Any] = {"meeting": "委党组会议(2017-01-20)", **kwargs}
    if p.latest is not None:
        options.setdefault("reason", "更正")
    return publication_confirm(
        by=by, year=year, digest=p.digest, recommended=p.recommended, kept=kept, **options
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
