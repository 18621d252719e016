"""Each published version carries a seal over its whole canonical record, chained per year, as
docs/verify.md defines it; the notice and the score sheets print it."""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from kaohe.audit.models import AuditEvent
from kaohe.results import seal
from kaohe.results.models import Publication
from kaohe.results.seal import GENESIS, SEAL_V1, RecordFormat, seal_of
from tests.web.conftest import World
from tests.web.seal_support import corrected_world, published_world

pytestmark = pytest.mark.django_db


def _by_hand(p: Publication) -> str:
    """The seal recomputed as docs/verify.md tells a reader to, from the row's values."""
    confirmed = p.confirmed_at.astimezone(datetime.UTC)
    record = {
        "seal_format": "kaohe-seal/1",
        "year": p.year.year,
        "number": p.number,
        "bundle": p.bundle,
        "digest": p.digest,
        "results": p.results,
        "honors": p.honors,
        "decisions": p.decisions,
        "reason": p.reason,
        "meeting": p.meeting,
        "notice_number": p.notice_number,
        "publicity_start": p.publicity_start.isoformat() if p.publicity_start else None,
        "publicity_end": p.publicity_end.isoformat() if p.publicity_end else None,
        "confirmed_by": p.confirmed_by.username,
        "confirmed_at": confirmed.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "previous_seal": p.previous_seal,
    }
    text = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_a_version_is_sealed_over_its_whole_record(world: World) -> None:
    # given a version with every field of the record filled in
    day = datetime.date(2017, 1, 20)
    published_world(
        world, notice_number="常经信党〔2017〕3号", publicity_start=day, publicity_end=day
    )
    # when it is read back from the database
    p = Publication.objects.select_related("year", "confirmed_by").get()
    # then its seal is the SHA-256 of the documented record, the first link the starting value
    assert p.seal == _by_hand(p) and re.fullmatch(r"[0-9a-f]{64}", p.seal)
    assert p.previous_seal == GENESIS == "0" * 64
    # the confirmation's audit row keeps the seal too
    assert AuditEvent.objects.get(action="publication_confirm").after["seal"] == p.seal


def test_each_correction_is_sealed_after_the_version_before(world: World) -> None:
    first, second = corrected_world(world)
    assert second.previous_seal == first.seal != second.seal
    assert Publication.objects.get(pk=second.pk).seal == _by_hand(second)


def test_every_column_of_a_version_is_sealed_or_excluded() -> None:
    # a column added later must be put in the record or listed as excluded, never left out
    assert SEAL_V1.unlisted(Publication) == set()


def test_a_column_neither_sealed_nor_excluded_stops_publication(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    sealed = {k: v for k, v in SEAL_V1.sealed.items() if k != "meeting"}
    monkeypatch.setattr(seal, "CURRENT", RecordFormat("kaohe-seal/1", sealed, SEAL_V1.excluded))
    with pytest.raises(ImproperlyConfigured, match="meeting"):
        published_world(world)
    assert not Publication.objects.exists()


@pytest.mark.parametrize("column", sorted(set(SEAL_V1.sealed) - {"seal_format"}))
def test_every_sealed_column_changes_the_seal(world: World, column: str) -> None:
    p = Publication.objects.select_related("year", "confirmed_by").get(pk=published_world(world).pk)
    changed: dict[str, Any] = {
        "year": type(p.year)(year=2099),
        "number": 7,
        "confirmed_by": world.office,
        "confirmed_at": p.confirmed_at + datetime.timedelta(microseconds=1),
        "publicity_start": datetime.date(2017, 2, 1),
        "publicity_end": datetime.date(2017, 2, 1),
        "bundle": {**p.bundle, "year": 2099},
        "results": {**p.results, "year": 2099},
        "honors": {**p.honors, "JS": []},
        "decisions": {**p.decisions, "recommended": []},
    }
    before = seal_of(p)
    setattr(p, column, changed.get(column, "x" * 8))
    assert seal_of(p) != before
