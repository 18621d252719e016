"""The half-year supervision circular (督查通报): drafted, edited and published by the
assessment office; once published it is stored as printed and never changes."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.access import results as result_access
from kaohe.audit.actions import audit_record
from kaohe.audit.choices import AuditAction, AuditTarget
from kaohe.results.circular import (
    circular_content,
    circular_title,
    default_conclusion,
    default_preface,
    number_problems,
)
from kaohe.results.models import Circular, CircularDraft, CircularHalf
from kaohe.years.models import Year

MAX_TEXT = 5000  # characters of a preface or a conclusion: a few paragraphs of a page


def circular_snapshot(c: CircularDraft | Circular) -> dict[str, Any]:
    """The circular's words as the audit trail keeps them."""
    return {
        "half": c.half,
        "number": c.number,
        "date": c.date.isoformat(),
        "preface": c.preface,
        "conclusion": c.conclusion,
    }


def _check(year: Year, half: str, number: str, date: datetime.date, texts: dict[str, str]) -> None:
    problems: dict[str, list[str]] = {}
    if half not in CircularHalf.values:
        problems["half"] = [_("Choose the first or the second half-year.")]
    if number_problems(number, date):
        problems["number"] = number_problems(number, date)
    elif Circular.objects.filter(number=number.strip()).exists():
        problems["number"] = [_("A published circular already has this document number.")]
    if half in CircularHalf.values and date < _half_start(year, half):
        problems["date"] = [_("A half-year's circular is issued after the half-year has begun.")]
    for field, text in texts.items():
        if not text.strip():
            problems[field] = [_("This text cannot be empty.")]
        elif len(text) > MAX_TEXT:
            problems[field] = [_("At most %(n)s characters.") % {"n": MAX_TEXT}]
    if problems:
        raise ValidationError(problems)


def _half_start(year: Year, half: str) -> datetime.date:
    return datetime.date(year.year, 1 if half == CircularHalf.H1 else 7, 1)


def _published(year: Year, half: str) -> None:
    if Circular.objects.filter(year=year, half=half).exists():
        raise ValidationError(
            _("The circular of this half-year is published; a published circular cannot change.")
        )


@transaction.atomic
def circular_draft(
    *, by: Any, year: Year, half: str, number: str, date: datetime.date
) -> CircularDraft:
    """The assessment office starts a half-year's circular, with the default preface and
    conclusion to edit; one draft per half-year, none once it is published."""
    if not result_access.may_draft_circular(by):
        raise PermissionDenied
    preface, conclusion = default_preface(year.year, half), default_conclusion()
    _check(year, half, number, date, {})
    _published(year, half)
    if CircularDraft.objects.filter(year=year, half=half).exists():
        raise ValidationError(_("This half-year's circular is already being drafted."))
    draft = CircularDraft.objects.create(
        year=year,
        half=half,
        number=number.strip(),
        date=date,
        preface=preface,
        conclusion=conclusion,
        updated_by=by,
    )
    audit_record(
        by=by,
        action=AuditAction.CIRCULAR_DRAFT,
        target_type=AuditTarget.CIRCULAR,
        target_id=f"{year.year}-{half}",
        year=year.year,
        after=circular_snapshot(draft),
    )
    return draft


@transaction.atomic
def circular_update(
    *,
    by: Any,
    draft: CircularDraft,
    number: str,
    date: datetime.date,
    preface: str,
    conclusion: str,
) -> CircularDraft:
    """The assessment office edits a draft's number, date, preface and conclusion."""
    if not result_access.may_draft_circular(by):
        raise PermissionDenied
    draft = CircularDraft.objects.select_for_update().select_related("year").get(pk=draft.pk)
    _check(draft.year, draft.half, number, date, {"preface": preface, "conclusion": conclusion})
    before = circular_snapshot(draft)
    draft.number, draft.date = number.strip(), date
    draft.preface, draft.conclusion = preface.strip(), conclusion.strip()
    draft.updated_by, draft.updated_at = by, timezone.now()
    draft.save()
    audit_record(
        by=by,
        action=AuditAction.CIRCULAR_UPDATE,
        target_type=AuditTarget.CIRCULAR,
        target_id=f"{draft.year.year}-{draft.half}",
        year=draft.year.year,
        before=before,
        after=circular_snapshot(draft),
    )
    return draft


@transaction.atomic
def circular_publish(*, by: Any, draft: CircularDraft) -> Circular:
    """The assessment office publishes a draft: the content is computed once more, as of the
    date of issue, and stored with the words as printed; the draft is gone, the circular stays."""
    if not result_access.may_draft_circular(by):
        raise PermissionDenied
    draft = CircularDraft.objects.select_for_update().select_related("year").get(pk=draft.pk)
    year = draft.year
    _check(year, draft.half, draft.number, draft.date, {})
    _published(year, draft.half)
    circular = Circular.objects.create(
        year=year,
        half=draft.half,
        number=draft.number,
        date=draft.date,
        title=circular_title(year.year, draft.half),
        preface=draft.preface,
        conclusion=draft.conclusion,
        content=circular_content(year, draft.half, draft.date),
        published_by=by,
    )
    draft.delete()
    audit_record(
        by=by,
        action=AuditAction.CIRCULAR_PUBLISH,
        target_type=AuditTarget.CIRCULAR,
        target_id=f"{year.year}-{circular.half}",
        year=year.year,
        after={**circular_snapshot(circular), "digest": circular.content["digest"]},
    )
    return circular
