"""Every write of the years app alone: the scheme library, a department's self-assessment, an
imported year's row; one function each, atomic, audited (what combines the apps, creating a year
and choosing its departments, is in kaohe/assessment/actions.py)."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.access import roles as role_access
from kaohe.access import years as year_access
from kaohe.audit.actions import audit_record
from kaohe.audit.choices import AuditAction, AuditTarget
from kaohe.core.problems import problem_text
from kaohe.db import refused_as
from kaohe.engine import builtin_scheme, builtin_scheme_ids, parse_scheme
from kaohe.engine.problems import InvalidInput
from kaohe.org.models import Department
from kaohe.years.deadlines import year_deadlines
from kaohe.years.models import (
    Deadline,
    SchemeDocument,
    SelfAssessment,
    SelfAssessmentRevision,
    Step,
    Year,
    YearDepartment,
)
from kaohe.years.self_assessment import HEAD_MAX, check_lines

# Where a new year's scheme comes from: "builtin:<id>", "library:<id>" or "year:<year>".
SOURCE_KINDS = ("builtin", "library", "year")


def scheme_source_document(source: str) -> tuple[str, dict[str, Any]]:
    """The scheme id and a deep copy of the document a source names; ValidationError if none."""
    kind, _sep, ref = source.partition(":")
    found: dict[str, Any] | None = None
    if kind == "builtin" and ref in builtin_scheme_ids():
        found = dict(builtin_scheme(ref).document)
    elif kind == "library":
        doc = SchemeDocument.objects.filter(scheme_id=ref).first()
        found = None if doc is None else doc.document
    elif kind == "year" and ref.isdigit():
        year = Year.objects.filter(year=int(ref)).first()
        found = None if year is None else year.scheme_document
    if found is None:
        raise ValidationError({"source": [_("Choose a scheme from the list.")]})
    document = copy.deepcopy(found)
    return str(document.get("id", "")), document


def _scheme_summary(document: SchemeDocument) -> dict[str, Any]:
    return {"scheme_id": document.scheme_id, "name": document.name}


@transaction.atomic
def schemes_builtin_store(*, by: Any) -> list[SchemeDocument]:
    """Store each shipped scheme not yet in the library as a scheme document, audited; the
    command line's (`kaohe demo`)."""
    role_access.require_importer(by)
    stored = []
    for scheme_id in builtin_scheme_ids():
        scheme = builtin_scheme(scheme_id)
        document, created = SchemeDocument.objects.get_or_create(
            scheme_id=scheme_id, defaults={"name": scheme.name, "document": dict(scheme.document)}
        )
        if created:
            audit_record(
                by=by,
                action=AuditAction.SCHEMES_BUILTIN_STORE,
                target_type=AuditTarget.SCHEME,
                target_id=scheme_id,
                after=_scheme_summary(document),
            )
            stored.append(document)
    return stored


@transaction.atomic
def scheme_copy(*, by: Any, source: str, new_id: str, name: str) -> SchemeDocument:
    """Copy a scheme (built-in, from the library or a year's) into the library under a new id."""
    year_access.require_year_management(by)
    problems: dict[str, list[str]] = {}
    exists = {"new_id": [_("A scheme with this id already exists.")]}
    if SchemeDocument.objects.filter(scheme_id=new_id).exists() or new_id in builtin_scheme_ids():
        problems.update(exists)
    try:
        _old_id, document = scheme_source_document(source)
    except ValidationError as exc:
        problems.update(exc.message_dict)
        document = {}
    if problems:
        raise ValidationError(problems)
    document["id"], document["name"] = new_id, name
    with refused_as(exists):  # copied to the same id at the same moment by another request
        created = SchemeDocument.objects.create(
            scheme_id=new_id, name=name, document=document, created_by=by
        )
    audit_record(
        by=by,
        action=AuditAction.SCHEME_COPY,
        target_type=AuditTarget.SCHEME,
        target_id=new_id,
        after={**_scheme_summary(created), "source": source},
    )
    return created


@transaction.atomic
def scheme_update(*, by: Any, scheme: SchemeDocument, document: dict[str, Any]) -> SchemeDocument:
    """Replace a library scheme's document with an edited one the engine accepts: the one write
    of the JSON editor and of the form editor."""
    if not year_access.may_edit_scheme(by, scheme):
        if year_access.may_manage_years(by):
            raise ValidationError(_("A built-in scheme cannot be edited; copy it first."))
        raise PermissionDenied
    if document.get("id") != scheme.scheme_id:
        raise ValidationError(
            _('The scheme\'s "id" must stay %(id)s; copy the scheme to give it a new id.')
            % {"id": scheme.scheme_id}
        )
    try:
        parsed = parse_scheme(document)
    except InvalidInput as exc:
        raise ValidationError([problem_text(p) for p in exc.problems]) from exc
    locked = SchemeDocument.objects.select_for_update().get(pk=scheme.pk)
    before = {**_scheme_summary(locked), "document": locked.document}
    locked.document, locked.name = document, parsed.name
    locked.save(update_fields=["document", "name"])
    audit_record(
        by=by,
        action=AuditAction.SCHEME_UPDATE,
        target_type=AuditTarget.SCHEME,
        target_id=locked.scheme_id,
        before=before,
        after={**_scheme_summary(locked), "document": locked.document},
    )
    return locked


@transaction.atomic
def self_assessment_submit(
    *,
    by: Any,
    year: Year,
    department: Department,
    raw: dict[str, tuple[str, str]],
    filled_on: date | None,
    head_name: str,
) -> SelfAssessmentRevision:
    """The department's head or liaison submits its self-assessment form: a new revision, kept
    beside the earlier ones, becomes the current one (填表日期 and 处室负责人 with it)."""
    if not year_access.may_fill_self_assessment(by, department):
        raise PermissionDenied
    problems = self_assessment_header_problems(filled_on, head_name)
    try:
        lines = check_lines(year.scheme, raw)
    except ValidationError as exc:
        problems.update(exc.message_dict)
    if problems:
        raise ValidationError(problems)
    # Locked, or created: a form submitted at the same moment by the other waits for this one.
    found, created = SelfAssessment.objects.select_for_update().get_or_create(
        year=year, department=department, defaults={"lines": lines, "submitted_by": by}
    )
    before = None if created else {"lines": found.lines}
    now = timezone.now()
    found.lines, found.submitted_by, found.submitted_at = lines, by, now
    found.save()
    revision = SelfAssessmentRevision.objects.create(
        form=found,
        number=found.revisions.count() + 1,
        lines=lines,
        filled_on=filled_on,
        head_name=head_name.strip(),
        submitted_by=by,
        submitted_at=now,
    )
    audit_record(
        by=by,
        action=AuditAction.SELF_ASSESSMENT_SUBMIT,
        target_type=AuditTarget.SELF_ASSESSMENT,
        target_id=found.pk,
        year=year.year,
        department_code=department.code,
        before=before,
        after={
            "revision": revision.number,
            "filled_on": str(filled_on),
            "head_name": revision.head_name,
            "lines": lines,
        },
    )
    return revision


@transaction.atomic
def deadlines_set(*, by: Any, year: Year, dates: dict[str, date | None]) -> dict[str, date]:
    """The assessment office sets the year's deadlines, step by step (a step left out keeps
    its deadline); each must fall between 1 January of the year and 31 December of the next."""
    if not year_access.may_set_deadlines(by):
        raise PermissionDenied
    problems = deadline_problems(year, dates)
    if problems:
        raise ValidationError(problems)
    # The year's row locked: two saves at the same moment run one after the other.
    Year.objects.select_for_update().filter(pk=year.pk).first()
    before = year_deadlines(year)
    for step, due in dates.items():
        if due is not None and due != before[step]:
            Deadline.objects.update_or_create(year=year, step=step, defaults={"due": due})
    after = year_deadlines(year)
    changed = {s: after[s].isoformat() for s in after if after[s] != before[s]}
    if changed:
        audit_record(
            by=by,
            action=AuditAction.DEADLINES_SET,
            target_type=AuditTarget.YEAR,
            target_id=year.year,
            year=year.year,
            before={s: before[s].isoformat() for s in changed},
            after=changed,
        )
    return after


def deadline_problems(year: Year, dates: dict[str, date | None]) -> dict[str, list[str]]:
    """What is wrong with the deadlines given: an unknown step, a missing date, a date outside
    the year and the next (when the year's steps happen)."""
    problems: dict[str, list[str]] = {}
    first, last = date(year.year, 1, 1), date(year.year + 1, 12, 31)
    for step, due in dates.items():
        if step not in Step.values:
            problems.setdefault("__all__", []).append(_("Unknown step: %(step)s.") % {"step": step})
        elif due is None:
            problems[step] = [_("Enter a date.")]
        elif not first <= due <= last:
            problems[step] = [
                _("The deadline must fall between %(first)s and %(last)s.")
                % {"first": first.isoformat(), "last": last.isoformat()}
            ]
    return problems


def self_assessment_header_problems(filled_on: date | None, head_name: str) -> dict[str, list[str]]:
    """What is wrong with the form's 填表日期 and 处室负责人 (nothing when both are given)."""
    problems: dict[str, list[str]] = {}
    if filled_on is None:
        problems["filled_on"] = [_("Enter the date the form was filled in.")]
    elif filled_on > timezone.localdate():
        problems["filled_on"] = [_("The date the form was filled in cannot be in the future.")]
    if not head_name.strip():
        problems["head_name"] = [_("Enter the name of the head of the department.")]
    elif len(head_name.strip()) > HEAD_MAX:
        problems["head_name"] = [_("Keep the name within %(n)s characters.") % {"n": HEAD_MAX}]
    return problems


@transaction.atomic
def year_import_create(
    *,
    by: Any,
    year: int,
    scheme_id: str,
    scheme_document: dict[str, Any],
    assessed: Sequence[tuple[Department, str, int | None]],
) -> Year:
    """An imported year with its frozen scheme and its assessed departments (type, last year's
    rank), as the bundle gives them; audited by year_import (kaohe/assessment/bundle_io.py)."""
    role_access.require_importer(by)
    created = Year.objects.create(
        year=year, scheme_id=scheme_id, scheme_document=scheme_document, created_by=by
    )
    YearDepartment.objects.bulk_create(
        YearDepartment(year=created, department=d, type=t, previous_rank=rank)
        for d, t, rank in assessed
    )
    return created
