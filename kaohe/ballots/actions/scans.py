"""Scanned paper forms: counted when read for certain, otherwise kept for a person to decide.

Every ballot goes through `ballot_submit`; these actions audit the office's uploads and decisions
(how many pages, counted, sent to a person), never a code, a slip number or grades.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import cv2
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from kaohe.access import ballots as ballot_access
from kaohe.audit.choices import AuditAction
from kaohe.ballots.actions.codes import code_find_in_round
from kaohe.ballots.actions.rounds import _audit
from kaohe.ballots.actions.voting import Outcome, ballot_submit
from kaohe.ballots.models import BallotCode, PaperScan, Round
from kaohe.ballots.paper.reading import PX_PER_MM, PageReading

SHOWN_PX_PER_MM = 4.0  # the stored page: 840 × 1188 px, enough to read every mark by eye


@dataclass(frozen=True)
class ScanSummary:
    """What an upload came to."""

    pages: int
    counted: int
    to_review: int


def _png(image: Any, scale: float) -> bytes:
    """The page as a small grey PNG, to be shown to the person who decides."""
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    ok, data = cv2.imencode(".png", small)
    assert ok
    return bytes(data)


def _code_row(round: Round, code: str | None) -> tuple[BallotCode | None, str | None]:
    """The code's row when it is a live, unused code of the round, else why not."""
    if code is None:
        return None, None
    row = code_find_in_round(round, code)
    if row is None or row.round_id != round.pk or row.revoked:
        return None, "unknown_code"
    if row.used:
        return row, "used_code"
    return row, None


@sensitive_variables()
def _count_or_keep(round: Round, reading: PageReading, original: Any) -> bool:
    """Submit a page read for certain; keep any other for a person. Whether it was counted."""
    problems = [p.value for p in reading.problems]
    row, refusal = _code_row(round, reading.code)
    if refusal:
        problems.append(refusal)
    if not problems and row is not None and reading.code is not None:
        try:
            outcome = ballot_submit(code=reading.code, grades=reading.grades, found=row)
        except ValidationError:
            problems.append("invalid")  # e.g. more excellent grades than the scheme allows
        else:
            if outcome is Outcome.ACCEPTED:
                return True
            problems.append("used_code")
    page = reading.page if reading.page is not None else original
    scale = (
        SHOWN_PX_PER_MM / PX_PER_MM
        if reading.page is not None
        else min(1.0, 1200 / max(page.shape))
    )
    details = {
        "grades": reading.grades,
        "doubtful": reading.doubtful,
        "problems": problems,
        "read": bool(reading.rows),  # whether the boxes were judged at all
    }
    PaperScan.objects.create(round=round, code=row, image=_png(page, scale), reading=details)
    return False


@transaction.atomic
def scans_record(
    *, by: Any, round: Round, readings: Sequence[tuple[PageReading, Any]]
) -> ScanSummary:
    """Count every page read for certain; keep the others, deskewed, for a person to decide.

    `readings`: each page's reading with the page as uploaded (shown when no marker was found).
    """
    if not ballot_access.may_enter_paper(by, round):
        raise PermissionDenied
    counted = sum(_count_or_keep(round, reading, original) for reading, original in readings)
    summary = ScanSummary(len(readings), counted, len(readings) - counted)
    after = {"pages": summary.pages, "counted": summary.counted, "to_review": summary.to_review}
    _audit(by, AuditAction.PAPER_SCANS_RECORD, round, after)
    return summary


@sensitive_variables()
@transaction.atomic
def scan_decide(*, by: Any, scan: PaperScan, code: str, grades: Mapping[str, str]) -> None:
    """A person decides a kept page from its image: the grades (and the code, if unread)."""
    locked = (
        PaperScan.objects.select_for_update(of=("self",))
        .select_related("round", "code__group")
        .get(pk=scan.pk)
    )
    if not ballot_access.may_enter_paper(by, locked.round):
        raise PermissionDenied
    row = locked.code
    if row is None:
        row, refusal = _code_row(locked.round, code or None)
        if row is None:
            raise ValidationError(_("This code is not a valid code of this round."), code="code")
    outcome = ballot_submit(code=code, grades=grades, found=row)
    if outcome is Outcome.ALREADY_SUBMITTED:
        raise ValidationError(
            _("This code has already cast its ballot (on paper or by phone): set this page aside.")
        )
    if outcome is not Outcome.ACCEPTED:
        raise ValidationError(_("This code is not a valid code of this round."), code="code")
    locked.delete()
    _audit(by, AuditAction.PAPER_SCAN_DECIDE, locked.round, {"outcome": "counted"})


@transaction.atomic
def scan_discard(*, by: Any, scan: PaperScan) -> None:
    """Set a kept page aside without a ballot (a duplicate, a spoilt form, not a form at all)."""
    locked = PaperScan.objects.select_for_update().select_related("round").get(pk=scan.pk)
    if not ballot_access.may_enter_paper(by, locked.round):
        raise PermissionDenied
    locked.delete()
    _audit(by, AuditAction.PAPER_SCAN_DECIDE, locked.round, {"outcome": "set_aside"})
