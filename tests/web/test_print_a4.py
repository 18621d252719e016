"""Every workbook prints on A4 as an office files it (issue 10.22): one page wide, landscape
when wide, the header row repeated, a print area; the results workbook's chart on a page of its
own. Read back with openpyxl, then printed by LibreOffice and measured with pdfinfo."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kaohe.ballots.export import ballots_xlsx
from kaohe.ledger.selectors import EXPORT_COLUMNS
from kaohe.results.exports.xlsx import CHART_MAX
from tests.web.results_support import (  # noqa: F401
    Demo,
    needs_poppler,
    needs_soffice,
    pdf_text,
    published_demo_fixture,
    soffice_convert,
)

pytestmark = pytest.mark.django_db

A4_LANDSCAPE = (842, 595)  # points, pdfinfo rounds
EMU = 9525  # per pixel


@pytest.fixture
def demo(published_demo: tuple[Demo, int]) -> Demo:
    return published_demo[0]


def _get(demo: Demo, url: str, user: object = None) -> bytes:
    response = demo.client(user or demo.office).get(url)
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


def assert_prints_on_a4(ws: Worksheet, *, landscape: bool = True, title_rows: bool = True) -> None:
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4, ws.title
    assert ws.page_setup.orientation == ("landscape" if landscape else "portrait"), ws.title
    assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), ws.title
    if title_rows:
        assert ws.print_title_rows == "$1:$1", ws.title
    assert ws.print_area, ws.title


def page_sizes(pdf: Path) -> list[tuple[int, int]]:
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, check=True
    ).stdout.decode()
    return [
        (round(float(w)), round(float(h)))
        for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)
    ]


def test_the_ledger_export_prints_landscape_one_page_wide(demo: Demo) -> None:
    ws = load_workbook(io.BytesIO(_get(demo, "/ledger/2016/ledger.xlsx"))).worksheets[0]
    assert_prints_on_a4(ws)
    last = get_column_letter(len(EXPORT_COLUMNS))
    assert ws.print_area == f"'{ws.title}'!$A$1:${last}${ws.max_row}"


def test_every_sheet_of_the_results_workbook_prints_on_a4(demo: Demo) -> None:
    wb = load_workbook(io.BytesIO(_get(demo, "/results/2016/versions/1/results.xlsx")))
    for ws in wb.worksheets:
        assert_prints_on_a4(ws)


def test_the_chart_starts_a_page_and_fits_on_it(demo: Demo) -> None:
    ws = load_workbook(io.BytesIO(_get(demo, "/results/2016/versions/1/results.xlsx")))["汇总排名"]
    (image,) = ws._images
    row = image.anchor._from.row  # zero-based: the anchor row's number less one
    assert [b.id for b in ws.row_breaks.brk] == [row]
    width, height = image.anchor.ext.width / EMU, image.anchor.ext.height / EMU  # as drawn
    assert width <= CHART_MAX[0] + 1 and height <= CHART_MAX[1] + 1
    last = int(ws.print_area.rsplit("$", 1)[1])
    assert last >= row + height // 20  # the print area holds the whole chart


def test_the_batch_template_and_the_ballots_print_on_a4(demo: Demo) -> None:
    body = _get(demo, "/ledger/2016/batch/template.xlsx?office=ZH", demo.clerk)
    data, reference, _lists = load_workbook(io.BytesIO(body)).worksheets
    assert_prints_on_a4(data)
    assert_prints_on_a4(reference)
    ballots = load_workbook(
        io.BytesIO(ballots_xlsx("测评", ["编号", "等次"], [["1", "好"]], ["注"]))
    )
    assert_prints_on_a4(ballots.worksheets[0], landscape=False)
    assert_prints_on_a4(ballots.worksheets[1], landscape=False, title_rows=False)


@needs_soffice
@needs_poppler
def test_libreoffice_prints_the_ledger_on_few_landscape_pages_every_column_on_each(
    demo: Demo, tmp_path: Path
) -> None:
    source = tmp_path / "ledger.xlsx"
    source.write_bytes(_get(demo, "/ledger/2016/ledger.xlsx"))
    pdf = soffice_convert(source, "pdf", tmp_path / "out")
    sizes = page_sizes(pdf)
    assert set(sizes) == {A4_LANDSCAPE}
    rows = load_workbook(source).worksheets[0].max_row
    assert len(sizes) <= rows // 15 + 1  # one page wide: pages only down, never across
    pages = pdf_text(pdf).split("\f")
    for page in pages[: len(sizes)]:
        # the first and the last column's headers on every page: one page wide, header repeated
        assert "编号" in page and "加分/扣分" in page.replace(" ", ""), page[:200]


@needs_soffice
@needs_poppler
def test_libreoffice_prints_the_results_workbook_on_landscape_a4(
    demo: Demo, tmp_path: Path
) -> None:
    source = tmp_path / "results.xlsx"
    source.write_bytes(_get(demo, "/results/2016/versions/1/results.xlsx"))
    pdf = soffice_convert(source, "pdf", tmp_path / "out")
    assert set(page_sizes(pdf)) == {A4_LANDSCAPE}
    # the summary is one page, the chart the next: page 2 has no text but the repeated header
    pages = pdf_text(pdf).split("\f")
    assert "技术进步处" in pages[0]
    assert "技术进步处" not in pages[1]
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "3", str(pdf), str(tmp_path / "p")],
        check=True,
    )
