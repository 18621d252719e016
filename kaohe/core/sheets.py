"""Writing cells of the product's workbooks: user text always as text, never as a formula.

openpyxl decides a cell's type from its value: a string that starts with "=" becomes a formula
(data type "f") and one of Excel's error words ("#N/A" …) an error. Text typed by users —
descriptions, names, reasons — must never become either (OWASP CSV injection: `=HYPERLINK(...)`,
`=cmd|' /C calc'!A0`), so every string written here is set to the string type explicitly; the
formulas the workbook computes itself are marked as `Formula` and are the only strings left to
openpyxl's inference.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import Cell, WriteOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

# Characters an xlsx cannot hold (openpyxl refuses them: a description pasted with a control
# character would make the whole export fail); they are written as spaces.
NOT_IN_XLSX = re.compile(r"[\000-\010\013\014\016-\037]")


# A CSV cell starting with one of these is read by spreadsheets as a formula (the engine's own CSV
# output, kaohe/engine/output.py, which the web may not import, guards its cells the same way).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(text: str) -> str:
    """User text as a CSV cell no spreadsheet reads as a formula: an apostrophe before it."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class Formula(str):
    """A formula the product writes itself (e.g. "=SUM(D2:I2)"); every other string is text."""


def put(cell: Cell, value: Any) -> Cell:
    """Set the cell's value: a Formula as a formula, any other string as text."""
    cell.value = _cleaned(value)
    if isinstance(value, str) and not isinstance(value, Formula):
        cell.data_type = "s"  # after the value: openpyxl's inference would make "=…" a formula
    return cell


def write(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """ws.cell(row, column, value) with the text rule of `put`."""
    return put(ws.cell(row=row, column=column), value)


def append(ws: Worksheet, values: Iterable[Any]) -> None:
    """ws.append(values) with the text rule of `put`."""
    given = list(values)
    ws.append([_cleaned(v) for v in given])
    row = ws.max_row  # the row ws.append wrote: always the one after the last
    for column, value in enumerate(given, start=1):
        if isinstance(value, str) and not isinstance(value, Formula):
            ws.cell(row=row, column=column).data_type = "s"


def write_only_row(ws: Any, values: Iterable[Any]) -> list[Any]:
    """A row for a write-only sheet's append, with the text rule of `put`."""
    row: list[Any] = []
    for value in values:
        if isinstance(value, str) and not isinstance(value, Formula):
            cell = WriteOnlyCell(ws, value=_cleaned(value))
            cell.data_type = "s"  # after the value, as in `put`
            row.append(cell)
        else:
            row.append(_cleaned(value))
    return row


def _cleaned(value: Any) -> Any:
    if isinstance(value, Formula):
        return str(value)
    if isinstance(value, str):
        return NOT_IN_XLSX.sub(" ", value)
    return value


# A4 portrait holds about this many characters of column width at 100 %; a wider sheet prints
# landscape (and shrinks to one page wide either way).
PORTRAIT_WIDTH = 95
DEFAULT_WIDTH = 8.43  # Excel's width of a column whose width was never set


def sheet_width(ws: Worksheet, last_column: int) -> float:
    """The sum of the widths of columns A..last_column, in characters."""
    total = 0.0
    for index in range(1, last_column + 1):
        width = ws.column_dimensions[get_column_letter(index)].width
        total += width or DEFAULT_WIDTH
    return total


def print_a4(
    ws: Worksheet,
    *,
    title_rows: int = 1,
    last_row: int | None = None,
    last_column: int | None = None,
    landscape: bool | None = None,
) -> None:
    """Print the sheet on A4 as an office files it: one page wide (as many pages down as it
    takes), its header rows repeated on every page, the print area the table (and what the
    caller names below it), landscape when the columns are wider than a portrait page."""
    columns = last_column or ws.max_column
    rows = last_row or ws.max_row
    if landscape is None:
        landscape = sheet_width(ws, columns) > PORTRAIT_WIDTH
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    if title_rows:
        ws.print_title_rows = f"1:{title_rows}"
    ws.print_area = f"A1:{get_column_letter(columns)}{max(rows, 1)}"
