"""The results notice as a Word document (python-docx), in the GB/T 9704 layout of a red-header
party document (gongwen_docx): the official fonts named, the page numbers on odd and even pages."""

from __future__ import annotations

from typing import Any

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from kaohe.results.exports import gongwen_docx as gw
from kaohe.results.exports.gongwen import BODY, HEADING, TITLE, TITLE_PT, Face
from kaohe.results.exports.notice import TABLE_WIDTHS_CM, Notice

# The self-assessment form (self_assessment.py) is a form, not an official document: it keeps
# Noto CJK, named through _run.
SERIF = "Noto Serif CJK SC"
SANS = "Noto Sans CJK SC"
FOOTER_PT = 8  # the version's seal and digest: a small line, not part of the text
CELL_PT = 10.5  # 五号: the score table's headers each on one line (TABLE_WIDTHS_CM)


def _run(
    p: Paragraph,
    text: str,
    *,
    size: float = 16,
    font: str = SERIF,
    bold: bool = False,
    color: RGBColor | None = None,
) -> None:
    run = p.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = font
    rpr = run._element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), font)
    if color is not None:
        run.font.color.rgb = color


def notice_docx(notice: Notice) -> bytes:
    """The notice as .docx bytes: 版头, 发文字号, title, body, 落款, then the score table."""
    doc = gw.new_document()
    gw.redhead(doc, notice.header, notice.number)
    gw.title(doc, notice.title)
    gw.paragraph(doc, notice.addressee)
    gw.paragraph(doc, notice.opening, indent=True)
    for heading, text in notice.sections:
        gw.paragraph(doc, heading, HEADING, indent=True).paragraph_format.keep_with_next = True
        gw.paragraph(doc, text, indent=True)
    gw.paragraph(doc, notice.closing, indent=True)
    gw.paragraph(doc)
    gw.paragraph(doc, notice.attachment_label, indent=True)
    gw.signature(doc, notice.issuer, notice.date)
    footer = gw.paragraph(doc, notice.footer, HEADING, FOOTER_PT)
    footer.paragraph_format.line_spacing = Pt(FOOTER_PT * 1.5)
    gw.off_grid(footer)
    _attachment(doc, notice)
    return gw.save(doc)


def _attachment(doc: Any, notice: Notice) -> None:
    gw.paragraph(doc).add_run().add_break(WD_BREAK.PAGE)
    gw.paragraph(doc, notice.attachment_heading, HEADING)
    gw.paragraph(doc, notice.attachment_title, TITLE, TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER)
    table = doc.add_table(rows=1, cols=len(notice.table_header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, notice.table_header, strict=True):
        _cell(cell, text, HEADING)
    for values in notice.table:
        cells = table.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, values, strict=True)):
            _cell(cell, text, BODY, right=2 <= i <= 5)
    table.autofit = False
    widths = [Cm(w) for w in TABLE_WIDTHS_CM]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid LibreOffice and Word lay out by
        for cell in column.cells:
            cell.width = width


def _cell(cell: Any, text: str, face: Face, *, right: bool = False) -> None:
    p = cell.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if right else WD_ALIGN_PARAGRAPH.CENTER
    gw.off_grid(p)
    p.paragraph_format.line_spacing = Pt(CELL_PT * 1.4)
    gw.run(p, text, face, CELL_PT)
