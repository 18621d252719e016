"""The targets' pages: drafting, reviewing, compiling, approving, reporting, proposing; the
compiled table as Excel, read back by LibreOffice (issue 11, parts 1 and 2)."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from kaohe.org.models import Department
from kaohe.targets.models import HalfYearReport, SupervisionReport, Target
from tests.web.conftest import World

TARGET = {
    "department": "",
    "content": '=HYPERLINK("http://x")完成技改投资',
    "measure": "统计数据",
    "due": "2016-12-31",
    "source": "task_book",
    "in_supervision": "on",
    "responsible": "张三",
}


def drafted(world: World) -> Target:
    Department.objects.filter(pk=world.js.pk).update(supervising_leader=world.leader)
    client = world.client(world.liaison_js)
    data = {**TARGET, "department": world.js.pk, "submit": ""}
    response = client.post(reverse("targets:new", args=[2016]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Target.objects.get()


def approved(world: World) -> Target:
    target = drafted(world)
    leader = world.client(world.leader)
    assert (
        leader.post(
            reverse("targets:review", args=[target.pk]), {"decision": "approve", "comment": "同意"}
        ).status_code
        == 302
    )
    office = world.client(world.office)
    office.post(reverse("targets:compile", args=[2016]))
    data = {
        "meeting": "领导小组会议",
        "meeting_date": "2016-01-28",
        "document_no": "常经信考〔2016〕1号",
    }
    office.post(reverse("targets:approve", args=[2016]), data)
    target.refresh_from_db()
    assert target.status == "approved"
    return target


def test_the_flow_on_the_pages(world: World) -> None:
    target = approved(world)
    page = (
        world.client(world.head_js)
        .get(reverse("targets:detail", args=[target.pk]))
        .content.decode()
    )
    assert "常经信考〔2016〕1号" in page and "提交报告" in page
    # the leader sees it, another department does not know it exists
    assert (
        world.client(world.leader).get(reverse("targets:detail", args=[target.pk])).status_code
        == 200
    )
    assert (
        world.client(world.head_xx).get(reverse("targets:detail", args=[target.pk])).status_code
        == 404
    )


def test_a_return_without_comments_is_refused_in_chinese_and_changes_nothing(world: World) -> None:
    target = drafted(world)
    leader = world.client(world.leader)
    response = leader.post(
        reverse("targets:review", args=[target.pk]),
        {"decision": "return", "comment": ""},
        follow=True,
    )
    assert "退回" in response.content.decode()
    target.refresh_from_db()
    assert target.status == "submitted"


def test_a_half_year_report_with_evidence(world: World) -> None:
    target = approved(world)
    pdf = SimpleUploadedFile(
        "进度.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf"
    )
    data = {"period": "H1", "status": "on_schedule", "done": "完成投资65亿元", "evidence": pdf}
    response = world.client(world.head_js).post(reverse("targets:report", args=[target.pk]), data)
    assert response.status_code == 302
    report = HalfYearReport.objects.get()
    assert report.evidence.count() == 1
    url = reverse("targets:evidence", args=[report.evidence.get().pk])
    assert world.client(world.leader).get(url).status_code == 200
    assert world.client(world.head_xx).get(url).status_code == 404


def test_online_reports_are_imported_from_a_workbook(world: World) -> None:
    target = approved(world)
    office = world.client(world.office)
    here = reverse("targets:supervision", args=[2016])
    office.post(here, {"monthly": ""})
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["部门代码", "目标序号", "期次", "申报日期"])
    ws.append(["JS", target.number, "2016-03", "2016-03-28"])
    ws.append(["JS", target.number, "2016-04", "2016-04-27"])
    out = io.BytesIO()
    wb.save(out)
    upload = SimpleUploadedFile("reports.xlsx", out.getvalue())
    response = office.post(here, {"import": "", "workbook": upload})
    assert response.status_code == 302
    assert SupervisionReport.objects.count() == 2
    bad = SimpleUploadedFile("bad.xlsx", b"not a workbook")
    page = office.post(here, {"import": "", "workbook": bad}).content.decode()
    assert "Excel" in page and SupervisionReport.objects.count() == 2


def test_the_clerk_proposes_and_submits_from_the_page(world: World) -> None:
    approved(world)
    clerk = world.client(world.clerk_zh)
    clerk.post(reverse("targets:proposals_make", args=[2016]))  # today is long after 2016
    page = clerk.get(reverse("targets:proposals", args=[2016])).content.decode()
    assert "确认并提交" in page


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_the_compiled_table_is_text_safe_and_prints_on_a4_landscape(
    world: World, tmp_path: Path
) -> None:
    approved(world)
    response = world.client(world.office).get(reverse("targets:xlsx", args=[2016]))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    ws = load_workbook(io.BytesIO(content)).active
    assert ws is not None
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    cell = next(
        c
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and "HYPERLINK" in c.value
    )
    assert cell.data_type == "s"
    source = tmp_path / "targets.xlsx"
    source.write_bytes(content)
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "targets.pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "年度考核目标" in text and "技术进步处" in text and "完成技改投资" in text
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    size = next(line for line in info.splitlines() if line.startswith("Page size"))
    width, height = (float(x) for x in size.split(":")[1].split("pts")[0].split("x"))
    assert (round(width), round(height)) == (842, 595)  # A4 landscape


def test_a_workbook_over_the_limit_is_refused_unread(world: World, settings: Any) -> None:
    approved(world)
    settings.EVIDENCE_MAX_BYTES = 10
    office = world.client(world.office)
    here = reverse("targets:supervision", args=[2016])
    upload = SimpleUploadedFile("big.xlsx", b"x" * 100)
    page = office.post(here, {"import": "", "workbook": upload}).content.decode()
    assert "工作簿超过" in page
