"""The proposal: the engine's results on the year's data, its blockers, last year's ranks."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from kaohe.assessment.bundle_io import year_export_document
from kaohe.ballots.models import Round, RoundStatus
from kaohe.engine import Decisions, compute, parse_bundle
from kaohe.engine.output import results_document
from kaohe.ledger.models import Entry, EntryStatus, Objection
from kaohe.results.actions import publication_confirm
from kaohe.results.bundle import year_bundle
from kaohe.results.models import Publication
from kaohe.results.selectors import year_proposal
from kaohe.years.models import YearDepartment
from tests.web.conftest import World
from tests.web.results_support import Demo, demo_fixture, demo_year, hold_rounds, publish  # noqa: F401

pytestmark = pytest.mark.django_db


def _compute_cli(path: Path) -> dict:
    proc = subprocess.run(
        [sys.executable, "-m", "kaohe.cli", "compute", str(path)], capture_output=True, check=True
    )
    return json.loads(proc.stdout)


def test_the_proposal_equals_kaohe_compute_on_the_exported_bundle(
    tmp_path: Path, demo: Demo
) -> None:
    # given the demo year in the database
    year = demo.year
    # when the year is exported with `kaohe export` and its proposal's inputs downloaded
    exported = tmp_path / "export.json"
    call_command("export", "--year", "2016", "-o", str(exported))
    response = demo.client(demo.office).get("/results/2016/proposal/bundle.json")
    inputs = tmp_path / "inputs.json"
    inputs.write_bytes(response.content)
    # then `kaohe compute` on either gives exactly the proposal
    proposal = year_proposal(year).results_doc
    assert _compute_cli(exported) == proposal
    assert _compute_cli(inputs) == proposal


def test_last_years_published_ranks_replace_the_ranks_entered_by_hand(demo: Demo) -> None:
    # given 2015 published, and 2016 with different ranks typed in by hand
    y2015 = demo_year(2015)
    published = publish(y2015)
    ranks_2015 = {d["code"]: d["rank"] for d in published.results["departments"]}
    y2016 = demo.year
    YearDepartment.objects.filter(year=y2016).update(previous_rank=1)
    # when the 2016 proposal is computed
    proposal = year_proposal(y2016)
    # then its previous ranks are 2015's published ranks, and it says where they come from
    assert dict(proposal.bundle.previous_ranks) == ranks_2015
    assert proposal.previous == published
    assert {d.code: d.previous_rank for d in proposal.results.departments} == ranks_2015
    # the year's own data (year_bundle) keeps the ranks entered by hand; its export is the
    # proposal's inputs, so that `kaohe compute` on it gives the proposal (decisions included)
    assert set(year_bundle(y2016).previous_ranks.values()) == {1}
    assert year_export_document(y2016)["previous_ranks"] == ranks_2015


def test_ranks_entered_by_hand_are_used_when_last_year_is_not_published(world: World) -> None:
    YearDepartment.objects.filter(year=world.year, department=world.js).update(previous_rank=3)
    assert dict(year_proposal(world.year).bundle.previous_ranks) == {"JS": 3}


def _blocker_text(world: World) -> str:
    return world.client(world.office).get("/results/2016/proposal/").content.decode()


def test_an_incomplete_year_is_blocked_and_cannot_be_confirmed(world: World) -> None:
    # given a year without any ballot: every department lacks grades
    proposal = year_proposal(world.year)
    # then the proposal is blocked, and it says which departments miss which kind
    assert not proposal.results.complete
    assert any("incomplete" in b.message or "不完整" in b.message for b in proposal.blockers)
    page = _blocker_text(world)
    assert "技术进步处" in page and "民主测评" in page
    # and confirmation is refused
    with pytest.raises(ValidationError):
        publication_confirm(
            by=world.party,
            year=world.year,
            digest=proposal.digest,
            decisions=Decisions(tuple(proposal.honors_of("recommended"))),
            meeting="党组会",
        )
    assert not Publication.objects.exists()


def test_a_complete_year_without_pending_work_has_no_blocker(world: World) -> None:
    hold_rounds(world.year)
    assert year_proposal(world.year).blockers == []


def test_pending_range_decisions_open_objections_and_open_rounds_block(world: World) -> None:
    # given a complete year, then a pending range entry, an open objection and an open round
    hold_rounds(world.year)
    pending = Entry.objects.create(
        year=world.year,
        ref="2016-00001",
        department=world.js,
        rule_id="1.target_unmet",
        item=1,
        category="business",
        office="ZH",
        period="year",
        count=1,
        status=EntryStatus.SUBMITTED,
    )
    confirmed = Entry.objects.create(
        year=world.year,
        ref="2016-00002",
        department=world.xx,
        rule_id="1.report_missed",
        item=1,
        category="business",
        office="ZH",
        period="H1",
        count=1,
        status=EntryStatus.CONFIRMED,
    )
    Objection.objects.create(entry=confirmed, raised_by=world.head_xx, reason="不是我们的")
    Round.objects.filter(year=world.year, kind="leader").update(status=RoundStatus.OPEN)
    # when the proposal is computed
    proposal = year_proposal(world.year)
    # then each is a blocker, listing what to fix
    messages = " ".join(b.message for b in proposal.blockers)
    items = [label for b in proposal.blockers for label, _ in b.items]
    assert len(proposal.blockers) == 4  # range, objection, round, and no leader grades left
    assert any(pending.ref in label for label in items)
    assert any(confirmed.ref in label for label in items)
    assert "1" in messages
    page = _blocker_text(world)
    assert pending.ref in page and confirmed.ref in page
    # and the party group cannot confirm, by action or page
    response = world.client(world.party).post(
        "/results/2016/confirm/",
        {
            "digest": proposal.digest,
            "recommended": proposal.honors_of("recommended"),
            "meeting": "党组会",
        },
    )
    assert response.status_code == 200
    assert not Publication.objects.exists()


def test_missing_self_assessments_are_a_warning_stated_as_not_available(world: World) -> None:
    hold_rounds(world.year)
    warnings = [w.message for w in year_proposal(world.year).warnings]
    assert any("self-assessment" in w.lower() or "自评" in w for w in warnings)


def test_unconfirmed_entries_are_warned_about_and_do_not_count(world: World) -> None:
    hold_rounds(world.year)
    Entry.objects.create(
        year=world.year,
        ref="2016-00003",
        department=world.js,
        rule_id="1.report_missed",
        item=1,
        category="business",
        office="ZH",
        period="H1",
        count=1,
        status=EntryStatus.SUBMITTED,
    )
    proposal = year_proposal(world.year)
    assert proposal.blockers == []
    # the unconfirmed entry, and the three departments without a self-assessment form (one line)
    assert len(proposal.warnings) == 1 + 1
    assert proposal.results.get("JS").categories["business"] == 20


def test_adjustments_and_vetoes_enter_the_proposal(world: World) -> None:
    from kaohe.results.actions import adjustment_record, veto_record

    hold_rounds(world.year)
    before = year_proposal(world.year).results.get("BG").total
    adjustment_record(
        by=world.office,
        year=world.year,
        department=world.bg,
        amount=Decimal("-1.5"),
        reason="党组研究",
        meeting="党组会",
    )
    veto_record(
        by=world.office,
        year=world.year,
        department=world.js,
        reason="criticised",
        facts="被市委通报批评",
    )
    after = year_proposal(world.year)
    assert after.results.get("BG").total == before - Fraction(3, 2)
    assert after.results.get("JS").vetoed
    assert "advanced" not in after.results.get("JS").honors
    assert results_document(after.results) == results_document(
        compute(parse_bundle(after.document))
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("office", 200),
        ("leader", 200),
        ("party", 200),
        ("head_js", 403),
        ("clerk_zh", 403),
        ("outsider", 403),
    ],
)
def test_who_sees_the_proposal(world: World, persona: str, status: int) -> None:
    response = world.client(getattr(world, persona)).get("/results/2016/proposal/")
    assert response.status_code == status


def test_the_proposal_of_an_unknown_year_is_not_found(world: World) -> None:
    assert world.client(world.office).get("/results/1999/proposal/").status_code == 404


def test_the_trails_explain_the_same_work_rule_in_words(demo: Demo) -> None:
    client = demo.client(demo.office)
    page = client.get("/results/2016/proposal/").content.decode()
    # each department's trail is a fragment the page loads when it is opened (issue 15)
    urls = re.findall(r'hx-get="(/results/2016/proposal/trails/[^/"]+/)"', page)
    assert len(urls) == 20
    page = "".join(client.get(url).content.decode() for url in urls)
    assert "同一项工作" in page and "is larger or equal" not in page
