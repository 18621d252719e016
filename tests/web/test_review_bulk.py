"""The review queue in place (issue 10.11): each row shows what the entry is, several entries
are confirmed or returned at once, each by its own action, and htmx answers the queue alone."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kaohe.audit.models import AuditEvent
from kaohe.ledger import actions
from kaohe.ledger.evidence import check_upload
from kaohe.ledger.models import Entry
from tests.web.conftest import World
from tests.web.factories import add_entry

pytestmark = pytest.mark.django_db

URL = "/ledger/2016/review/bulk/"
HTMX = {"HTTP_HX_REQUEST": "true"}
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def submitted(world: World, rule: str = "1.report_missed", **fields: Any) -> Entry:
    return add_entry(world.year, world.js, rule, status="submitted", **fields)


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def statuses(*entries: Entry) -> list[str]:
    return [Entry.objects.get(pk=e.pk).status for e in entries]


def test_the_queue_shows_description_persons_and_evidence_in_the_row(world: World) -> None:
    entry = submitted(world, rule="4.study_absence", description="三次缺席学习日")
    entry.persons.add(world.js.staff.get(name="JS甲"))
    pdf, _problem = check_upload(SimpleUploadedFile("通知.pdf", b"%PDF-1.4\n%%EOF\n"))
    image, _problem = check_upload(SimpleUploadedFile("照片.png", PNG))
    actions.evidence_attach(by=world.office, entry=entry, files=[pdf, image])
    page = text(world.client(world.office).get("/ledger/2016/review/"))
    row = page[page.index(f'id="entry-{entry.pk}"') :].split("</tr>")[0]
    assert "三次缺席学习日" in row and "JS甲" in row
    assert '<details class="evidence">' in row and "证明材料（2）" in row
    assert re.search(r'<img src="/ledger/evidence/[0-9a-f-]+/" alt="照片.png"', row)
    assert ">通知.pdf</a>" in row  # a PDF is a link, not an image


def test_three_entries_are_confirmed_at_once_each_with_its_audit_row(world: World) -> None:
    entries = [submitted(world, period=p) for p in ("H1", "H2", "year")]
    response = world.client(world.office).post(
        URL, {"entries": [e.pk for e in entries], "decision": "confirm"}, **HTMX
    )
    assert response.status_code == 200
    assert statuses(*entries) == ["confirmed"] * 3
    assert "已确认 3 条，未处理 0 条。" in text(response)
    assert AuditEvent.objects.filter(action="entry_confirm").count() == 3


def test_one_refused_among_them_is_reported_and_the_others_are_done(world: World) -> None:
    good = [submitted(world, period="H1"), submitted(world, period="H2")]
    ranged = submitted(world, rule="1.target_unmet")  # a range entry: decided, not confirmed
    response = world.client(world.office).post(
        URL, {"entries": [good[0].pk, ranged.pk, good[1].pk], "decision": "confirm"}, **HTMX
    )
    page = text(response)
    assert statuses(*good, ranged) == ["confirmed", "confirmed", "submitted"]
    assert "已确认 2 条，未处理 1 条。" in page
    assert f"{ranged.ref}：区间分值的记录须由考核办评定分值后确认。" in page


def test_returning_needs_a_reason_and_then_returns_every_selected_entry(world: World) -> None:
    entries = [submitted(world, period="H1"), submitted(world, period="H2")]
    c = world.client(world.office)
    pks = [e.pk for e in entries]
    page = text(c.post(URL, {"entries": pks, "decision": "return", "reason": " "}, **HTMX))
    assert "请填写退回理由。" in page
    assert statuses(*entries) == ["submitted", "submitted"]
    assert not AuditEvent.objects.exists()
    c.post(URL, {"entries": pks, "decision": "return", "reason": "材料不全"}, **HTMX)
    assert statuses(*entries) == ["returned", "returned"]
    assert {e.status_reason for e in Entry.objects.filter(pk__in=pks)} == {"材料不全"}


def test_a_rows_own_button_takes_that_row_and_its_reason(world: World) -> None:
    one, other = submitted(world, period="H1"), submitted(world, period="H2")
    c = world.client(world.office)
    c.post(
        URL,
        {"entries": [other.pk], "one": f"return:{one.pk}", f"reason-{one.pk}": "重复"},
        **HTMX,
    )
    assert statuses(one, other) == ["returned", "submitted"]


def test_the_htmx_answer_is_the_queue_alone(world: World) -> None:
    entry, left = submitted(world, period="H1"), submitted(world, period="H2")
    response = world.client(world.office).post(
        URL + "?department=JS", {"entries": [entry.pk], "decision": "confirm"}, **HTMX
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="results">')
    assert "<html" not in page and "site-header" not in page
    assert f'id="entry-{left.pk}"' in page and f'id="entry-{entry.pk}"' not in page
    assert 'hx-post="/ledger/2016/review/bulk/?department=JS"' in page  # the filter kept


def test_without_htmx_the_queue_reloads_with_the_outcome(world: World) -> None:
    entry = submitted(world)
    c = world.client(world.office)
    response = c.post(URL + "?department=JS", {"entries": [entry.pk], "decision": "confirm"})
    assert response.status_code == 302
    assert response["Location"] == "/ledger/2016/review/?department=JS"
    assert "已确认 1 条，未处理 0 条。" in text(c.get(response["Location"]))


def test_bad_input_changes_nothing_and_says_why(world: World) -> None:
    entry = submitted(world)
    c = world.client(world.office)
    for data in (
        {"entries": [entry.pk], "decision": "delete"},
        {"entries": [], "decision": "confirm"},
        {"entries": ["x", "-1"], "decision": "confirm"},
    ):
        response = c.post(URL, data, **HTMX)
        assert response.status_code == 200
        assert statuses(entry) == ["submitted"]
    assert "请选择确认还是退回。" in text(c.post(URL, {"entries": [entry.pk]}, **HTMX))
    assert "请至少选择一条记录。" in text(c.post(URL, {"decision": "confirm"}, **HTMX))


def test_only_the_assessment_office_reviews_several_entries(world: World) -> None:
    entry = submitted(world)
    for user in (world.clerk_zh, world.head_js, world.leader, world.party):
        response = world.client(user).post(
            URL, {"entries": [entry.pk], "decision": "confirm"}, **HTMX
        )
        assert response.status_code == 403
    assert statuses(entry) == ["submitted"]
