"""Excel files of the ledger: the batch template, reading a filled-in batch, the ledger export."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from kaohe.constants import Period
from kaohe.core import sheets
from kaohe.core.uploads import MAX_WORKBOOK_INFLATED, TOO_MANY_ROWS, workbook_problem
from kaohe.engine.limits import MAX_COUNT
from kaohe.engine.schemetext import rule_amount_text
from kaohe.engine.vocabulary import RuleKind
from kaohe.ledger.actions import BatchRow
from kaohe.ledger.evidence import CheckedFile
from kaohe.ledger.selectors import PERSON_TIME, assessed_departments
from kaohe.years.models import Year

MAX_ROWS = 1000
TEMPLATE_ROWS = 500  # rows of the template that carry the drop-down lists
PERSON_SEPARATORS = "、,\uff0c;\uff1b\n"  # 、 , , ; ; and line breaks
# A person's times after the name: ×2, x2, X2, *2 or ＊2, spaces around the mark allowed.
TIMES_MARK = re.compile(r"\s*[×xX*\uff0a]\s*(\d+)")
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")

# The batch columns: the action's field, the header, the column width.
COLUMNS: Sequence[tuple[str, Any, int]] = (
    ("department", gettext_lazy("Department (name or code)"), 16),
    ("rule_id", gettext_lazy("Rule (item · rule, or rule number)"), 40),
    ("period", gettext_lazy("Period (first half-year/second half-year/whole year)"), 24),
    ("count", gettext_lazy("Count"), 8),
    ("actual", gettext_lazy("Actual count submitted"), 12),
    ("modifier", gettext_lazy("Modifier"), 24),
    ("same_work", gettext_lazy("Same-work key"), 18),
    ("persons", gettext_lazy("Persons involved and times (王小明×2、丁海峰)"), 26),
    ("description", gettext_lazy("Description"), 48),
)


def column_header(field: str) -> str:
    """The batch column a field of the action is read from ('' for the row as a whole)."""
    return next((str(header) for name, header, _w in COLUMNS if name == field), "")


@dataclass(frozen=True)
class RowProblem:
    """A problem of a batch file: the row (0: the whole file), the column, a Chinese message."""

    line: int
    column: str
    message: str


# --- writing -----------------------------------------------------------------------------


def _header(ws: Worksheet, headers: Sequence[str], widths: Sequence[int]) -> None:
    sheets.append(ws, headers)
    for index, width in enumerate(widths, start=1):
        cell = ws.cell(row=1, column=index)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"


def _saved(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def table_xlsx(title: str, columns: Sequence[tuple[Any, int]], rows: Iterable[list[Any]]) -> bytes:
    """A one-sheet workbook: bold frozen header row, set widths, a filter, numbers to 2 places."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title
    _header(ws, [str(h) for h, _w in columns], [w for _h, w in columns])
    for row in rows:
        sheets.append(ws, row)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, Decimal):
                cell.number_format = "0.00"
    ws.auto_filter.ref = ws.dimensions
    sheets.print_a4(ws)
    return _saved(wb)


# The names of the hidden sheet's lists, which the data validations refer to.
LISTS_SHEET = "lists"
LIST_NAMES = ("kaohe_departments", "kaohe_rules", "kaohe_periods", "kaohe_modifiers")


def rule_labels(year: Year) -> dict[str, str]:
    """Each rule's name in the template, "item · rule", by rule id; unique in the scheme (a
    repeated name is told apart by its rule number)."""
    scheme = year.scheme
    labels = {r.id: f"{scheme.items[r.item].title} · {r.name}" for r in scheme.rules.values()}
    seen: dict[str, int] = {}
    for label in labels.values():
        seen[label] = seen.get(label, 0) + 1
    return {rid: f"{label}({rid})" if seen[label] > 1 else label for rid, label in labels.items()}


def batch_template(year: Year, office: str) -> bytes:
    """The batch template for one office: the data sheet with drop-down lists of the office's
    rules, the departments, the periods and the modifiers by their Chinese names (a hidden sheet
    holds the lists), and a reference sheet of the rules."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Entries")
    _header(ws, [str(h) for _n, h, _w in COLUMNS], [w for _n, _h, w in COLUMNS])
    ref = wb.create_sheet(_("Reference sheet"))
    rules = [r for r in year.scheme.rules.values() if office in r.offices]
    departments = assessed_departments(year)
    _reference(ref, year, office, rules, departments)
    labels = rule_labels(year)
    modifiers = list(dict.fromkeys(m.name for r in rules for m in r.modifiers.values()))
    _lists(
        wb,
        [
            [d.name for d in departments],
            [labels[r.id] for r in rules],
            [str(label) for label in Period.labels],
            modifiers,
        ],
    )
    for column, name in zip("ABCF", LIST_NAMES, strict=True):
        dv = DataValidation(type="list", formula1=name, allow_blank=True)
        # A warning, not a stop: a department's code or a rule's number typed instead is read too.
        dv.errorStyle = "warning"
        dv.error = _("Choose a value from the list.")
        ws.add_data_validation(dv)
        dv.add(f"{column}2:{column}{TEMPLATE_ROWS + 1}")
    for column, low in (("D", 1), ("E", 0)):
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1=str(low))
        dv.error = _("Enter a whole number.")
        ws.add_data_validation(dv)
        dv.add(f"{column}2:{column}{TEMPLATE_ROWS + 1}")
    sheets.print_a4(ws, last_row=TEMPLATE_ROWS + 1)
    sheets.print_a4(ref)
    return _saved(wb)


def _lists(wb: Workbook, lists: Sequence[Sequence[str]]) -> None:
    """The hidden sheet of the drop-down lists, one column and one defined name each."""
    hidden = wb.create_sheet(LISTS_SHEET)
    hidden.sheet_state = "hidden"
    for column, (name, values) in enumerate(zip(LIST_NAMES, lists, strict=True), start=1):
        for row, value in enumerate(values or [""], start=1):
            sheets.write(hidden, row, column, value)
        letter = get_column_letter(column)
        ref = f"'{LISTS_SHEET}'!${letter}$1:${letter}${max(len(values), 1)}"
        wb.defined_names[name] = DefinedName(name, attr_text=ref)


def _reference(
    ws: Worksheet, year: Year, office: str, rules: list[Any], departments: list[Any]
) -> None:
    scheme = year.scheme
    headers = [
        _("Rule number"),
        _("Item"),
        _("Rule"),
        _("Amount per unit"),
        _("What to fill in"),
        _("Modifiers"),
        "",
        _("Department code"),
        _("Department"),
    ]
    _header(ws, headers, [24, 22, 40, 30, 16, 36, 3, 12, 18])
    for row, rule in enumerate(rules, start=2):
        sheets.write(ws, row, 1, rule.id)
        sheets.write(ws, row, 2, f"{rule.item}、{scheme.items[rule.item].title}")
        sheets.write(ws, row, 3, rule.name)
        sheets.write(ws, row, 4, rule_amount_text(rule))
        sheets.write(ws, row, 5, _needs(rule))
        # The names exactly as the 折算 column accepts them, one a line.
        names = "\n".join(m.name for m in rule.modifiers.values())
        sheets.write(ws, row, 6, names).alignment = Alignment(wrap_text=True)
    for row, department in enumerate(departments, start=2):
        sheets.write(ws, row, 8, department.code)
        sheets.write(ws, row, 9, department.name)
    note = _(
        "Recording office: %(office)s. One row per entry; rows are saved only after every row is checked."
    )
    sheets.write(ws, len(rules) + 3, 1, note % {"office": scheme.offices[office]})


def _needs(rule: Any) -> str:
    if rule.kind == RuleKind.SHORTFALL:
        return _("Actual count (per half-year)")
    if rule.kind == RuleKind.RANGE:
        return _("Count; the amount is decided by the assessment office")
    return _("Count")


# --- reading -----------------------------------------------------------------------------


def read_batch(checked: CheckedFile, year: Year) -> tuple[list[BatchRow], list[RowProblem]]:
    """The rows of a filled-in template and the problems found reading them (not yet checked
    against the scheme: the action does that)."""
    problem = workbook_problem(checked.upload, max_rows=MAX_ROWS + 1)
    if problem:
        return [], [RowProblem(0, "", _workbook_message(problem))]
    try:
        checked.upload.seek(0)
        wb = load_workbook(checked.upload, read_only=True, data_only=True)
        ws = wb.worksheets[0]
        values = list(ws.iter_rows(max_row=MAX_ROWS + 2, values_only=True))
    except Exception:  # any failure to read an uploaded file is the user's to fix
        return [], [RowProblem(0, "", _("The file could not be read as an Excel workbook."))]
    expected = [str(h) for _n, h, _w in COLUMNS]
    header = [_text(v) for v in (values[0] if values else ())][: len(expected)]
    if header != expected:
        return [], [
            RowProblem(
                1, "", _("The header row is not the template's; download the template again.")
            )
        ]
    if len(values) > MAX_ROWS + 1:
        return [], [RowProblem(0, "", _workbook_message(TOO_MANY_ROWS))]
    rows, problems = [], []
    names = Names.of(year)
    for line, cells in enumerate(values[1:], start=2):
        cells = tuple(cells) + (None,) * (len(COLUMNS) - len(cells))
        if all(_text(c) == "" for c in cells[: len(COLUMNS)]):
            continue
        row, found = _row(line, cells, year, names)
        rows.append(row)
        problems += found
    if not rows and not problems:
        problems.append(RowProblem(0, "", _("The file holds no entries.")))
    return rows, problems


def _workbook_message(problem: str) -> str:
    if problem == TOO_MANY_ROWS:
        return _("At most %(n)s rows at a time.") % {"n": MAX_ROWS}
    return _(
        "The workbook unpacks to more than %(mb)s MB; fill in the template without extra sheets "
        "or pictures."
    ) % {"mb": MAX_WORKBOOK_INFLATED // (1024 * 1024)}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# Over 40 lines: one check per column of the template, each reporting its own cell.
def _row(
    line: int, cells: Sequence[Any], year: Year, names: Names
) -> tuple[BatchRow, list[RowProblem]]:
    values = {name: cells[i] for i, (name, _h, _w) in enumerate(COLUMNS)}
    department = _text(values["department"])
    problems: list[RowProblem] = []

    def whole(field: str, low: int) -> int | None:
        value = values[field]
        if _text(value) == "":
            return None
        number = _whole(value)
        if number is None or number < low:
            problems.append(
                RowProblem(
                    line,
                    column_header(field),
                    _("Enter a whole number of %(low)s or more.") % {"low": low},
                )
            )
        return number

    period = _period(_text(values["period"]))
    if period is None:
        problems.append(
            RowProblem(line, column_header("period"), _("Write 上半年, 下半年 or 全年."))
        )
    rule_text = _text(values["rule_id"])
    rule_id = rule_text if rule_text in year.scheme.rules else names.rules.get(rule_text, rule_text)
    persons, persons_problem = _persons(_text(values["persons"]))
    if persons_problem:
        problems.append(RowProblem(line, column_header("persons"), persons_problem))
    rule = year.scheme.rules.get(rule_id)
    if persons and rule is not None and rule.unit != PERSON_TIME:
        message = _("This rule is not counted per person: leave the persons empty.")
        problems.append(RowProblem(line, column_header("persons"), message))
    row = BatchRow(
        line=line,
        department=names.departments.get(department, department),
        rule_id=rule_id,
        period=period or "",
        count=whole("count", 1),
        actual=whole("actual", 0),
        modifier=_modifier(year, rule_id, _text(values["modifier"])),
        same_work=_text(values["same_work"]),
        persons=persons,
        description=_text(values["description"]),
    )
    return row, problems


@dataclass(frozen=True)
class Names:
    """What the template's cells name, looked up once per file: rules by their label and
    departments by their name (their numbers and codes are read as they are)."""

    rules: dict[str, str]
    departments: dict[str, str]

    @classmethod
    def of(cls, year: Year) -> Names:
        """The year's rules by label and assessed departments by name."""
        rules = {label: rid for rid, label in rule_labels(year).items()}
        return cls(rules, {d.name: d.code for d in assessed_departments(year)})


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = _text(value)
    return int(text) if text.isdigit() else None


def _period(text: str) -> str | None:
    if text == "":
        return None
    by_label = {str(label): code for code, label in Period.choices}
    return text if text in Period.values else by_label.get(text)


def _modifier(year: Year, rule_id: str, text: str) -> str:
    """A modifier by its code or its name in the rule."""
    rule = year.scheme.rules.get(rule_id)
    if rule is None or text in rule.modifiers:
        return text
    return next((m.code for m in rule.modifiers.values() if m.name == text), text)


def _persons(text: str) -> tuple[tuple[str, ...], str]:
    """The persons of the column, a name once per person-time ("王小明×2、丁海峰": 王小明 twice,
    丁海峰 once), and what is wrong with the column ("" if nothing)."""
    text = TIMES_MARK.sub(r"×\1", text)
    for separator in PERSON_SEPARATORS:
        text = text.replace(separator, " ")
    times: dict[str, int] = {}
    for part in text.split():
        name, _mark, count = part.partition("×")
        if not name or (_mark and not count.isdigit()) or not 1 <= int(count or 1) <= MAX_COUNT:
            message = _("Write each person as a name, or a name and ×times: 王小明×2、丁海峰.")
            return (), message
        times[name] = times.get(name, 0) + int(count or 1)
    return tuple(name for name, n in times.items() for _i in range(n)), ""


def action_problems(problems: dict[int, dict[str, list[str]]]) -> list[RowProblem]:
    """The action's problems of each row, as row, column and message."""
    return [
        RowProblem(line, column_header(field), message)
        for line, fields in sorted(problems.items())
        for field, messages in fields.items()
        for message in messages
    ]
