"""A batch of entries for one office, recorded all or nothing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kaohe.access import ledger as ledger_access
from kaohe.audit.actions import audit_record
from kaohe.audit.choices import AuditAction, AuditTarget
from kaohe.db import refused_as
from kaohe.ledger.actions.entries import entry_record
from kaohe.ledger.models import Batch, Entry
from kaohe.ledger.validation import counts_persons, field_problems
from kaohe.org.models import Department, Person
from kaohe.years.models import Year


@dataclass(frozen=True)
class BatchRow:
    """One row of a batch file, read but not yet checked; `line` is its row number in the file."""

    line: int
    department: str
    rule_id: str
    period: str
    count: int | None = None
    actual: int | None = None
    modifier: str = ""
    same_work: str = ""
    persons: tuple[str, ...] = ()  # one name per person-time: a name may repeat
    description: str = ""

    @property
    def persons_text(self) -> str:
        """The persons as the pages show them: 王小明 ×2、丁海峰 ×1."""
        times = Counter(self.persons)
        return "、".join(f"{name} ×{n}" for name, n in times.items())


class BatchInvalid(Exception):
    """Rows of a batch that cannot be recorded: line → field → messages. Nothing was saved."""

    def __init__(self, problems: dict[int, dict[str, list[str]]]) -> None:
        super().__init__(problems)
        self.problems = problems


# Over 40 lines: nine keyword arguments, and the batch's own row written before its entries.
@transaction.atomic
def entries_batch_record(
    *,
    by: Any,
    year: Year,
    office: str,
    rows: Sequence[BatchRow],
    batch_id: str,
    file_name: str = "",
    file_sha256: str = "",
    submit: bool = False,
    dry_run: bool = False,
) -> list[Entry]:
    """Record a batch of entries for one office, all or nothing, each through `entry_record`.

    Every row is tried, so that BatchInvalid names every row's problems at once; with `dry_run`
    the rows are checked the same way (rows of the same file included) and then rolled back.
    """
    if office not in ledger_access.record_offices(by, year):
        raise PermissionDenied
    if not rows:
        raise ValidationError(_("The file holds no entries."))
    batch = None
    if not dry_run:
        with refused_as(_("This batch has already been saved.")):  # the same check posted again
            batch = Batch.objects.create(
                id=batch_id,
                year=year,
                office=office,
                file_name=file_name[:255],
                sha256=file_sha256,
                submitted=submit,
                created_by=by,
            )
    entries = _batch_rows(by, year, office, rows, submit)
    if batch is None:
        transaction.set_rollback(True)
        return entries
    batch.entry_count = len(entries)
    batch.save(update_fields=["entry_count"])
    audit_record(
        by=by,
        action=AuditAction.ENTRIES_BATCH_RECORD,
        target_type=AuditTarget.BATCH,
        target_id=batch_id,
        year=year.year,
        after={
            "office": office,
            "file": file_name,
            "sha256": file_sha256,
            "submitted": submit,
            "entries": [e.ref for e in entries],
        },
    )
    return entries


def _batch_rows(
    by: Any, year: Year, office: str, rows: Sequence[BatchRow], submit: bool
) -> list[Entry]:
    """Record every row, each in its own savepoint; BatchInvalid with every row's problems."""
    departments = {d.code: d for d in Department.objects.filter(years__year=year)}
    entries: list[Entry] = []
    problems: dict[int, dict[str, list[str]]] = {}
    for row in rows:
        try:
            with transaction.atomic():
                entries.append(_batch_row(by, year, office, row, departments, submit))
        except ValidationError as error:
            problems[row.line] = _problem_dict(error)
        except PermissionDenied:
            problems[row.line] = {"rule_id": [_("Your office does not record this rule.")]}
    if problems:
        raise BatchInvalid(problems)
    return entries


def _batch_row(
    by: Any,
    year: Year,
    office: str,
    row: BatchRow,
    departments: dict[str, Department],
    submit: bool,
) -> Entry:
    """Record one row; a ValidationError names every problem of the row, each in its field."""
    department = departments.get(row.department)
    staff = {}
    if department is not None:
        staff = {
            p.name: p for p in Person.objects.filter(department=department, name__in=row.persons)
        }
    problems = _row_problems(by, year, office, row, department, staff)
    if problems:
        raise ValidationError(problems)
    assert department is not None  # a row without its department has a problem
    return entry_record(
        by=by,
        year=year,
        department=department,
        rule_id=row.rule_id,
        office=office,
        period=row.period,
        count=row.count,
        actual=row.actual,
        modifier=row.modifier,
        same_work=row.same_work,
        persons=[staff[name] for name in row.persons],
        description=row.description,
        submit=submit,
    )


def _person_count_problem(year: Year, row: BatchRow) -> str:
    """On a person-time rule the count is the persons' times summed: a count typed as well must
    agree ("" when it does, or when there is nothing to compare)."""
    rule = year.scheme.rules.get(row.rule_id)
    if rule is None or not counts_persons(rule) or row.count is None or not row.persons:
        return ""
    if row.count == len(row.persons):
        return ""
    message = _("The count (%(count)s) is not the sum of the persons' times (%(sum)s).")
    return message % {"count": row.count, "sum": len(row.persons)}


def _row_problems(
    by: Any,
    year: Year,
    office: str,
    row: BatchRow,
    department: Department | None,
    staff: dict[str, Person],
) -> dict[str, list[str]]:
    """The row's problems found before recording: an unknown department does not hide the
    rule's or the count's (entry_record then checks what needs the department)."""
    problems: dict[str, list[str]] = {}
    if department is None:
        message = _("No department %(code)s is assessed this year.") % {"code": row.department}
        problems["department"] = [message]
    else:
        unknown = list(dict.fromkeys(name for name in row.persons if name not in staff))
        if unknown:
            message = _("Not on the department's staff: %(names)s.") % {"names": "、".join(unknown)}
            problems["persons"] = [message]
    count_problem = _person_count_problem(year, row)
    if count_problem:
        problems["count"] = [count_problem]
    if row.rule_id in year.scheme.rules and not ledger_access.may_record(
        by, year, row.rule_id, office
    ):
        problems["rule_id"] = [_("Your office does not record this rule.")]
        return problems
    if department is None or problems or row.rule_id not in year.scheme.rules:
        fields = field_problems(
            year=year,
            rule_id=row.rule_id,
            period=row.period,
            count=row.count,
            actual=row.actual,
            modifier=row.modifier,
            same_work=row.same_work,
        )
        for field, messages in fields.items():
            problems.setdefault(field, []).extend(messages)
    return problems


def _problem_dict(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {field: list(messages) for field, messages in error.message_dict.items()}
    return {"__all__": list(error.messages)}
