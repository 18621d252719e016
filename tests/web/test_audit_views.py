"""The audit trail page: history of an entry or a department, filtered, with a readable diff."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kaohe.audit.diff import changes
from kaohe.ledger import actions
from tests.web.conftest import World

pytestmark = pytest.mark.django_db


def events_page(w: World, **query: str) -> str:
    client = Client()
    client.force_login(w.office)
    response = client.get(reverse("audit:events"), query)
    assert response.status_code == 200
    return response.content.decode()


def record(w: World, department: Any, count: int = 1) -> Any:
    return actions.entry_record(
        by=w.clerk_zh,
        year=w.year,
        department=department,
        rule_id="1.report_missed",
        office="ZH",
        period="H1",
        count=count,
    )


def test_an_entrys_history_shows_each_step_with_before_and_after(world: World) -> None:
    entry = record(world, world.js, count=1)
    actions.entry_update(by=world.clerk_zh, entry=entry, period="H1", count=3)
    actions.entry_submit(by=world.clerk_zh, entry=entry)
    actions.entry_return(by=world.office, entry=entry, reason="请补充证明材料")
    body = events_page(world, target_type="entry", target_id=str(entry.pk))
    assert "共 4 条" in body
    for label in ("录入", "修改", "已提交", "已退回"):
        assert f"<strong>{label}</strong>" in body
    # the change of count reads as a diff: 次数 1 → 3
    assert "<del>1</del>" in body and "<ins>3</ins>" in body
    assert "<ins>请补充证明材料</ins>" in body
    assert world.clerk_zh.first_name in body


def test_filtering_by_department_action_and_date(world: World) -> None:
    record(world, world.js)
    record(world, world.xx)
    # The trail is append-only: the old row is written at its time, not moved there afterwards.
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() - dt.timedelta(40)):
        record(world, world.bg)
    assert "共 1 条" in events_page(world, department="XX")
    assert "共 3 条" in events_page(world, action="entry_record")
    since = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    assert "共 2 条" in events_page(world, date_from=since)
    until = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    assert "共 1 条" in events_page(world, date_to=until)
    assert "截止日期不能早于起始日期。" in events_page(world, date_from=since, date_to=until)


def test_the_audit_trail_is_for_the_assessment_office_only(world: World) -> None:
    for user in (world.leader, world.party, world.clerk_zh, world.head_js, world.outsider):
        client = Client()
        client.force_login(user)
        assert client.get(reverse("audit:events")).status_code == 403


def test_the_diff_flattens_nested_values_and_skips_what_did_not_change() -> None:
    before = {"status": "draft", "persons": ["甲"], "doc": {"a": [{"x": "1"}, {"x": "2"}]}}
    after = {"status": "submitted", "persons": ["甲", "乙"], "doc": {"a": [{"x": "1"}, {"x": "3"}]}}
    got = [(c.path, c.before, c.after) for c in changes(before, after)]
    assert got == [
        ("status", "draft", "submitted"),
        ("persons", "甲", "甲、乙"),
        ("doc.a[1].x", "2", "3"),
    ]
    assert [(c.path, c.before, c.after) for c in changes(None, {"n": 1, "e": ""})] == [
        ("n", "", "1")
    ]
