"""Every write to rounds, codes and ballots: one function each, atomic, audited.

Submitting a ballot is the one write that is never audited: nothing may link a code to a ballot.
"""

from __future__ import annotations

import copy
import enum
import hashlib
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from kaohe.access import ballots as ballot_access
from kaohe.access import roles as role_access
from kaohe.audit.actions import audit_record
from kaohe.audit.choices import AuditAction, AuditTarget
from kaohe.ballots import sealing
from kaohe.ballots.codes import code_digest, code_new, code_normalise
from kaohe.ballots.models import Ballot, BallotCode, Round, RoundStatus, VoterGroup
from kaohe.ballots.slip_numbers import (
    MAX_CODES_PER_GROUP,
    MAX_REVOKE_TEXT,
    number_ranges,
    parse_numbers,
)
from kaohe.ballots.tally import close_tally
from kaohe.ballots.validation import grades_problems
from kaohe.constants import Kind, Period
from kaohe.years.models import Year

MAX_GROUPS = 20


class Outcome(enum.Enum):
    """What became of a submitted ballot."""

    ACCEPTED = "accepted"
    ALREADY_SUBMITTED = "already_submitted"
    REFUSED = "refused"  # unknown or revoked code, or a round that is not open


@dataclass(frozen=True)
class IssuedCode:
    """A code in clear, as it exists only while its slip is printed."""

    number: int
    group: str
    code: str


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
    try:
        with transaction.atomic():
            round = Round.objects.create(
                year=year,
                kind=kind,
                period=period,
                status=RoundStatus.OPEN,
                title=title.strip() or default_title,
                opened_at=timezone.now(),
                opened_by=by,
                **frozen,
            )
    except IntegrityError:
        # The constraint is the last word should an opening slip past the lock (round_unique).
        raise ValidationError(_("This round has already been opened.")) from None
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


@sensitive_variables()
@transaction.atomic
def codes_issue(*, by: Any, round: Round, group: VoterGroup | None = None) -> list[IssuedCode]:
    """Make the codes of every group that has none (or of one group, replacing its unused ones).

    The clear codes are returned to be printed and are kept nowhere: only their keyed hashes.
    Issuing a group again is for a lost print run, so it is refused once any of its codes is used.
    """
    if not ballot_access.may_manage_rounds(by):
        raise PermissionDenied
    round = _lock_open(round)
    if group is not None:
        if group.round_id != round.pk:
            raise PermissionDenied
        if group.codes.filter(used=True).exists():
            raise ValidationError(_("A code of this group has been used; it cannot be reissued."))
        targets = [group]
    else:
        targets = list(round.groups.annotate(n=Count("codes")).filter(n=0))
        if not targets:
            raise ValidationError(_("Every group already has its codes."))
    number = (round.codes.aggregate(m=Max("number"))["m"] or 0) + 1
    issued: list[IssuedCode] = []
    summary: dict[str, Any] = {}
    for target in targets:
        replaced = list(
            target.codes.filter(revoked=False).order_by("number").values_list("number", flat=True)
        )
        target.codes.filter(revoked=False).update(revoked=True)
        first = number
        rows = []
        for _i in range(target.size):
            code = code_new()
            issued.append(IssuedCode(number, target.name, code))
            rows.append(
                BallotCode(round=round, group=target, number=number, digest=code_digest(code))
            )
            number += 1
        BallotCode.objects.bulk_create(rows)
        summary[target.name] = {"codes": target.size, "numbers": [first, number - 1]}
        if replaced:
            summary[target.name]["revoked"] = replaced
    _audit(by, AuditAction.ROUND_CODES_ISSUE, round, {"groups": summary})
    return issued


def _revoke(round: Round, numbers: str) -> list[int]:
    """Revoke every slip asked for that is not revoked yet, used or not; refuse unknown numbers.

    A used slip is revoked like any other (its ballot stays counted): the answer must not depend
    on whether a slip has voted, or the form would tell the office who has voted, and when.
    """
    if round.status != RoundStatus.OPEN:
        raise ValidationError(_("The round is closed."), code="closed")
    wanted = sorted(set(parse_numbers(numbers)))
    rows = {c.number: c for c in round.codes.select_for_update().filter(number__in=wanted)}
    unknown = [n for n in wanted if n not in rows]
    if unknown:
        raise ValidationError(
            _("No slip numbered %(numbers)s; no slip was revoked.")
            % {"numbers": number_ranges(unknown)},
            code="unknown",
        )
    fresh = [n for n in wanted if not rows[n].revoked]
    BallotCode.objects.filter(round=round, number__in=fresh).update(revoked=True)
    return fresh


def code_revoke(*, by: Any, round: Round, numbers: str) -> list[int]:
    """Revoke lost slips by number; every attempt is audited, a refused one too (then raised)."""
    if not ballot_access.may_manage_rounds(by):
        raise PermissionDenied
    refusal: ValidationError | None = None
    revoked: list[int] = []
    with transaction.atomic():
        locked = Round.objects.select_for_update().select_related("year").get(pk=round.pk)
        try:
            with transaction.atomic():
                revoked = _revoke(locked, numbers)
        except ValidationError as error:
            refusal = error
        after: dict[str, Any] = {"request": numbers[:MAX_REVOKE_TEXT], "numbers": revoked}
        if refusal is not None:
            after["refused"] = refusal.code
        _audit(by, AuditAction.ROUND_CODES_REVOKE, locked, after)
    if refusal is not None:
        raise refusal
    return revoked


@sensitive_variables()
def code_find(raw: str) -> BallotCode | None:
    """The code row a typed or scanned code stands for, with its round and group; None if none."""
    canonical = code_normalise(raw)
    if canonical is None:
        return None
    return (
        BallotCode.objects.select_related("round__year", "group")
        .filter(digest=code_digest(canonical))
        .first()
    )


def _round_still_open(round_id: int) -> bool:
    """Read the round's status under a shared lock, so that closing waits for this ballot."""
    lock = " FOR SHARE" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT status FROM {Round._meta.db_table} WHERE id = %s{lock}", [round_id])
        row = cursor.fetchone()
    return row is not None and row[0] == RoundStatus.OPEN


def _store_ballot(round_id: int, group: str, grades: Mapping[str, str]) -> None:
    """Insert the ballot: a fresh random id, no time, no code, no user."""
    Ballot.objects.create(round_id=round_id, group=group, grades=dict(grades))


@sensitive_variables()
def ballot_submit(
    *, code: str, grades: Mapping[str, str], found: BallotCode | None = None
) -> Outcome:
    """Use up a code and store its ballot in one transaction; exactly one submission per code wins.

    `grades` maps department codes to grade codes; departments left out are abstentions. Invalid
    grades raise ValidationError before anything is written, so the code stays unused. `found` is
    the code's row when the caller has just looked it up (the transaction re-checks it anyway).
    """
    row = found if found is not None else code_find(code)
    if row is None:
        return Outcome.REFUSED
    if row.used:
        return Outcome.ALREADY_SUBMITTED
    if not ballot_access.code_may_vote(row):
        return Outcome.REFUSED
    problems = grades_problems(row.round, grades)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        if not _round_still_open(row.round_id):
            return Outcome.REFUSED
        # The conditional update is the whole guarantee: one row changes for one submission only.
        won = BallotCode.objects.filter(pk=row.pk, used=False, revoked=False).update(used=True)
        if won != 1:
            used = BallotCode.objects.filter(pk=row.pk, used=True).exists()
            return Outcome.ALREADY_SUBMITTED if used else Outcome.REFUSED
        _store_ballot(row.round_id, row.group.name, grades)
    return Outcome.ACCEPTED


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
    sealing.rows_rewrite(round)
    round.status = RoundStatus.CLOSED
    round.closed_at = timezone.now()
    round.closed_by = by
    round.vacuum_pending = True
    round.save(update_fields=["tally", "status", "closed_at", "closed_by", "vacuum_pending"])
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


# --- import of a year from a bundle (kaohe/assessment/bundle_io.py) -------------------------


@dataclass(frozen=True)
class ImportedBallot:
    """A ballot of an imported bundle: its round, its id, its voter group, its grades."""

    kind: str
    period: str
    id: uuid.UUID
    group: str
    grades: Mapping[str, str]


@transaction.atomic
def rounds_import(*, by: Any, year: Year, ballots: Sequence[ImportedBallot]) -> list[Round]:
    """The closed rounds of an imported year with their ballots, audited once as rounds_import."""
    role_access.require_importer(by)
    rounds: dict[tuple[str, str], Round] = {}
    for b in ballots:
        key = (b.kind, b.period)
        if key not in rounds:
            rounds[key] = Round.objects.create(
                year=year, kind=b.kind, period=b.period, status=RoundStatus.CLOSED
            )
        Ballot.objects.create(id=b.id, round=rounds[key], group=b.group, grades=dict(b.grades))
    audit_record(
        by=by,
        action=AuditAction.ROUNDS_IMPORT,
        target_type=AuditTarget.YEAR,
        target_id=year.year,
        year=year.year,
        after={"rounds": len(rounds), "ballots": len(ballots)},
    )
    return list(rounds.values())
