"""The half-year supervision circular as Word (python-docx) and PDF (WeasyPrint), in the
GB/T 9704 layout (gongwen.py)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from weasyprint import HTML

from kaohe.results.circular import Block, Document
from kaohe.results.exports import gongwen
from kaohe.results.exports import gongwen_docx as word
from kaohe.results.exports.gongwen import BODY, HEADING, SUBHEADING, TABLE_PT

# The ranking's column widths (cm) on the 15.6 cm of the 版心, the same in Word and PDF.
RANKING_WIDTHS_CM = (3.2, 3.6, 2.2, 2.2, 2.2, 2.2)
FACES = {"p": BODY, "h1": HEADING, "h2": SUBHEADING}


def circular_docx(document: Document) -> bytes:
    """The circular as .docx bytes."""
    doc = word.new_document()
    word.redhead(doc, document.header, document.number)
    word.title(doc, document.title)
    word.paragraph(doc, document.addressee)
    for block in document.blocks:
        if block.kind == "table":
            _table(doc, block)
        else:
            p = word.paragraph(doc, block.text, FACES[block.kind], indent=True)
            p.paragraph_format.keep_with_next = block.kind != "p"
    word.signature(doc, document.issuer, document.date)
    return word.save(doc)


def _table(doc: Any, block: Block) -> None:
    table = doc.add_table(rows=1, cols=len(block.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, block.header, strict=True):
        _cell(cell, text, HEADING)
    for values in block.rows:
        for i, (cell, text) in enumerate(zip(table.add_row().cells, values, strict=True)):
            _cell(cell, text, BODY, right=i >= 2)
    for column, width in zip(table.columns, RANKING_WIDTHS_CM, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)


def _cell(cell: Any, text: str, face: gongwen.Face, *, right: bool = False) -> None:
    p = cell.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if right else WD_ALIGN_PARAGRAPH.CENTER
    word.off_grid(p)
    p.paragraph_format.line_spacing = Pt(TABLE_PT * 1.5)
    word.run(p, text, face, TABLE_PT)


def circular_pdf(document: Document) -> bytes:
    """The circular as PDF bytes, its fonts embedded."""
    html = render_to_string(
        "results/pdf/circular.html",
        {
            "doc": document,
            "css": gongwen.css(),
            "header_pt": gongwen.header_pt(document.header),
            "date_start": gongwen.date_start(document.issuer) * gongwen.CHAR_PT,
            "widths": RANKING_WIDTHS_CM,
            "table_pt": TABLE_PT,
        },
    )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
