"""The audit trail's vocabulary (issue 13 §7, issue 10.17): every action and target named in
Chinese and filterable, every field and coded value shown in words, one diff for every page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from lxml import html

from kaohe.assessment.bundle_io import year_import
from kaohe.audit.actions import audit_record
from kaohe.audit.choices import AuditAction, AuditTarget
from kaohe.audit.labels import field_label, value_text
from kaohe.audit.selectors import action_label, event_changes
from kaohe.ballots.actions import ballots_export_record
from kaohe.ballots.models import Round
from kaohe.demo import demo_bundle_document
from kaohe.engine import parse_bundle
from kaohe.ledger import actions as ledger
from kaohe.ledger.models import Entry
from kaohe.results import actions as results
from tests.web.conftest import World
from tests.web.factories import RoleFactory
from tests.web.test_audit_views import events_page

ROOT = Path(__file__).resolve().parents[2] / "kaohe"
CJK = re.compile(r"[\u4e00-\u9fff]")


def recorded(w: World, *, submit: bool) -> Entry:
    return ledger.entry_record(
        by=w.clerk_zh,
        year=w.year,
        department=w.js,
        rule_id="1.report_missed",
        office="ZH",
        period="H1",
        count=1,
        submit=submit,
    )


def test_every_action_and_target_has_a_chinese_label() -> None:
    with translation.override("zh-hans"):
        for choice in [*AuditAction, *AuditTarget]:
            assert CJK.search(str(choice.label)), choice


def test_no_action_code_is_written_as_a_bare_string() -> None:
    # (argparse's own actions, `action="store_true"`, are not audit actions)
    literal = re.compile(r"\b(action|target_type)=\"(?!store_|append|count\b)[a-z_]+\"")
    found = [
        f"{path.relative_to(ROOT)}: {m.group(0)}"
        for path in ROOT.rglob("*.py")
        if "migrations" not in path.parts
        for m in literal.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_every_code_the_source_writes_is_an_audit_action() -> None:
    used = {
        m.group(1).lower()
        for path in ROOT.rglob("*.py")
        for m in re.finditer(r"AuditAction\.([A-Z_]+)", path.read_text(encoding="utf-8"))
    }
    assert used == set(AuditAction.values)


@pytest.mark.django_db
def test_the_filter_offers_every_action_in_chinese_and_finds_it(world: World) -> None:
    body = events_page(world)
    for choice in AuditAction:
        assert f'<option value="{choice.value}">{choice.label}</option>' in body
    results.veto_record(
        by=world.office, year=world.year, department=world.js, reason="criticised", facts="通报"
    )
    found = events_page(world, action=AuditAction.VETO_RECORD, target_type=AuditTarget.VETO)
    assert "共 1 条" in found
    assert "<strong>记录一票否决</strong>" in found and "一票否决 2016-veto-1" not in found
    shown = re.sub(r'href="[^"]*"', "", found.split('id="events"', 1)[1])  # links keep the filter
    assert "veto_record" not in shown


@pytest.mark.django_db
def test_values_are_shown_by_their_labels_on_the_audit_events_page(world: World) -> None:
    entry = recorded(world, submit=True)
    ledger.entry_void(by=world.office, entry=entry, reason="重复录入")
    results.veto_record(
        by=world.office, year=world.year, department=world.js, reason="criticised", facts="通报"
    )
    events = events_page(world).split('id="events"', 1)[1]
    assert "<del>已提交</del>" in events and "<ins>已作废</ins>" in events
    assert "<ins>被通报批评</ins>" in events
    for raw in ("criticised", "voided", "submitted", "publication_confirm"):
        assert raw not in events


def test_nested_paths_and_coded_values_read_in_chinese() -> None:
    with translation.override("zh-hans"):
        assert field_label("decisions.ties.advanced") == "党组研究决定 · 已决定的并列组 · 先进处室"
        assert field_label("groups[0].name").endswith(" 1 · 名称")
        assert value_text("status", "confirmed") == "已确认"
        assert value_text("kind", "office_clerk") == "责任处室经办人"
        assert value_text("active", False) == "否"
        assert value_text("honors", ["advanced", "praised"]) == "先进处室、表扬"
        assert action_label("an_old_code") == "an_old_code"


@pytest.mark.django_db
def test_the_audit_page_and_the_entry_history_share_one_diff(world: World) -> None:
    entry = recorded(world, submit=False)
    ledger.entry_update(by=world.clerk_zh, entry=entry, period="H1", count=3)
    ledger.entry_submit(by=world.clerk_zh, entry=entry)  # the assessment office sees no drafts
    event = audit_record(
        by=world.office,
        action=AuditAction.ENTRY_UPDATE,
        target_type=AuditTarget.ENTRY,
        target_id=entry.pk,
        before={"count": 3},
        after={"count": 4},
    )
    with translation.override("zh-hans"):
        audited = [(c.label, c.before, c.after) for c in event_changes(event)]
        history = Client()
        history.force_login(world.office)
        body = history.get(f"/ledger/entries/{entry.pk}/").content.decode()
    assert audited == [("次数", "3", "4")]
    assert "次数</span> 3 → 4" in body and "次数</span> 1 → 3" in body


@pytest.mark.django_db
def test_every_field_the_demo_years_import_and_an_export_write_is_named_in_chinese() -> None:
    # given the demo year imported (its departments, entries, rounds, adjustments and vetoes)
    year_import(by=None, bundle=parse_bundle(demo_bundle_document()))
    clerk = RoleFactory(kind="assessment_office").user
    # and a round's ballots exported
    ballots_export_record(by=clerk, round=Round.objects.first(), content=b"", rows=0, withheld={})
    office = Client()
    office.force_login(clerk)
    # when the office reads the audit trail
    with translation.override("zh-hans"):
        page = office.get(reverse("audit:events")).content.decode()
    # then every field of every change is named in Chinese, none by its key (rounds, vetoes …)
    labels = html.fromstring(page).xpath("//table[contains(@class, 'diff')]/tbody/tr/td[1]")
    assert labels
    assert [td.text_content() for td in labels if not CJK.search(td.text_content())] == []
