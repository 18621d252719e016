"""The audit trail as a workbook or CSV: one function builds the rows, one renderer per format.

Every value a user typed (a description, a reason, a name, a code) is written as text: the
workbook sets each string cell's type explicitly (kaohe/core/sheets.py), the CSV prefixes a cell
that a spreadsheet would read as a formula with an apostrophe (`csv_text`). The CSV starts with a
UTF-8 byte-order mark so that Excel reads its Chinese, and is streamed row by row.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from kaohe.audit.models import AuditEvent
from kaohe.audit.selectors import action_label, event_changes, target_label
from kaohe.core import sheets

# The most rows one export holds: a workbook is built in memory, a CSV is streamed.
XLSX_MAX_ROWS = 50_000
CSV_MAX_ROWS = 1_000_000
BOM = "\ufeff"


def export_header() -> list[str]:
    """The column names, in Chinese."""
    return [
        _("Sequence"),
        _("Time"),
        _("Login"),
        _("Action"),
        _("Target"),
        _("Target id"),
        _("Year"),
        _("Department code"),
        _("Changes"),
        _("Before (JSON)"),
        _("After (JSON)"),
        _("Previous hash"),
        _("Hash"),
    ]


def export_rows(events: QuerySet[AuditEvent]) -> Iterator[list[Any]]:
    """One row per audit row, oldest first, read a bounded number at a time."""
    zone = timezone.get_current_timezone()
    for e in events.order_by("sequence").iterator(chunk_size=2000):
        yield [
            e.sequence,
            e.at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor_name,
            action_label(e.action),
            target_label(e.target_type),
            e.target_id,
            e.year if e.year is not None else "",
            e.department_code,
            "；".join(f"{c.label}：{c.before or '—'} → {c.after or '—'}" for c in event_changes(e)),
            _json(e.before),
            _json(e.after),
            e.previous_hash,
            e.hash,
        ]


def _json(value: Any) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def render_xlsx(header: list[str], rows: Iterable[list[Any]]) -> bytes:
    """The rows as a workbook (written as it goes: no cell kept in memory), every string text."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Audit trail"))
    ws.freeze_panes = "A2"
    for values in itertools.chain([header], rows):
        ws.append(sheets.write_only_row(ws, values))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_chunks(header: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    """The rows as CSV text, a line at a time, after the byte-order mark."""
    line = io.StringIO()
    writer = csv.writer(line, lineterminator="\r\n")
    yield BOM
    for values in itertools.chain([header], rows):
        writer.writerow([sheets.csv_text(v) if isinstance(v, str) else v for v in values])
        yield line.getvalue()
        line.seek(0)
        line.truncate()
