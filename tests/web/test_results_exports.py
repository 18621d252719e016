"""Exports of a published version: workbook, notice (Word, PDF), score sheets — values checked."""

from __future__ import annotations

import io
import re
from dataclasses import astuple, replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from django.utils import translation
from openpyxl import load_workbook

from kaohe.core.numbers import to_decimal
from kaohe.engine.bundle.model import Veto
from kaohe.engine.numbers import fmt2
from kaohe.results.exports.data import ExportData, export_data
from kaohe.results.exports.notice import Notice, full_width, notice_content
from kaohe.results.exports.xlsx import workbook_bytes
from kaohe.results.models import Publication
from kaohe.results.selectors import publication_results
from tests.web.results_support import (  # noqa: F401
    Demo,
    needs_poppler,
    needs_soffice,
    pdf_text,
    published_demo_fixture,
    soffice_convert,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(published_demo: tuple[Demo, int]) -> Demo:
    return published_demo[0]


@pytest.fixture
def published(published_demo: tuple[Demo, int]) -> Publication:
    return Publication.objects.get(pk=published_demo[1])


def _get(demo: Demo, url: str, user: object = None) -> bytes:
    response = demo.client(user or demo.office).get(url)
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


def _squash(text: str) -> str:
    """PDF text without the spaces and line breaks layout puts between CJK characters."""
    return re.sub(r"\s+", "", text)


def test_the_workbook_has_the_five_sheets_with_formulas_over_exact_values(
    demo: Demo, published: Publication
) -> None:
    body = _get(demo, "/results/2016/versions/1/results.xlsx")
    wb = load_workbook(io.BytesIO(body))
    assert wb.sheetnames == ["汇总排名", "分类得分", "加减分明细", "测评得分", "荣誉"]
    summary, categories = wb["汇总排名"], wb["分类得分"]
    # total = content + evaluation + adjustment, content = SUM of the categories: formulas
    assert summary["G2"].value == "=D2+E2+F2"
    assert summary["D2"].value == "='分类得分'!J2"
    assert categories["J2"].value == "=SUM(D2:I2)"
    assert str(categories["D2"].value).startswith("=20-MIN(20,SUMIFS(")
    # an evaluation mean without a finite decimal form is written to 12 places, not rounded to 2
    evaluation = wb["测评得分"]
    results = publication_results(published)
    first = results.departments[0]
    assert Decimal(str(evaluation["D2"].value)) == to_decimal(first.evaluation["democratic"])
    assert first.evaluation["democratic"].denominator not in (1, 2, 4, 5, 10, 20, 25, 50, 100)


def test_to_decimal_keeps_finite_decimals_and_rounds_repeating_ones_to_12_places() -> None:
    assert to_decimal(Fraction(1, 8)) == Decimal("0.125")
    assert to_decimal(Fraction(28, 3)) == Decimal("9.333333333333")
    assert to_decimal(Fraction(-2, 3)) == Decimal("-0.666666666667")


@needs_soffice
def test_libreoffice_computes_the_workbooks_formulas_to_the_engines_figures(
    demo: Demo, published: Publication, tmp_path: Path
) -> None:
    # given the workbook as exported (formulas, no cached values)
    source = tmp_path / "results.xlsx"
    source.write_bytes(_get(demo, "/results/2016/versions/1/results.xlsx"))
    # when LibreOffice opens it and saves it again, computing every formula
    computed = load_workbook(
        soffice_convert(source, "xlsx:Calc MS Excel 2007 XML", tmp_path / "out"), data_only=True
    )
    # then every computed figure is the engine's exact figure, and rounds to what the engine prints
    results = publication_results(published)
    summary, categories = computed["汇总排名"], computed["分类得分"]
    codes = [c.code for c in results.departments[0].category_trails]
    for row, d in enumerate(results.departments, start=2):
        pairs = [
            (summary[f"D{row}"].value, d.content),
            (summary[f"E{row}"].value, d.evaluation_total),
            (summary[f"F{row}"].value, d.adjustment),
            (summary[f"G{row}"].value, d.total),
            *(
                (categories.cell(row=row, column=4 + i).value, d.categories[c])
                for i, c in enumerate(codes)
            ),
        ]
        for value, exact in pairs:
            assert abs(Fraction(str(value)) - exact) < Fraction(1, 10**9), (d.code, value, exact)


@needs_soffice
@needs_poppler
def test_the_workbook_converted_to_pdf_shows_every_total_as_the_engine_prints_it(
    demo: Demo, published: Publication, tmp_path: Path
) -> None:
    source = tmp_path / "results.xlsx"
    source.write_bytes(_get(demo, "/results/2016/versions/1/results.xlsx"))
    text = pdf_text(soffice_convert(source, "pdf", tmp_path / "out"))
    for d in published.results["departments"]:
        line = next(
            x for x in text.splitlines() if f" {d['code']} " in f" {x} " and d["total"] in x
        )
        assert d["content"] in line and d["evaluation_total"] in line


def _check_notice_text(text: str, published: Publication) -> None:
    flat = _squash(text)
    assert "中共常州市经济和信息化委员会党组文件" in flat
    assert "关于2016年度机关内设机构考核结果的通报" in flat
    assert "常经信党〔2017〕3号" in flat
    names = {d["code"]: d["name"] for d in published.bundle["departments"]}
    for code, honors in published.honors.items():
        if "advanced" in honors:
            assert names[code] in flat
    for d in published.results["departments"]:
        assert d["total"] in text


@needs_soffice
@needs_poppler
def test_the_word_notice_converted_by_libreoffice_reads_as_the_notice(
    demo: Demo, published: Publication, tmp_path: Path
) -> None:
    source = tmp_path / "notice.docx"
    source.write_bytes(_get(demo, "/results/2016/versions/1/notice.docx", demo.head_js))
    _check_notice_text(pdf_text(soffice_convert(source, "pdf", tmp_path / "out")), published)


@needs_poppler
def test_the_pdf_notice_reads_as_the_notice_in_the_embedded_official_substitutes(
    demo: Demo, published: Publication, tmp_path: Path
) -> None:
    import subprocess

    path = tmp_path / "notice.pdf"
    path.write_bytes(_get(demo, "/results/2016/versions/1/notice.pdf", demo.head_js))
    _check_notice_text(pdf_text(path), published)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True).stdout.decode()
    names = [line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:]]
    # GB/T 9704's faces, embedded as their Fandol substitutes (仿宋 body, 黑体 headings, the
    # title's 小标宋 as FandolSong Bold, the page numbers' 宋体): no other font anywhere.
    assert {"FandolFang", "FandolHei", "FandolSong-Title", "FandolSong-Text"} <= set(names), names
    assert all(n.startswith("Fandol") for n in names), names
    assert all(" yes yes " in line for line in fonts.splitlines()[2:]), fonts  # embedded


def _page_count(path: Path) -> int:
    import subprocess

    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True).stdout.decode()
    found = re.search(r"Pages:\s+(\d+)", info)
    assert found, info
    return int(found.group(1))


@needs_poppler
def test_a_score_sheet_is_one_page_with_the_departments_figures(
    demo: Demo, published: Publication, tmp_path: Path
) -> None:
    path = tmp_path / "sheet.pdf"
    path.write_bytes(_get(demo, "/results/2016/versions/1/sheets/JS.pdf", demo.head_js))
    assert _page_count(path) == 1
    js = next(d for d in published.results["departments"] if d["code"] == "JS")
    text = pdf_text(path)
    assert "技术进步处" in _squash(text)
    for figure in (js["total"], js["content"], js["evaluation_total"], *js["categories"].values()):
        assert figure in text


@needs_poppler
def test_all_score_sheets_come_in_one_pdf_a_page_a_department_each_with_the_seal(
    demo: Demo, published: Publication, tmp_path: Path
) -> None:
    path = tmp_path / "sheets.pdf"
    path.write_bytes(_get(demo, "/results/2016/versions/1/sheets.pdf", demo.leader))
    departments = published.results["departments"]
    assert _page_count(path) == len(departments)
    pages = pdf_text(path).split("\f")  # pdftotext ends each page with a form feed
    for d, text in zip(departments, map(_squash, pages), strict=False):
        assert d["total"] in text and f"版本校验码{published.seal[:16]}" in text, d["code"]
    page = _get(demo, "/results/2016/versions/1/", demo.leader).decode()
    assert "/results/2016/versions/1/sheets.pdf" in page
    head = demo.client(demo.head_js)
    assert head.get("/results/2016/versions/1/sheets.pdf").status_code == 404
    assert "/results/2016/versions/1/sheets.pdf" not in head.get("/results/2016/").content.decode()


def test_who_may_download_what(demo: Demo, published: Publication) -> None:
    base = "/results/2016/versions/1/"
    head = demo.client(demo.head_js)
    assert head.get(base + "results.xlsx").status_code == 403
    assert head.get(base + "sheets/JS.pdf").status_code == 200
    assert head.get(base + "sheets/XXH.pdf").status_code == 404
    assert head.get(base + "notice.pdf").status_code == 200
    assert demo.client(demo.leader).get(base + "sheets/XXH.pdf").status_code == 200
    assert demo.client(demo.outsider).get(base + "notice.pdf").status_code == 403
    assert demo.client(demo.office).get("/results/2016/versions/9/notice.pdf").status_code == 404


def test_exports_print_figures_from_exact_values(published: Publication) -> None:
    with translation.override("zh-hans"):
        data = export_data(published)
        body = workbook_bytes(data)
    assert body[:2] == b"PK"
    for d, stored in zip(data.results.departments, published.results["departments"], strict=True):
        assert fmt2(d.total) == stored["total"]


def _every_section(data: ExportData) -> ExportData:
    """The version with every honor, the last two places and a veto, so every sentence is worded."""
    depts = list(data.results.departments)
    kinds = [["advanced", "recommended"], ["advanced"], ["praised"], ["progress"], ["bottom"]]
    honors = {d.code: kinds[i] if i < len(kinds) else [] for i, d in enumerate(depts)}
    reason = next(iter(data.scheme.veto_reasons))
    last = depts[-1]
    depts[-1] = replace(last, vetoed=True, vetoes=(Veto(last.code, reason),))
    results = replace(data.results, departments=tuple(depts))
    return replace(data, honors=honors, results=results)


def _notice_texts(notice: Notice) -> list[str]:
    texts = [v for v in astuple(notice) if isinstance(v, str)]
    texts += [t for pair in notice.sections for t in pair]
    return texts + list(notice.table_header) + [c for row in notice.table for c in row]


def test_the_notice_uses_full_width_punctuation_in_its_chinese_sentences(
    published: Publication,
) -> None:
    # given a version whose notice has every section
    with translation.override("zh-hans"):
        notice = notice_content(_every_section(export_data(published)))
    # when its text is read / then no ASCII , : ; ( ) touches a CJK character (GB/T 15834)
    cjk = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”]"
    half = re.compile(rf"{cjk}\s*[,:;()]|[,:;()]\s*{cjk}")
    texts = _notice_texts(notice)
    assert len(notice.sections) == 5
    assert [t for t in texts if half.search(t)] == []
    assert "输入数据摘要（SHA-256）：" in notice.footer


@pytest.mark.parametrize(
    ("entered", "printed"),
    [
        ("委党组会议(2017-01-20)", "委党组会议（2017-01-20）"),
        ("考核(试行)办法", "考核（试行）办法"),
        ("甲,乙;丙:丁", "甲，乙；丙：丁"),
        ("(SHA-256) 1,2 10:30", "(SHA-256) 1,2 10:30"),
        ("ISO (2016)办法", "ISO （2016）办法"),
    ],
)
def test_entered_text_in_the_notice_takes_full_width_punctuation_beside_chinese(
    entered: str, printed: str
) -> None:
    assert full_width(entered) == printed
