"""Renderers of a round's ballots: one function per format."""

from __future__ import annotations

import io

from openpyxl import Workbook

from kaohe.core import sheets


def ballots_xlsx(title: str, header: list[str], rows: list[list[str]]) -> bytes:
    """An Excel workbook of one sheet: the header, then one ballot per row."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    # Excel refuses these characters in sheet names, and names longer than 31 characters.
    sheet.title = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31] or "ballots"
    sheets.append(sheet, header)
    for row in rows:
        sheets.append(sheet, row)
    sheet.freeze_panes = "C2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
