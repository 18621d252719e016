"""The year's live computation, computed once per inputs version and shared by every process.

The database holds the latest computed version of each year (StoredResult); each process keeps
the one it last read, keyed by the stored row's token, so a page after no change costs one query
and no computation. Concurrent recomputations are harmless: the same inputs give the same
result, and a row is only ever replaced by one of a newer version.

The row holds JSON, never a pickle (one who could write to the database would otherwise run code
in every process): the bundle as the engine writes it (`kaohe export`'s document, with the
standing decisions that fit) and the stale decisions as codes and parameters. Another process
reads the bundle with the engine's own reader and settles it again (`kaohe compute`'s path), which
is quicker than unpickling the settlement's Fractions and trails; a row that does not read back
as it should is treated as absent (computed again)."""

from __future__ import annotations

import gc
import json
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db import transaction
from django.db.models import Q, Subquery
from django.db.models.functions import Coalesce

from kaohe.core import memory
from kaohe.core.inputs import EVERY_YEAR
from kaohe.core.models import InputsVersion
from kaohe.engine import Bundle, InvalidInput, Problem, Settlement, settle
from kaohe.engine.bundle import bundle_to_document, parse_bundle_bytes
from kaohe.engine.results import results_document
from kaohe.results.models import StoredResult
from kaohe.results.seal import digest_of
from kaohe.years.models import Year


@dataclass(frozen=True)
class Computed:
    """The year as the engine computed it at one inputs version: the bundle with the standing
    decisions that fit applied, the settlement (with trails) and the decisions left stale."""

    bundle: Bundle
    settlement: Settlement
    stale: tuple[Problem, ...]
    previous_id: int | None  # last year's version whose ranks were used
    previous_broken: bool  # last year's versions failed their seals (no ranks used)

    @cached_property
    def results_document(self) -> dict[str, Any]:
        """The kaohe-results/1 document (once per process and version; read, never change)."""
        return results_document(self.settlement.results)

    @cached_property
    def bundle_document(self) -> dict[str, Any]:
        """The bundle's document (once per process and version; read, never change)."""
        return bundle_to_document(self.bundle)

    @cached_property
    def digest(self) -> str:
        """The bundle document's digest (the proposal's)."""
        return digest_of(self.bundle_document)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic collector off while a year's many objects are built (by the engine, by
    reading a stored row): it would walk them again and again as they are allocated, for nothing (they
    hold no cycles to free). Back as it was afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_memo: dict[int, tuple[uuid.UUID, Computed]] = {}  # year pk → (stored row's token, computed)


def _keep(year: Year, token: uuid.UUID, computed: Computed) -> None:
    """This process's computation of the year from now on; in a server process its documents
    made at once and the whole kept out of the cyclic collector (core.memory)."""
    _memo[year.pk] = (token, computed)
    if memory.FREEZE:
        computed.results_document, computed.bundle_document, computed.digest  # noqa: B018
        memory.settled()


def _version(key: int) -> Coalesce:
    """The current version of these inputs, as a subquery."""
    return Coalesce(Subquery(InputsVersion.objects.filter(key=key).values("version")), 0)


def _versions(year: Year) -> tuple[int, int]:
    """The year's inputs versions: its own, and that of what every year reads."""
    rows = dict(
        InputsVersion.objects.filter(key__in=(year.year, EVERY_YEAR)).values_list("key", "version")
    )
    return rows.get(year.year, 0), rows.get(EVERY_YEAR, 0)


def _current(year: Year) -> tuple[uuid.UUID, int | None, bool] | None:
    """The stored row's token and previous-year key, if it holds the inputs' current versions."""
    return (
        StoredResult.objects.filter(
            year_id=year.pk, version=_version(year.year), shared_version=_version(EVERY_YEAR)
        )
        .values_list("token", "previous_id", "previous_broken")
        .first()
    )


def _problem_document(p: Problem) -> dict[str, Any]:
    """A stale decision as JSON: location, message, code and parameters."""
    return {"location": p.location, "message": p.message, "code": p.code, "params": dict(p.params)}


def _problem(doc: dict[str, Any]) -> Problem:
    """A stale decision read back from its JSON."""
    return Problem(doc["location"], doc["message"], doc["code"], doc["params"])


def _dumps(computed: Computed) -> tuple[bytes, list[dict[str, Any]]] | None:
    """The row's bundle (the engine's canonical JSON) and stale decisions; None if a parameter
    is not plain JSON (nothing stored then: computed again by the next process)."""
    text = json.dumps(computed.bundle_document, ensure_ascii=False, separators=(",", ":"))
    stale = [_problem_document(p) for p in computed.stale]
    try:
        json.dumps(stale)
    except (TypeError, ValueError):
        return None
    return text.encode(), stale


def _loads(
    data: bytes, stale: list[dict[str, Any]]
) -> tuple[Bundle, Settlement, tuple[Problem, ...]] | None:
    """The stored row as the engine's values, through its own reader and computation; None when
    the row does not read as a bundle whose decisions all fit (then it is computed again)."""
    try:
        bundle = parse_bundle_bytes(data)
        problems = tuple(_problem(p) for p in stale)
    except (InvalidInput, KeyError, TypeError, ValueError):
        return None
    settlement = settle(bundle, trail=True)
    if settlement.problems:
        return None
    return bundle, settlement, problems


def _store(
    year: Year, versions: tuple[int, int], computed: Computed, unreadable: uuid.UUID | None = None
) -> None:
    """Keep the computation unless a newer version is stored already (a row that did not read,
    `unreadable`, is replaced whatever its version)."""
    token = uuid.uuid4()
    version, shared = versions
    row = _dumps(computed)
    if row is None:
        _keep(year, token, computed)
        return
    data, stale = row
    fields = {
        "version": version,
        "shared_version": shared,
        "token": token,
        "previous_id": computed.previous_id,
        "previous_broken": computed.previous_broken,
        "data": data,
        "stale": stale,
    }
    with transaction.atomic():
        older = StoredResult.objects.filter(
            Q(version__lt=version, shared_version__lte=shared)
            | Q(version__lte=version, shared_version__lt=shared)
            | Q(token=unreadable),
            year_id=year.pk,
        )
        if not older.update(**fields):
            StoredResult.objects.bulk_create(
                [StoredResult(year_id=year.pk, **fields)], ignore_conflicts=True
            )
    _memo[year.pk] = (token, computed)


def computed(
    year: Year,
    previous_id: int | None,
    previous_broken: bool,
    compute: Callable[[], Computed],
) -> Computed:
    """The year's computation at its current inputs version: this process's, else the stored
    one, else `compute()`'s (then stored). Last year's state (`previous_id`, `previous_broken`,
    checked by the caller on every read) must be the one it was computed with."""
    row = _current(year)
    unreadable = None
    if row is not None and row[1:] == (previous_id, previous_broken):
        token = row[0]
        memo = _memo.get(year.pk)
        if memo is not None and memo[0] == token:
            return memo[1]
        stored = (
            StoredResult.objects.filter(year_id=year.pk, token=token)
            .values_list("data", "stale")
            .first()
        )
        if stored is not None:
            with _collector_paused():
                values = _loads(bytes(stored[0]), stored[1])
            if values is not None:
                result = Computed(*values, previous_id, previous_broken)
                _keep(year, token, result)
                return result
            unreadable = token
    versions = _versions(year)  # read before the inputs: a later change shows as newer
    with _collector_paused():
        result = compute()
    if (result.previous_id, result.previous_broken) == (previous_id, previous_broken):
        _store(year, versions, result, unreadable)
    return result
