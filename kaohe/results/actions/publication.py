"""Confirming and publishing a year's results; the seal, charts and publicity objections."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kaohe.access import results as result_access
from kaohe.audit.actions import audit_record
from kaohe.audit.choices import AuditAction, AuditTarget
from kaohe.audit.models import AuditEvent
from kaohe.constants import PublicityAnswer
from kaohe.core.inputs import touch
from kaohe.core.problems import problem_text
from kaohe.engine import Decisions, InvalidInput, Settlement, parse_bundle
from kaohe.engine.bundle import bundle_to_document
from kaohe.engine.results import results_document
from kaohe.org.models import Department
from kaohe.results.choices import pending_texts
from kaohe.results.models import (
    PartyDecisions,
    Publication,
    PublicityObjection,
    PublishedChart,
    PublishedVersionImmutable,
)
from kaohe.results.seal import SealBroken, seal_publication
from kaohe.results.selectors import (
    Proposal,
    confirmation,
    digest_of,
    latest_publication,
    year_proposal,
)
from kaohe.years.models import Year


def _given_problems(
    latest: Publication | None,
    reason: str,
    publicity_start: datetime.date | None,
    publicity_end: datetime.date | None,
) -> list[str]:
    """What is wrong with the confirmation's own fields: a correction's reason, the dates."""
    problems = []
    if latest is not None and not reason.strip():
        problems.append(_("A correction needs its reason."))
    if (publicity_start is None) != (publicity_end is None) or (
        publicity_start and publicity_end and publicity_start > publicity_end
    ):
        problems.append(_("Give both dates of the publicity period, the start not after the end."))
    return problems


# Over 40 lines: every check of the confirmation, one a line, then the version's fields.
@transaction.atomic
def publication_confirm(
    *,
    by: Any,
    year: Year,
    digest: str,
    decisions: Decisions,
    meeting: str = "",
    reason: str = "",
    notice_number: str = "",
    publicity_start: datetime.date | None = None,
    publicity_end: datetime.date | None = None,
) -> Publication:
    """A party group member confirms the proposal they reviewed; it is published as a new version.

    `digest` is the digest of the proposal the member saw: if anything changed since, nothing
    is published. `decisions` are the party group's (rules.md §5.5): the engine computes the
    honors with them, and they become the year's standing decisions.
    """
    if not result_access.may_confirm_results(by):
        raise PermissionDenied
    # One confirmation at a time per year: the year's row is the lock.
    Year.objects.select_for_update().filter(pk=year.pk).first()
    proposal = year_proposal(year)
    settlement = confirmation(proposal, decisions)
    problems = _confirmation_problems(proposal, digest, settlement)
    latest = proposal.latest
    problems += _given_problems(latest, reason, publicity_start, publicity_end)
    bundle = bundle_to_document(dataclasses.replace(proposal.bundle, decisions=decisions))
    problems += _recomputable(bundle)
    if latest is not None and latest.digest == digest_of(bundle):
        problems.append(_("Nothing differs from version %(n)s.") % {"n": latest.number})
    if problems:
        raise ValidationError(problems)
    publication = Publication(
        year=year,
        number=(latest.number + 1) if latest else 1,
        bundle=bundle,
        digest=digest_of(bundle),
        results=results_document(settlement.results),
        honors={},  # the results hold them (selectors.publication_honors)
        decisions={},  # the bundle holds them
        reason=reason.strip(),
        meeting=meeting.strip(),
        notice_number=notice_number.strip(),
        publicity_start=publicity_start,
        publicity_end=publicity_end,
        confirmed_by=by,
        confirmed_at=timezone.now(),
    )
    seal_publication(publication, previous=latest)
    publication.save()
    _stand_on(year, bundle.get("decisions", {}), publication)
    touch(year.year, next_year=True)  # the standing decisions; next year's last ranks
    audit_record(
        by=by,
        action=AuditAction.PUBLICATION_CONFIRM,
        target_type=AuditTarget.PUBLICATION,
        target_id=publication.pk,
        year=year.year,
        before=None if latest is None else {"version": latest.number, "digest": latest.digest},
        after={
            "version": publication.number,
            "digest": publication.digest,
            "seal": publication.seal,
            "decisions": bundle.get("decisions", {}),
        },
    )
    return publication


def _stand_on(year: Year, document: dict[str, Any], publication: Publication | None) -> None:
    """Make `document` the year's standing decisions (written by confirmation and import)."""
    PartyDecisions.objects.update_or_create(
        year=year,
        defaults={"document": document, "publication": publication, "updated_at": timezone.now()},
    )


def _recomputable(bundle: dict[str, Any]) -> list[str]:
    """Whether anyone can recompute the version: its bundle must be one `kaohe compute` reads."""
    try:
        parse_bundle(bundle)
    except InvalidInput as exc:
        return [
            _("The year's data does not form a valid bundle, so nobody could recompute it: %(p)s")
            % {"p": "；".join(problem_text(p) for p in exc.problems[:5])}
        ]
    return []


def _confirmation_problems(proposal: Proposal, digest: str, settlement: Settlement) -> list[str]:
    problems = [issue.message for issue in proposal.blockers]
    if digest != proposal.digest:
        problems.append(
            _("The data changed after you opened the proposal; review it again before confirming.")
        )
    names = {d.code: d.name for d in proposal.results.departments}
    pending = pending_texts(settlement, names)
    if pending:
        problems.append(_("Settle every boundary tie and the recommended before publishing."))
    return problems + pending


@transaction.atomic
def seal_breach_record(*, by: Any, broken: SealBroken) -> int:
    """Record in the audit that published versions were found altered: once per version and
    problem (the same seals found again add nothing); returns how many rows were written."""
    years = sorted({problem.year for problem in broken.problems})
    list(Year.objects.select_for_update().filter(year__in=years))  # one recorder at a time
    written = 0
    for problem in broken.problems:
        after = problem.audit_values()
        seen = AuditEvent.objects.filter(
            action=AuditAction.SEAL_BREACH_RECORD,
            target_type=AuditTarget.PUBLICATION,
            target_id=str(problem.publication_id),
            **{f"after__{key}": value for key, value in after.items()},
        )
        if not seen.exists():
            with translation.override(settings.LANGUAGE_CODE):  # the trail reads in Chinese
                text = problem.text()
            audit_record(
                by=by,
                action=AuditAction.SEAL_BREACH_RECORD,
                target_type=AuditTarget.PUBLICATION,
                target_id=problem.publication_id,
                year=problem.year,
                after={**after, "text": text},
            )
            written += 1
    return written


@transaction.atomic
def chart_store(*, publication: Publication, name: str, png: bytes) -> PublishedChart:
    """Keep a version's chart, rendered once; an existing chart is never replaced."""
    if PublishedChart.objects.filter(publication=publication, name=name).exists():
        raise PublishedVersionImmutable(f"{publication} {name}: already rendered")
    try:
        with transaction.atomic():
            return PublishedChart.objects.create(publication=publication, name=name, png=png)
    except IntegrityError:  # rendered at the same moment by another request
        raise PublishedVersionImmutable(f"{publication} {name}: already rendered") from None


@transaction.atomic
def publicity_objection_raise(
    *, by: Any, publication: Publication, department: Department | None, text: str
) -> PublicityObjection:
    """Someone with a role objects to a published version during its publicity period."""
    today = timezone.localdate()
    if not result_access.may_raise_publicity_objection(by, publication, today):
        raise PermissionDenied
    if publication != latest_publication(publication.year):
        raise ValidationError(_("Objections are raised against the current version only."))
    if not text.strip():
        raise ValidationError({"text": [_("Write the objection.")]})
    objection = PublicityObjection.objects.create(
        publication=publication, department=department, text=text.strip(), raised_by=by
    )
    audit_record(
        by=by,
        action=AuditAction.PUBLICITY_OBJECTION_RAISE,
        target_type=AuditTarget.PUBLICATION,
        target_id=publication.pk,
        year=publication.year.year,
        department_code=department.code if department else "",
        after={"version": publication.number, "text": objection.text},
    )
    return objection


@transaction.atomic
def publicity_objection_answer(
    *,
    by: Any,
    objection: PublicityObjection,
    status: str,
    answer: str,
    correction: Publication | None = None,
) -> PublicityObjection:
    """The assessment office answers an objection raised in the publicity: a reply, a rejection
    with its reason, or upheld by a correction version published after the one objected to;
    the objector reads the answer on the published page."""
    locked = PublicityObjection.objects.select_for_update().get(pk=objection.pk)
    if not result_access.may_answer_publicity_objection(by, locked):
        raise PermissionDenied
    problems = _answer_problems(locked, status, answer, correction)
    if problems:
        raise ValidationError(problems)
    locked.status, locked.answer = status, answer.strip()
    locked.correction = correction if status == PublicityAnswer.UPHELD else None
    locked.answered_by, locked.answered_at = by, timezone.now()
    locked.save()
    publication = locked.publication
    audit_record(
        by=by,
        action=AuditAction.PUBLICITY_OBJECTION_ANSWER,
        target_type=AuditTarget.PUBLICATION,
        target_id=publication.pk,
        year=publication.year.year,
        department_code=locked.department.code if locked.department else "",
        before={"status": PublicityAnswer.OPEN},
        after={
            "status": status,
            "answer": locked.answer,
            "correction": locked.correction.number if locked.correction else None,
        },
    )
    return locked


ANSWER_MAX = 4000  # characters of an answer


def _answer_problems(
    objection: PublicityObjection, status: str, answer: str, correction: Publication | None
) -> dict[str, list[str]]:
    """What is wrong with an answer: its kind, its words, the correction it names."""
    problems: dict[str, list[str]] = {}
    if status not in PublicityAnswer.values or status == PublicityAnswer.OPEN:
        problems["status"] = [_("Choose how the objection is answered.")]
    if not answer.strip():
        problems["answer"] = [_("Write the answer the objector will read.")]
    elif len(answer.strip()) > ANSWER_MAX:
        problems["answer"] = [_("Keep the answer within %(n)s characters.") % {"n": ANSWER_MAX}]
    if status == PublicityAnswer.UPHELD and (
        correction is None
        or correction.year_id != objection.publication.year_id
        or correction.number <= objection.publication.number
    ):
        problems["correction"] = [
            _(
                "An objection is upheld through a correction version: publish the corrected "
                "results first, then choose that version."
            )
        ]
    return problems
