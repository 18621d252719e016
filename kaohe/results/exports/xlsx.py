"""The results workbook (.xlsx): ranking, categories, entries, evaluation, honors, with formulas.

Rounding. Every leaf cell holds the exact value, not the printed one: entry amounts, adjustments
and category points always have a finite decimal form and are written exactly; an evaluation
mean with no finite form (such as 28/3) is written to 12 decimal places. The formulas then sum
exact values, so each formula's value is the engine's exact figure to within 1e-11, and the
cells' two-place number format shows what the engine prints (rules.md §6: every figure, a total
included, rounded from its exact value). Writing the rounded figures instead would make
"total = content + evaluation + adjustment" sum rounded parts, which can differ by 0.01.
Excel and LibreOffice round for display after reducing a double to 15 significant digits, so a
value exactly halfway (x.xx5) shows rounded up, as the engine rounds it.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from kaohe.constants import Period, flag_names, honor_name, honor_names
from kaohe.core import sheets
from kaohe.core.numbers import to_decimal
from kaohe.core.sheets import Formula
from kaohe.engine.numbers import fmt2
from kaohe.engine.scheme import KINDS
from kaohe.results import words
from kaohe.results.exports.data import ExportData, figure_headers
from kaohe.results.trails import RoundStep, department_trail
from kaohe.years.counters import reference_shown

NUMBER = "0.00"
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
BOLD = Font(bold=True)
# Words the formulas match on (SUMIFS criteria) and the sheet names they refer to: fixed, so
# that the formulas do not depend on the language the workbook is exported in.
ADJUSTMENT = "党组研究加减分"
DEDUCT, BONUS, COUNTED, NOT_COUNTED = "扣分", "加分", "是", "否"


def _header(ws: Worksheet, titles: Sequence[str], widths: Sequence[int]) -> None:
    sheets.append(ws, titles)
    for i, width in enumerate(widths, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font, cell.fill = BOLD, HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "D2"


def _literal(text: str) -> str:
    """A string literal of a formula: a quote in a scheme's name cannot end it early."""
    return '"' + text.replace('"', '""') + '"'


def _numbers(ws: Worksheet, columns: Sequence[int], rows: int) -> None:
    for r in range(2, rows + 2):
        for c in columns:
            ws.cell(row=r, column=c).number_format = NUMBER


def workbook_bytes(data: ExportData, ranking_png: bytes | None = None) -> bytes:
    """The five-sheet workbook of a version, its formulas consistent with the engine's figures."""
    wb = Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = "汇总排名"
    categories = wb.create_sheet("分类得分")
    details = wb.create_sheet("加减分明细")
    evaluation = wb.create_sheet("测评得分")
    honors = wb.create_sheet("荣誉")
    detail_rows = _details(details, data)
    _categories(categories, data, detail_rows)
    _evaluation(evaluation, data)
    _summary(summary, data, detail_rows, ranking_png)
    _honors(honors, data)
    for ws in (categories, details, evaluation, honors):
        sheets.print_a4(ws)  # the summary sets its own: the chart is part of its print area
    wb.calculation.fullCalcOnLoad = True  # no cached values are written: compute on opening
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# Over 40 lines by nature: the sheet laid out column by column, in the order it prints.
def _summary(ws: Worksheet, data: ExportData, last: int, png: bytes | None) -> None:
    n = len(data.results.departments)
    _header(
        ws,
        [
            _("rank"),
            _("code"),
            _("department"),
            *figure_headers(),
            _("vetoed"),
            _("flags"),
            _("last year's rank"),
        ],
        [6, 8, 24, 10, 10, 11, 10, 26, 9, 14, 9],
    )
    for r, d in enumerate(data.results.departments, start=2):
        sheets.append(
            ws,
            [
                d.rank,
                d.code,
                d.name,
                Formula(f"='分类得分'!J{r}"),
                Formula(f"='测评得分'!G{r}"),
                Formula(
                    f"=SUMIFS('加减分明细'!$H$2:$H${last},'加减分明细'!$A$2:$A${last},B{r},"
                    f"'加减分明细'!$D$2:$D${last},\"{ADJUSTMENT}\")"
                ),
                Formula(f"=D{r}+E{r}+F{r}"),
                honor_names(data.honors[d.code]),
                _("yes") if d.vetoed else "",
                flag_names(d.flags),
                d.previous_rank,
            ],
        )
    _numbers(ws, [4, 5, 6, 7], n)
    note = n + 3
    version = _("Version %(n)s, confirmed on %(date)s.")
    sheets.write(ws, note, 1, version % {"n": data.number, "date": data.confirmed_on.isoformat()})
    digest = _("SHA-256 of the inputs: %(digest)s") % {"digest": data.digest}
    sheets.write(ws, note + 1, 1, digest)
    sheets.write(
        ws,
        note + 2,
        1,
        _("Cells hold exact values; figures show 2 places rounded half away from zero from them."),
    )
    last = note + 2
    if png:
        last = _chart(ws, png, note + 4)
    sheets.print_a4(ws, last_row=last)


# The chart's largest size on the page (pixels at 96 dpi): a landscape A4 page inside the
# margins is about 1030 × 700, less the repeated header row; the table's columns are about
# as wide, so fitting to one page wide hardly scales.
CHART_MAX = (960, 600)
ROW_PIXELS = 20  # the default row height, 15 points


def _chart(ws: Worksheet, png: bytes, row: int) -> int:
    """The chart below the table on a page of its own, sized to fit it; its last row."""
    image = Image(io.BytesIO(png))
    scale = min(CHART_MAX[0] / image.width, CHART_MAX[1] / image.height, 1)
    image.width, image.height = image.width * scale, image.height * scale
    ws.add_image(image, f"A{row}")
    ws.row_breaks.append(Break(id=row - 1))  # the chart starts a page and so is never split
    return row + math.ceil(image.height / ROW_PIXELS)


def _categories(ws: Worksheet, data: ExportData, last: int) -> None:
    names = [c.name for c in data.scheme.categories]
    _header(
        ws,
        [_("rank"), _("code"), _("department"), *names, _("content")],
        [6, 8, 24, *[11] * len(names), 11],
    )
    for r, d in enumerate(data.results.departments, start=2):
        cells: list[Any] = [d.rank, d.code, d.name]
        for c in data.scheme.categories:
            points = to_decimal(c.points)
            rng = f"'加减分明细'!$H$2:$H${last}"
            where = (
                f"'加减分明细'!$A$2:$A${last},$B{r},'加减分明细'!$D$2:$D${last},{_literal(c.name)},"
                f"'加减分明细'!$I$2:$I${last},\"{COUNTED}\",'加减分明细'!$G$2:$G${last}"
            )
            cells.append(
                Formula(
                    f'={points}-MIN({points},SUMIFS({rng},{where},"{DEDUCT}"))'
                    f'+SUMIFS({rng},{where},"{BONUS}")'
                )
            )
        cells.append(Formula(f"=SUM(D{r}:{get_column_letter(3 + len(names))}{r})"))
        sheets.append(ws, cells)
    _numbers(ws, range(4, 5 + len(names)), len(data.results.departments))


# Over 40 lines by nature: the sheet laid out column by column, in the order it prints.
def _details(ws: Worksheet, data: ExportData) -> int:
    """Every entry (counted or not) and every adjustment; returns the last row written."""
    _header(
        ws,
        [
            _("code"),
            _("department"),
            _("reference"),
            _("category"),
            _("rule"),
            _("period"),
            _("deduction or bonus"),
            _("amount"),
            _("counted"),
            _("note"),
        ],
        [8, 20, 14, 14, 40, 10, 9, 9, 8, 50],
    )
    row = 1
    for d in data.results.departments:
        trail = department_trail(d, data.bundle)
        for c in trail.categories:
            for e in c.entries:
                description = str(e.entry.extra.get("description", ""))
                sheets.append(
                    ws,
                    [
                        d.code,
                        d.name,
                        e.ref,
                        c.category.name,
                        e.rule.name,
                        words.period_label(e.trail.period),
                        BONUS if e.trail.is_bonus else DEDUCT,
                        to_decimal(e.trail.amount),
                        COUNTED if e.trail.counted else NOT_COUNTED,
                        " ".join(x for x in (words.entry_note(e), description) if x),
                    ],
                )
                row += 1
        for a in d.adjustments:
            sheets.append(
                ws,
                [
                    d.code,
                    d.name,
                    reference_shown(a.id or ""),
                    ADJUSTMENT,
                    a.reason,
                    str(Period.YEAR.label),
                    BONUS if a.amount >= 0 else DEDUCT,
                    to_decimal(a.amount),
                    COUNTED,
                    a.meeting or "",
                ],
            )
            row += 1
    _numbers(ws, [8], row - 1)
    return max(row, 2)


def _round_cell(r: RoundStep) -> str:
    """One round in a cell: period, grades received, points (— for a round without grades)."""
    points = "—" if r.trail.points is None else fmt2(r.trail.points)
    return f"{words.period_label(r.trail.period)}:{words.grades_text(r)}→{points}"


def _evaluation(ws: Worksheet, data: ExportData) -> None:
    kinds = [data.scheme.kinds[k] for k in KINDS]
    _header(
        ws,
        [
            _("rank"),
            _("code"),
            _("department"),
            *(k.name for k in kinds),
            _("evaluation"),
            *(_("%(kind)s: rounds") % {"kind": k.name} for k in kinds),
        ],
        [6, 8, 24, 10, 10, 10, 10, 40, 40, 40],
    )
    for r, d in enumerate(data.results.departments, start=2):
        trail = department_trail(d, data.bundle)
        sheets.append(
            ws,
            [
                d.rank,
                d.code,
                d.name,
                *(to_decimal(d.evaluation[k]) for k in KINDS),
                Formula(f"=SUM(D{r}:F{r})"),
                *(
                    "; ".join(_round_cell(x) for x in k.rounds) if k.rated else _("not rated")
                    for k in trail.kinds
                ),
            ],
        )
    _numbers(ws, [4, 5, 6, 7], len(data.results.departments))


def _honors(ws: Worksheet, data: ExportData) -> None:
    _header(
        ws,
        [_("honor"), _("rank"), _("code"), _("department"), _("total"), _("note")],
        [22, 6, 8, 24, 10, 50],
    )
    rows = {d.code: r for r, d in enumerate(data.results.departments, start=2)}
    decided = {t["honor"]: t for t in data.publication.decisions.get("ties", [])}
    for honor in ("advanced", "recommended", "praised", "progress", "bottom"):
        for d in data.results.departments:
            if honor not in data.honors[d.code]:
                continue
            note = ""
            if honor == "recommended":
                note = _("chosen by the party group")
            elif honor in decided and d.code in decided[honor]["departments"]:
                note = _("boundary tie settled by the party group")
            total = Formula(f"='汇总排名'!G{rows[d.code]}")
            sheets.append(ws, [honor_name(honor), d.rank, d.code, d.name, total, note])
    for d in data.results.departments:
        for v in d.vetoes:
            sheets.append(
                ws,
                [
                    _("one-vote veto"),
                    d.rank,
                    d.code,
                    d.name,
                    Formula(f"='汇总排名'!G{rows[d.code]}"),
                    f"{data.scheme.veto_reasons.get(v.reason, v.reason)}:{v.note or ''}",
                ],
            )
    _numbers(ws, [5], ws.max_row - 1)
    ws.freeze_panes = "A2"
