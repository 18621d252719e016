"""The self-assessment form (考核自评表) as files in the seed's layout, opened by LibreOffice and
read back with pdftotext and pdfinfo; all forms at once; the office's comparison (issue 12.1)."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from kaohe.results.views import self_assessments as views
from kaohe.years import actions
from tests.web.conftest import World
from tests.web.factories import add_entry
from tests.web.results_support import needs_poppler, needs_soffice, pdf_text, soffice_convert

pytestmark = pytest.mark.django_db

NOTE = '=HYPERLINK("http://evil.example/","详情")'
TITLE = "常州市经济和信息化委员会机关内设机构年度考核自评表"
SEED_WORDS = [
    TITLE,
    "处室：技术进步处",
    "填表日期：2017-01-08",
    "类别",
    "考核内容",
    "自评分",
    "情况说明",
    "业务工作（20分）",
    "1、年度目标任务完成情况",
    "18、获先进集体、先进个人等荣誉",
    "合计（70分）",
    "总分",
    "处室负责人（签字）：张处长",
    "扫一扫在手机打开当前页",
]


def _submit(world: World) -> None:
    raw = {str(n): ("", "") for n in world.year.scheme.items}
    raw["1"] = ("18.5", NOTE)
    raw["4"] = ("9", "按时参加学习")
    actions.self_assessment_submit(
        by=world.head_js,
        year=world.year,
        department=world.js,
        raw=raw,
        filled_on=date(2017, 1, 8),
        head_name="张处长",
    )


def _get(world: World, user: object, name: str, *args: object) -> bytes:
    response = world.client(user).get(reverse(name, args=[2016, *args]))
    assert response.status_code == 200, response.content[:300]
    return response.content


def _pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True).stdout
    return dict(
        (k.strip(), v.strip())
        for k, v in (line.split(":", 1) for line in out.decode().splitlines())
    )


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _check_printed(path: Path, pages: int = 1) -> str:
    info = _pdfinfo(path)
    assert "A4" in info["Page size"], info["Page size"]
    assert int(info["Pages"]) == pages
    text = _flat(pdf_text(path))
    missing = [w for w in SEED_WORDS if _flat(w) not in text]
    assert not missing, missing
    assert "18.5" in text and "27.5" in text  # item 1, and 合计 / 总分
    return text


@needs_soffice
@needs_poppler
@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_the_form_as_a_file_prints_in_the_seeds_layout_on_one_a4_page(
    world: World, tmp_path: Path, fmt: str
) -> None:
    _submit(world)
    source = tmp_path / f"form.{fmt}"
    source.write_bytes(_get(world, world.head_js, "results:self_assessment_export", "JS", fmt))
    text = _check_printed(soffice_convert(source, "pdf", tmp_path / "out"))
    assert "HYPERLINK" in text  # the note printed as the text it is


@needs_poppler
def test_the_form_as_pdf_is_a4_in_the_seeds_layout_with_the_pages_qr_code(
    world: World, tmp_path: Path
) -> None:
    _submit(world)
    path = tmp_path / "form.pdf"
    path.write_bytes(_get(world, world.leader, "results:self_assessment_export", "JS", "pdf"))
    _check_printed(path)
    images = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, check=True)
    assert (
        len(images.stdout.decode().splitlines()) == 3
    )  # two header lines, then the one image: the QR code


def test_the_workbook_keeps_the_note_as_text_and_the_qr_code_of_the_page(world: World) -> None:
    _submit(world)
    content = _get(world, world.head_js, "results:self_assessment_export", "JS", "xlsx")
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        assert [n for n in z.namelist() if n.startswith("xl/media/")] == ["xl/media/image1.png"]
    ws = load_workbook(io.BytesIO(content)).active
    assert ws.title == "技术进步处"
    notes = [c for row in ws.iter_rows() for c in row if c.value == NOTE]
    assert notes and all(c.data_type == "s" for c in notes)
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)


def test_the_qr_code_is_the_forms_page(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    original = views.form_sheet

    def spy(*args: Any) -> Any:
        sheet = original(*args)
        seen.append(sheet.url)
        return sheet

    monkeypatch.setattr(views, "form_sheet", spy)
    _get(world, world.head_js, "results:self_assessment_export", "JS", "docx")
    assert seen == ["http://testserver" + reverse("years:self_assessment", args=[2016, "JS"])]


def test_the_word_document_is_a4_with_the_forms_table(world: World) -> None:
    _submit(world)
    doc = Document(
        io.BytesIO(_get(world, world.head_js, "results:self_assessment_export", "JS", "docx"))
    )
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["类别", "考核内容", "自评分", "情况说明"]
    assert len(doc.inline_shapes) == 1  # the QR code


def test_an_unknown_format_is_not_found(world: World) -> None:
    response = world.client(world.head_js).get(
        reverse("results:self_assessment_export", args=[2016, "JS", "exe"])
    )
    assert response.status_code == 404


@needs_poppler
def test_all_forms_at_once_one_pdf_page_and_one_sheet_per_department(
    world: World, tmp_path: Path
) -> None:
    _submit(world)
    path = tmp_path / "all.pdf"
    path.write_bytes(_get(world, world.office, "results:self_assessments_export", "pdf"))
    assert _pdfinfo(path)["Pages"] == "3"
    assert "A4" in _pdfinfo(path)["Page size"]
    book = load_workbook(
        io.BytesIO(_get(world, world.office, "results:self_assessments_export", "xlsx"))
    )
    assert book.sheetnames == ["办公室", "技术进步处", "信息化推进处"]  # by department code


def test_the_comparison_puts_self_scores_beside_the_engines_and_marks_differences(
    world: World,
) -> None:
    _submit(world)
    add_entry(world.year, world.js, "4.study_absence", period="H1", count=2)  # −0.4 on item 4
    response = world.client(world.office).get(reverse("results:self_assessments", args=[2016]))
    assert response.status_code == 200
    js = next(d for d in response.context["comparison"].departments if d.code == "JS")
    business, ability = js.categories[0], js.categories[1]
    assert (business.self_total, business.assessed) == (18.5, 20)
    assert business.difference == -1.5
    assert (ability.self_total, ability.assessed) == (9, Fraction(48, 5))
    item4 = next(i for i in ability.items if i.number == 4)
    assert item4.assessed_change == Fraction(-2, 5)
    page = response.content.decode()
    assert 'class="subtotal differs"' in page
    assert (
        js.submitted
        and not next(
            d for d in response.context["comparison"].departments if d.code == "XX"
        ).submitted
    )
