"""The targets' workbooks: the compiled table (考核办汇总表), print-ready on A4 landscape, and
reading an import of supervision-system reports."""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from kaohe.core import sheets
from kaohe.core.uploads import workbook_problem

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
MAX_IMPORT_ROWS = 5000


def compiled_xlsx(title: str, columns: Sequence[tuple[str, int]], rows: list[list[Any]]) -> bytes:
    """The compiled table: a title row, bordered cells that wrap, A4 landscape fitted to the
    page width, the header repeated on every printed page."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Targets")
    sheets.append(ws, [title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center")
    sheets.append(ws, [h for h, _w in columns])
    for row in rows:
        sheets.append(ws, row)
    for index, (_h, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    for line in ws.iter_rows(min_row=2, max_row=ws.max_row, max_col=len(columns)):
        for cell in line:
            cell.border = BOX
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if isinstance(cell.value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
            if cell.row == 2:
                cell.font = Font(bold=True)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "2:2"
    ws.print_options.horizontalCentered = True
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class ImportedReport:
    """A row of an import of online reports: department code, target number, period, date."""

    line: int
    department: str
    number: int
    period: str
    reported_on: datetime.date


def read_online_reports(data: bytes) -> tuple[list[ImportedReport], list[str]]:
    """The rows of an online-reports workbook (部门代码, 目标序号, 期次, 申报日期; a header row
    first), or the problems found, each naming its row, in Chinese."""
    if workbook_problem(io.BytesIO(data), max_rows=MAX_IMPORT_ROWS + 1):
        return [], [
            _("The workbook is too large: at most %(n)s rows, no pictures or extra sheets.")
            % {"n": MAX_IMPORT_ROWS}
        ]
    try:
        ws = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception:  # noqa: BLE001 - whatever openpyxl chokes on is "not a workbook"
        return [], [_("The file is not an Excel workbook (.xlsx).")]
    rows, problems = [], []
    for line, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        if line > MAX_IMPORT_ROWS + 1:
            problems.append(_("At most %(n)s rows.") % {"n": MAX_IMPORT_ROWS})
            break
        cells = list(values[:4]) + [None] * (4 - len(values[:4]))
        if all(c in (None, "") for c in cells):
            continue
        code, number, period, when = cells
        if isinstance(when, datetime.datetime):
            when = when.date()
        elif isinstance(when, str):
            try:
                when = datetime.date.fromisoformat(when.strip())
            except ValueError:
                when = None
        if not isinstance(number, int) and not (isinstance(number, str) and number.isdigit()):
            problems.append(
                _("Row %(line)s: the target number is not a whole number.") % {"line": line}
            )
            continue
        if not isinstance(when, datetime.date):
            problems.append(
                _("Row %(line)s: the date is not a date (2016-03-28).") % {"line": line}
            )
            continue
        rows.append(
            ImportedReport(
                line, str(code or "").strip(), int(number), str(period or "").strip(), when
            )
        )
    return rows, problems
