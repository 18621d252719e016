"""A round's codes: issued in clear once, kept as keyed hashes, revoked, found."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, Max, Model
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from kaohe.access import ballots as ballot_access
from kaohe.audit.choices import AuditAction
from kaohe.ballots import throttle
from kaohe.ballots.actions.rounds import _audit, _lock_open
from kaohe.ballots.models import BallotCode, Round, RoundStatus, VoterGroup
from kaohe.ballots.paper.layout import MAX_GRADES, form_layout, max_departments
from kaohe.ballots.slip_numbers import MAX_REVOKE_TEXT, number_ranges, parse_numbers
from kaohe.core.codes import (
    code_digest,
    code_new,
    code_normalise,
    short_code_digest,
    short_code_new,
    short_code_normalise,
)
from kaohe.years.models import Year

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class IssuedCode:
    """A code in clear, as it exists only while its slip is printed."""

    number: int
    group: str
    code: str
    short: str = ""  # a paper form's short code; none for a slip


def _issue_targets(round: Round, group: VoterGroup | None) -> Sequence[VoterGroup]:
    """The groups to issue codes to: the one named (if none of its codes is used), else every
    group that has none yet."""
    if group is not None:
        if group.round_id != round.pk:
            raise PermissionDenied
        if group.codes.filter(used=True).exists():
            raise ValidationError(_("A code of this group has been used; it cannot be reissued."))
        return [group]
    targets = list(round.groups.annotate(n=Count("codes")).filter(n=0))
    if not targets:
        raise ValidationError(_("Every group already has its codes."))
    return targets


@sensitive_variables()
@transaction.atomic
def codes_issue(
    *, by: Any, round: Round, group: VoterGroup | None = None, paper: bool = False
) -> list[IssuedCode]:
    """Make the codes of every group that has none (or of one group, replacing its unused ones).

    The clear codes are returned to be printed and are kept nowhere: only their keyed hashes.
    Issuing a group again is for a lost print run, so it is refused once any of its codes is used.
    `paper`: printed as paper ballot forms rather than slips (refused if a form cannot hold the
    round's departments); the audit row says which.
    """
    if not ballot_access.may_manage_rounds(by):
        raise PermissionDenied
    round = _lock_open(round)
    if paper:
        _check_paper_fits(round)
    targets = _issue_targets(round, group)
    number = (round.codes.aggregate(m=Max("number"))["m"] or 0) + 1
    taken = _short_digests(round) if paper else set()
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
            short, short_digest = _short_new(round, taken) if paper else ("", None)
            issued.append(IssuedCode(number, target.name, code, short))
            rows.append(
                BallotCode(
                    round=round,
                    group=target,
                    number=number,
                    digest=code_digest(code),
                    short_digest=short_digest,
                )
            )
            number += 1
        BallotCode.objects.bulk_create(rows)
        summary[target.name] = {"codes": target.size, "numbers": [first, number - 1]}
        if replaced:
            summary[target.name]["revoked"] = replaced
    printed = "forms" if paper else "slips"
    _audit(by, AuditAction.ROUND_CODES_ISSUE, round, {"groups": summary, "printed": printed})
    return issued


def _short_digests(round: Round) -> set[str]:
    """The keyed hashes of the round's short codes so far."""
    digests = round.codes.exclude(short_digest=None).values_list("short_digest", flat=True)
    return {d for d in digests if d is not None}


@sensitive_variables()
def _short_new(round: Round, taken: set[str]) -> tuple[str, str]:
    """A fresh short code of the round and its keyed hash, drawn again in the (very rare) case
    that it is already one of the round's; `taken` gets the new hash."""
    while True:
        short = short_code_new()
        digest = short_code_digest(round.pk, short)
        if digest not in taken:
            taken.add(digest)
            return short, digest


def _check_paper_fits(round: Round) -> None:
    """Refuse paper forms for a round whose departments or grades cannot fit one A4 page."""
    try:
        form_layout([d["code"] for d in round.departments], [g["code"] for g in round.grades])
    except ValueError:
        raise ValidationError(
            _("A paper form holds at most %(n)s departments and %(g)s grades; issue slips instead.")
            % {"n": max_departments(), "g": MAX_GRADES}
        ) from None


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


# What the voter's page reads of a code's group, round and year (the rest is deferred: read on
# access, if ever); a round's tally is written at closing only.
_VOTER_COLUMNS: tuple[tuple[type[Model], tuple[str, ...]], ...] = (
    (BallotCode, tuple(f.attname for f in BallotCode._meta.concrete_fields)),
    (VoterGroup, ("id", "name")),
    (Round, tuple(f.attname for f in Round._meta.concrete_fields if f.name != "tally")),
    (Year, ("id", "year")),
)


# The converters of those columns, per connection's backend: what the compiler would apply.
_CONVERTERS: dict[tuple[str, type[Model], tuple[str, ...]], list[tuple[Any, list[Any]]]] = {}


def _converters(model: type[Model], names: Sequence[str]) -> list[tuple[Any, list[Any]]]:
    """Each column's expression and its converters (the backend's, then the field's)."""
    key = (connection.vendor, model, tuple(names))
    if key not in _CONVERTERS:
        fields = {f.attname: f for f in model._meta.concrete_fields}
        cols = [fields[name].get_col(model._meta.db_table) for name in names]
        _CONVERTERS[key] = [
            (col, connection.ops.get_db_converters(col) + col.get_db_converters(connection))
            for col in cols
        ]
    return _CONVERTERS[key]


def _from_row(model: type[M], names: Sequence[str], values: Sequence[Any]) -> M:
    """A model instance from raw columns, converted as the ORM's compiler converts them."""
    converted = []
    for (col, converters), value in zip(_converters(model, names), values, strict=True):
        for convert in converters:
            value = convert(value, col, connection)
        converted.append(value)
    return model.from_db(connection.alias, list(names), converted)


@sensitive_variables()
def voter_code_find(canonical: str) -> tuple[BallotCode | None, bool]:
    """The voter's page: whether a canonical code is throttled, and if not the row it stands for
    (with its group, round and year; None if none), in one statement that costs the same whether
    or not the code exists (a throttled guess must not learn it by the time); raw SQL, as the
    ORM's compiling cost more than the statement."""
    throttled, params = throttle.throttled_sql(canonical)
    q = connection.ops.quote_name
    code, group, round, year = (q(m._meta.db_table) for m, _names in _VOTER_COLUMNS)
    columns = ", ".join(
        f"{alias}.{q(name)}"
        for alias, (_model, names) in zip("cgry", _VOTER_COLUMNS, strict=True)
        for name in names
    )
    sql = (
        f"SELECT {throttled}, {columns} FROM (SELECT 1 AS one) probe"
        f" LEFT JOIN {code} c ON c.{q('digest')} = %s"
        f" LEFT JOIN {group} g ON g.{q('id')} = c.{q('group_id')}"
        f" LEFT JOIN {round} r ON r.{q('id')} = c.{q('round_id')}"
        f" LEFT JOIN {year} y ON y.{q('id')} = r.{q('year_id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, code_digest(canonical)])
        row = cursor.fetchone()
    if row[0] or row[1] is None:
        # a throttled code is refused before anything of its row is read, as an unknown one is
        return None, bool(row[0])
    values = iter(row[1:])
    code_names, group_names, round_names, year_names = (names for _m, names in _VOTER_COLUMNS)
    found = _from_row(BallotCode, code_names, [next(values) for _ in code_names])
    found.group = _from_row(VoterGroup, group_names, [next(values) for _ in group_names])
    found.round = _from_row(Round, round_names, [next(values) for _ in round_names])
    found.round.year = _from_row(Year, year_names, [next(values) for _ in year_names])
    return found, bool(row[0])


@sensitive_variables()
def code_find_in_round(round: Round, raw: str) -> BallotCode | None:
    """The code row a typed full code or paper form's short code stands for, within `round` only
    (for the office's entry pages; the phone page takes the full code only); None if none."""
    row = code_find(raw)
    if row is not None:
        return row if row.round_id == round.pk else None
    short = short_code_normalise(raw)
    if short is None:
        return None
    return (
        BallotCode.objects.select_related("round__year", "group")
        .filter(round=round, short_digest=short_code_digest(round.pk, short))
        .first()
    )
