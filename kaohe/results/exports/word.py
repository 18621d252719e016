"""The results notice as a Word document (python-docx), laid out as a red-header party document."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from kaohe.results.exports.notice import TABLE_WIDTHS_CM, Notice

RED = RGBColor(0xC0, 0x00, 0x00)
SERIF = "Noto Serif CJK SC"
SANS = "Noto Sans CJK SC"


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


def _paragraph(
    doc: object, text: str = "", *, align: int | None = None, indent: bool = False, **style: object
) -> Paragraph:
    p: Paragraph = doc.add_paragraph()  # type: ignore[attr-defined]
    fmt = p.paragraph_format
    fmt.line_spacing = Pt(28)
    fmt.space_after = Pt(0)
    if align is not None:
        p.alignment = align  # type: ignore[assignment]
    if indent:
        fmt.first_line_indent = Pt(32)
    if text:
        _run(p, text, **style)  # type: ignore[arg-type]
    return p


def _red_rule(p: Paragraph) -> None:
    """A red line under the paragraph (the 版头 separator)."""
    ppr = p._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "18"), ("space", "4"), ("color", "C00000")):
        bottom.set(qn(f"w:{key}"), value)
    border.append(bottom)
    ppr.append(border)


def notice_docx(notice: Notice) -> bytes:
    """The notice as .docx bytes: header, number, red rule, title, body, signature, score table."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _paragraph(doc, notice.header, align=WD_ALIGN_PARAGRAPH.CENTER, size=24, bold=True, color=RED)
    number = _paragraph(doc, notice.number, align=WD_ALIGN_PARAGRAPH.CENTER)
    number.paragraph_format.space_before = Pt(18)
    _red_rule(number)
    title = _paragraph(doc, notice.title, align=WD_ALIGN_PARAGRAPH.CENTER, size=20, bold=True)
    title.paragraph_format.space_before = Pt(24)
    title.paragraph_format.space_after = Pt(18)
    title.paragraph_format.line_spacing = Pt(34)
    _paragraph(doc, notice.addressee)
    _paragraph(doc, notice.opening, indent=True)
    for heading, text in notice.sections:
        _paragraph(doc, heading, indent=True, font=SANS)
        _paragraph(doc, text, indent=True)
    _paragraph(doc, notice.closing, indent=True)
    _paragraph(doc)
    _paragraph(doc, notice.attachment_label, indent=True)
    _paragraph(doc)
    _paragraph(doc, notice.issuer, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(doc, notice.date, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(doc, notice.footer, size=8, font=SANS)
    _attachment(doc, notice)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _attachment(doc: object, notice: Notice) -> None:
    breaker = _paragraph(doc)
    breaker.add_run().add_break(WD_BREAK.PAGE)
    _paragraph(doc, notice.attachment_heading, font=SANS)
    _paragraph(doc, notice.attachment_title, align=WD_ALIGN_PARAGRAPH.CENTER, size=18, bold=True)
    table = doc.add_table(rows=1, cols=len(notice.table_header))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, notice.table_header, strict=True):
        _cell(cell, text, bold=True)
    for values in notice.table:
        cells = table.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, values, strict=True)):
            _cell(cell, text, right=2 <= i <= 5)
    table.autofit = False
    widths = [Cm(w) for w in TABLE_WIDTHS_CM]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid LibreOffice and Word lay out by
        for cell in column.cells:
            cell.width = width


def _cell(cell: object, text: str, *, bold: bool = False, right: bool = False) -> None:
    p: Paragraph = cell.paragraphs[0]  # type: ignore[attr-defined]
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if right else WD_ALIGN_PARAGRAPH.CENTER
    _run(p, text, size=10.5, font=SANS, bold=bold)
