"""Renderers of a round's ballots: one function per format."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from kaohe.core import sheets


def ballots_xlsx(title: str, header: list[str], rows: list[list[str]], notes: list[str]) -> bytes:
    """An Excel workbook: the header, then one ballot per row; a second sheet of notes."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    # Excel refuses these characters in sheet names, and names longer than 31 characters.
    sheet.title = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31] or "ballots"
    sheets.append(sheet, header)
    for row in rows:
        sheets.append(sheet, row)
    sheet.freeze_panes = "C2"
    note = book.create_sheet(_("Note"))
    for line in notes:
        sheets.append(note, [line])
    note.column_dimensions["A"].width = 100
    sheets.print_a4(sheet)
    sheets.print_a4(note, title_rows=0, landscape=False)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
