"""The GB/T 9704 layout in Word (python-docx): page, grid of 22 lines × 28 characters, the
official fonts named for East Asian text, page numbers on odd and even pages, 版头, 落款."""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from kaohe.results.exports.gongwen import (
    BODY,
    BODY_PT,
    BOTTOM,
    CHAR_PT,
    LEFT,
    LINE_PITCH_TWIPS,
    LINE_PT,
    NUMBERS,
    PAGE_HEIGHT,
    PAGE_NUMBER_GAP,
    PAGE_NUMBER_PT,
    PAGE_WIDTH,
    RIGHT,
    SPACING_TWENTIETHS,
    TITLE,
    TITLE_PT,
    TOP,
    Face,
    date_start,
    header_pt,
)

RED = RGBColor(0xC0, 0x00, 0x00)


def name_font(element: Any, face: Face) -> None:
    """Name the face for every script of a run or style, East Asian text included (w:eastAsia
    is what Word and WPS use for Chinese)."""
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    for script in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{script}"), face.official)
    fonts.set(qn("w:hint"), "eastAsia")


def run(
    p: Paragraph,
    text: str,
    face: Face = BODY,
    size: float = BODY_PT,
    *,
    color: RGBColor | None = None,
) -> None:
    """A run of text in a face and size."""
    r = p.add_run(text)
    r.font.size = Pt(size)
    r.font.name = face.official
    name_font(r._element, face)
    if color is not None:
        r.font.color.rgb = color


def paragraph(
    doc: Any,
    text: str = "",
    face: Face = BODY,
    size: float = BODY_PT,
    *,
    align: Any = None,
    indent: bool = False,
    color: RGBColor | None = None,
) -> Paragraph:
    """A paragraph on the grid: exact line pitch, no space after, 2 characters' indent."""
    p: Paragraph = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing = Pt(float(LINE_PT))
    fmt.space_before = fmt.space_after = Pt(0)
    if align is not None:
        p.alignment = align
    if indent:
        fmt.first_line_indent = Pt(float(CHAR_PT) * 2)
    if text:
        run(p, text, face, size, color=color)
    return p


def off_grid(p: Paragraph) -> None:
    """Lay a paragraph out of the line grid (a table cell, a small print line): the grid is
    for 3号 body text and would give a smaller line the body's 28.95 pt."""
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    p._p.get_or_add_pPr().append(snap)


def _grid(section: Any) -> None:
    """The document grid: 22 lines (w:docGrid of lines; the characters are spaced to 28 a
    line by the Normal style's spacing)."""
    sect = section._sectPr
    for old in sect.findall(qn("w:docGrid")):
        sect.remove(old)
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    sect.append(grid)


def _page_field(p: Paragraph) -> None:
    """— PAGE — in 4号 宋体."""
    run(p, "— ", NUMBERS, PAGE_NUMBER_PT)
    r = p.add_run()
    r.font.size = Pt(PAGE_NUMBER_PT)
    name_font(r._element, NUMBERS)
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        r._element.append(el)
    run(p, " —", NUMBERS, PAGE_NUMBER_PT)


def _footers(doc: Any, section: Any) -> None:
    """Page numbers: odd pages on the right, even pages on the left, a character in."""
    doc.settings.odd_and_even_pages_header_footer = True
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.alignment = align
        fmt = p.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            fmt.right_indent = Pt(PAGE_NUMBER_PT)
        else:
            fmt.left_indent = Pt(PAGE_NUMBER_PT)
        off_grid(p)
        _page_field(p)
    # The number's line top 7 mm under the 版心: the footer ends about a line of 4号 lower.
    section.footer_distance = Mm(BOTTOM - PAGE_NUMBER_GAP - 6)


def new_document() -> Any:
    """An empty A4 document in the GB/T 9704 layout, body text in 3号 仿宋 by default."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT)
    section.top_margin, section.bottom_margin = Mm(TOP), Mm(BOTTOM)
    section.left_margin, section.right_margin = Mm(LEFT), Mm(RIGHT)
    section.header_distance = Mm(15)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.font.name = BODY.official
    name_font(normal.element, BODY)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(SPACING_TWENTIETHS))
    normal.element.get_or_add_rPr().append(spacing)
    _grid(section)
    _footers(doc, section)
    return doc


def redhead(doc: Any, header: str, number: str) -> None:
    """版头: the issuer's mark in red, the 发文字号 two lines under it, the red rule."""
    mark = paragraph(
        doc, header, TITLE, header_pt(header), align=WD_ALIGN_PARAGRAPH.CENTER, color=RED
    )
    mark.paragraph_format.line_spacing = Pt(header_pt(header) * 1.4)
    paragraph(doc)
    p = paragraph(doc, number, align=WD_ALIGN_PARAGRAPH.CENTER)
    p.paragraph_format.space_after = Pt(4)
    ppr = p._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "12"), ("space", "4"), ("color", "C00000")):
        bottom.set(qn(f"w:{key}"), value)
    border.append(bottom)
    ppr.append(border)


def title(doc: Any, text: str) -> None:
    """The title, two lines under the red rule, in 2号 小标宋, centred, a line before the body."""
    paragraph(doc)
    paragraph(doc)
    paragraph(doc, text, TITLE, TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(doc)


def signature(doc: Any, issuer: str, date: str) -> None:
    """落款 without a seal (GB/T 9704 §7.3.5.2): a line under the body, the issuer two
    characters from the right, the date under it starting two characters right of the
    issuer's first character (gongwen.date_start)."""
    paragraph(doc)
    p = paragraph(doc, issuer, align=WD_ALIGN_PARAGRAPH.RIGHT)
    p.paragraph_format.right_indent = Pt(float(CHAR_PT) * 2)
    d = paragraph(doc, date)
    d.paragraph_format.left_indent = Pt(float(CHAR_PT * date_start(issuer)))


def save(doc: Any) -> bytes:
    """The document as .docx bytes."""
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
