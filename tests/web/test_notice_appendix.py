"""The 通报's appendix table (issue 10.21): every header on one line in Word and PDF ("名次"
wrapped as 名/次), the columns the same widths in both, within the page."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Cm

from kaohe.results.exports.notice import TABLE_WIDTHS_CM
from tests.web.results_support import (  # noqa: F401
    Demo,
    needs_poppler,
    needs_soffice,
    pdf_text,
    published_demo_fixture,
    soffice_convert,
)

pytestmark = pytest.mark.django_db

HEADERS = ("名次", "处室", "考核内容", "综合测评", "党组加减分", "总分", "荣誉")


@pytest.fixture
def demo(published_demo: tuple[Demo, int]) -> Demo:
    return published_demo[0]


def _get(demo: Demo, url: str) -> bytes:
    response = demo.client(demo.office).get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def header_line(text: str) -> str:
    """The appendix's header row as pdftotext lays it out: the line holding 名次."""
    lines = [line for line in text.splitlines() if "名次" in line]
    assert lines, "no line holds 名次 whole: the header wrapped"
    return re.sub(r"\s+", " ", lines[-1])


def test_the_word_appendix_columns_fit_the_page_and_hold_their_headers() -> None:
    assert abs(sum(TABLE_WIDTHS_CM) - 15.6) < 1e-9  # A4 less the GB/T 9704 margins


def test_the_word_appendix_has_the_set_column_widths(demo: Demo) -> None:
    doc = Document(io.BytesIO(_get(demo, "/results/2016/versions/1/notice.docx")))
    table = doc.tables[-1]
    assert tuple(c.text for c in table.rows[0].cells) == HEADERS
    widths = [round(col.width / Cm(1), 2) for col in table.columns]
    assert widths == list(TABLE_WIDTHS_CM)


@needs_poppler
def test_every_pdf_appendix_header_is_on_one_line(demo: Demo, tmp_path: Path) -> None:
    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(_get(demo, "/results/2016/versions/1/notice.pdf"))
    line = header_line(pdf_text(pdf))
    for header in HEADERS:
        assert header in line, line


@needs_soffice
@needs_poppler
def test_every_word_appendix_header_is_on_one_line(demo: Demo, tmp_path: Path) -> None:
    source = tmp_path / "notice.docx"
    source.write_bytes(_get(demo, "/results/2016/versions/1/notice.docx"))
    line = header_line(pdf_text(soffice_convert(source, "pdf", tmp_path / "out")))
    for header in HEADERS:
        assert header in line, line
