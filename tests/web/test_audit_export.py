"""The audit trail exported as a workbook and as CSV (issue 14 §3): the page's filters, user text
as text, a BOM for Excel, bounded, and the export itself on the trail."""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from kaohe.audit.actions import audit_record
from kaohe.audit.choices import AuditAction, AuditTarget
from kaohe.audit.models import AuditEvent
from tests.web.conftest import World

pytestmark = pytest.mark.django_db

PAYLOAD = '=HYPERLINK("http://evil.example/","详情")'


def seed(world: World) -> None:
    for code, name in (("JS", PAYLOAD), ("XX", "信息处"), ("JS", "+1")):
        audit_record(
            by=world.auditadmin,
            action=AuditAction.DEPARTMENT_UPDATE,
            target_type=AuditTarget.DEPARTMENT,
            target_id="=1+1" if name == PAYLOAD else code,
            department_code=code,
            before={"name": "旧"},
            after={"name": name},
        )


def get(world: World, name: str, **query: str) -> Any:
    client = Client()
    client.force_login(world.auditadmin)
    return client.get(reverse(name), query)


def test_the_workbook_holds_the_filtered_rows_with_user_text_as_text(world: World) -> None:
    seed(world)
    response = get(world, "audit:export_xlsx", department="JS")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert ".xlsx" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("序号", "时间", "登录名", "操作")
    assert [r[0] for r in rows[1:]] == [1, 3]  # oldest first, XX left out
    assert rows[1][2] == world.auditadmin.username and rows[1][7] == "JS"
    changed = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert [c.coordinate for c in changed if PAYLOAD in c.value] == ["I2"]  # the changes
    assert json.loads(ws["K2"].value) == {"name": PAYLOAD}  # after, as JSON
    assert ws["F2"].value == "=1+1"  # a target id typed as a formula, kept as text
    assert {c.data_type for c in changed} == {"s"}
    assert rows[1][12] == AuditEvent.objects.get(sequence=1).hash


def test_the_csv_has_a_bom_and_neutralised_cells(world: World) -> None:
    seed(world)
    response = get(world, "audit:export_csv")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff序号".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 4
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert rows[1][5] == "'=1+1"  # neutralised, otherwise as typed
    assert rows[1][8] == "名称：旧 → " + PAYLOAD


def test_each_export_is_itself_recorded_and_not_in_its_own_file(world: World) -> None:
    seed(world)
    response = get(world, "audit:export_csv", action="department_update")
    assert len(list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))) == 4
    recorded = AuditEvent.objects.get(action="audit_export")
    assert recorded.actor == world.auditadmin and recorded.target_id == "csv"
    assert recorded.after == {
        "format": "csv",
        "filters": {"action": "department_update"},
        "rows": 3,
    }


def test_an_export_too_large_or_a_bad_filter_is_refused_with_a_reason(world: World) -> None:
    seed(world)
    client = Client()
    client.force_login(world.auditadmin)
    with mock.patch.dict("kaohe.assessment.audit_page.LIMITS", {"xlsx": 2}):
        response = client.get(reverse("audit:export_xlsx"), follow=True)
    assert "共 3 条记录符合条件，一次导出至多 2 条。请缩小筛选范围。" in response.content.decode()
    response = client.get(reverse("audit:export_csv"), {"date_from": "2026-13-40"}, follow=True)
    assert "筛选条件有误" in response.content.decode()
    assert not AuditEvent.objects.filter(action="audit_export").exists()


def test_the_page_offers_the_downloads_with_its_filters(world: World) -> None:
    seed(world)
    body = get(world, "audit:events", department="JS").content.decode()
    assert f'href="{reverse("audit:export_csv")}?department=JS"' in body
    assert f'href="{reverse("audit:export_xlsx")}?department=JS"' in body
