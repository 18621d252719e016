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

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

# Characters an xlsx cannot hold (openpyxl refuses them: a description pasted with a control
# character would make the whole export fail); they are written as spaces.
NOT_IN_XLSX = re.compile(r"[\000-\010\013\014\016-\037]")


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


def _cleaned(value: Any) -> Any:
    if isinstance(value, Formula):
        return str(value)
    if isinstance(value, str):
        return NOT_IN_XLSX.sub(" ", value)
    return value


# What a spreadsheet reads as the start of a formula in a CSV cell. The engine's CSV
# (kaohe/engine/output.py csv_text) keeps the same rule: the engine imports no app.
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(text: str) -> str:
    """User text as a CSV cell no spreadsheet reads as a formula (a leading apostrophe)."""
    return "'" + text if text.startswith(CSV_FORMULA_STARTS) else text
