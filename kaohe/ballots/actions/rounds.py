"""Opening, closing and vacuuming a round; the export of its ballots."""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.access import ballots as ballot_access
from kaohe.audit.actions import audit_record
from kaohe.audit.choices import AuditAction, AuditTarget
from kaohe.ballots import sealing
from kaohe.ballots.models import Ballot, PaperEntry, PaperScan, Round, RoundStatus, VoterGroup
from kaohe.ballots.slip_numbers import MAX_CODES_PER_GROUP
from kaohe.ballots.tally import close_tally
from kaohe.constants import Kind, Period
from kaohe.core.inputs import touch
from kaohe.years.models import Year

MAX_GROUPS = 20


def _audit(by: Any, action: AuditAction, round: Round, after: dict[str, Any]) -> None:
    audit_record(
        by=by,
        action=action,
        target_type=AuditTarget.ROUND,
        target_id=round.pk,
        year=round.year.year,
        after=after,
    )


def _frozen_settings(year: Year, kind: str) -> dict[str, Any]:
    """What a round keeps of the year's scheme when it opens: departments, grades, options, points."""
    scheme = year.scheme
    evaluation = scheme.document["evaluation"]
    rated = [
        {"code": a.department.code, "name": a.department.name, "type": a.type}
        for a in year.assessed.select_related("department").order_by("department__code")
        if scheme.kinds[kind].rates(a.type)
    ]
    points = next(k["points"] for k in evaluation["kinds"] if k["code"] == kind)
    return {
        "departments": rated,
        "grades": copy.deepcopy(list(evaluation["grades"])),
        "options": copy.deepcopy(dict(evaluation.get("options") or {})),
        "points": dict(points),
    }


def _check_groups(groups: Sequence[tuple[str, int]]) -> None:
    names = [name.strip() for name, _size in groups]
    if not groups or len(groups) > MAX_GROUPS:
        raise ValidationError(_("Give between 1 and %(n)d voter groups.") % {"n": MAX_GROUPS})
    if any(not n or len(n) > 50 for n in names) or len(set(names)) != len(names):
        raise ValidationError(_("Voter groups need distinct names of at most 50 characters."))
    if any(not 1 <= size <= MAX_CODES_PER_GROUP for _name, size in groups):
        raise ValidationError(
            _("Each group gets between 1 and %(n)d codes.") % {"n": MAX_CODES_PER_GROUP}
        )


def _round_create(**fields: Any) -> Round:
    """The round's row; the constraint (round_unique) is the last word should an opening slip
    past the year's lock."""
    try:
        with transaction.atomic():
            return Round.objects.create(**fields)
    except IntegrityError:
        raise ValidationError(_("This round has already been opened.")) from None


# Over 40 lines: six keyword arguments, the year's lock, and the frozen settings in the audit row.
@transaction.atomic
def round_open(
    *,
    by: Any,
    year: Year,
    kind: str,
    period: str,
    title: str = "",
    groups: Sequence[tuple[str, int]],
) -> Round:
    """Open a round the year's scheme lists, freezing its departments, grades, options and points."""
    if not ballot_access.may_manage_rounds(by):
        raise PermissionDenied
    scheme_kind = year.scheme.kinds.get(kind)
    if scheme_kind is None or scheme_kind.round(period) is None:
        raise ValidationError(_("The year's scheme holds no such round."))
    # Openings of one year wait for each other here, so the check below sees any that committed;
    # NO KEY: rows that merely reference the year (entries, rounds) are not held up.
    Year.objects.select_for_update(no_key=True).filter(pk=year.pk).first()
    if Round.objects.filter(year=year, kind=kind, period=period).exists():
        raise ValidationError(_("This round has already been opened."))
    _check_groups(groups)
    frozen = _frozen_settings(year, kind)
    if not frozen["departments"]:
        raise ValidationError(_("No department of the year is rated in this kind."))
    default_title = f"{year.year} {Kind(kind).label} {Period(period).label}"
    round = _round_create(
        year=year,
        kind=kind,
        period=period,
        status=RoundStatus.OPEN,
        title=title.strip() or default_title,
        opened_at=timezone.now(),
        opened_by=by,
        **frozen,
    )
    for order, (name, size) in enumerate(groups):
        VoterGroup.objects.create(round=round, name=name.strip(), size=size, order=order)
    _audit(
        by,
        AuditAction.ROUND_OPEN,
        round,
        {
            "kind": kind,
            "period": period,
            "title": round.title,
            "departments": [d["code"] for d in frozen["departments"]],
            "grades": frozen["grades"],
            "options": frozen["options"],
            "points": frozen["points"],
            "groups": {name.strip(): size for name, size in groups},
        },
    )
    return round


def _lock_open(round: Round) -> Round:
    """The round's row, locked against concurrent submissions; refused unless open."""
    locked = Round.objects.select_for_update().select_related("year").get(pk=round.pk)
    if locked.status != RoundStatus.OPEN:
        raise ValidationError(_("The round is closed."))
    return locked


def _turnout_problems(round: Round) -> list[str]:
    """Per group: ballots must equal used codes, and used codes cannot exceed issued ones."""
    ballots = dict(
        Ballot.objects.filter(round=round)
        .values_list("group")
        .annotate(n=Count("id"))
        .values_list("group", "n")
    )
    problems = []
    groups = round.groups.annotate(
        issued=Count("codes"), used=Count("codes", filter=Q(codes__used=True))
    )
    for g in groups:
        stored = ballots.pop(g.name, 0)
        if stored != g.used or g.used > g.issued:
            problems.append(
                _("Group %(group)s: %(ballots)d ballots, %(used)d codes used, %(issued)d issued.")
                % {"group": g.name, "ballots": stored, "used": g.used, "issued": g.issued}
            )
    for name, n in ballots.items():
        problems.append(
            _("%(n)d ballots of an unknown group %(group)s.") % {"n": n, "group": name or "-"}
        )
    return problems


@transaction.atomic
def round_close(*, by: Any, round: Round) -> Round:
    """Close the round after checking ballots against codes, keep the engine's tally, and seal it.

    Sealing rewrites the round's ballots and codes in this transaction; once it commits, VACUUM
    removes the old row versions (kaohe/ballots/sealing.py).
    """
    if not ballot_access.may_manage_rounds(by):
        raise PermissionDenied
    round = _lock_open(round)
    problems = _turnout_problems(round)
    if problems:
        raise ValidationError(problems)
    rows = list(Ballot.objects.filter(round=round).order_by("id"))
    round.tally = close_tally(round, rows)
    # Paper forms entered once, or disputed and undecided, do not count; their entries go.
    unresolved, _kinds = PaperEntry.objects.filter(round=round).delete()
    scans, _kinds = PaperScan.objects.filter(round=round).delete()  # scans go at closing
    sealing.rows_rewrite(round)
    round.status = RoundStatus.CLOSED
    round.closed_at = timezone.now()
    round.closed_by = by
    round.vacuum_pending = True
    round.save(update_fields=["tally", "status", "closed_at", "closed_by", "vacuum_pending"])
    touch(round.year.year)  # its ballots now count
    _audit(
        by,
        AuditAction.ROUND_CLOSE,
        round,
        {
            "ballots": len(rows),
            "groups": {
                name: g["ballots"] for name, g in (round.tally or {}).get("groups", {}).items()
            },
            "points": {d["code"]: d["points"] for d in (round.tally or {}).get("departments", [])},
            "paper_unresolved": unresolved,
            "scans_deleted": scans,
        },
    )
    transaction.on_commit(lambda: rounds_vacuum(by=by))
    return round


def rounds_vacuum(*, by: Any = None) -> list[int]:
    """Remove the old row versions closings left behind, and say so on the rounds concerned.

    Not atomic: VACUUM cannot run inside a transaction. Called after each closing and by
    `kaohe ballots_vacuum`; it changes no ballot, code or tally, so running it again is harmless,
    and a failure leaves the rounds pending for the next run.
    """
    pending = list(Round.objects.filter(vacuum_pending=True).select_related("year"))
    if not sealing.vacuum():
        return []
    with transaction.atomic():
        for round in pending:
            Round.objects.filter(pk=round.pk).update(vacuum_pending=False)
            _audit(by, AuditAction.ROUND_VACUUM, round, {"database": connection.vendor})
    return [r.pk for r in pending]


@transaction.atomic
def ballots_export_record(
    *, by: Any, round: Round, content: bytes, rows: int, withheld: Mapping[str, int]
) -> str:
    """Record that a closed round's ballots were exported, with the SHA-256 of the file.

    `withheld`: the groups whose ballots the file leaves out (too few), and how many each.
    """
    if not ballot_access.may_manage_rounds(by):
        raise PermissionDenied
    if round.status != RoundStatus.CLOSED:
        raise ValidationError(_("Ballots are exported once the round is closed."))
    digest = hashlib.sha256(content).hexdigest()
    _audit(
        by,
        AuditAction.ROUND_BALLOTS_EXPORT,
        round,
        {"ballots": rows, "withheld": dict(withheld), "sha256": digest},
    )
    return digest
