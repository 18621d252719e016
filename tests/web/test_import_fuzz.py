"""`kaohe import` never fails with a traceback: every bad bundle is a located message, exit 2
(issue 9 §5: counts >= 2**31 on PostgreSQL, a 10,000-character name, reused ballot ids).

Hypothesis changes fields of a small valid bundle to values at and past every column's limits
(the max_length of each text field a bundle fills, NUL characters, integer ranges, decimal
places, ids used twice or already stored) and imports it into this test's database, SQLite or
PostgreSQL: it is imported whole, or refused whole with a located problem for each change.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaohe.assessment.bundle_io import year_import
from kaohe.ballots.models import Ballot
from kaohe.engine import parse_bundle_bytes
from kaohe.engine.problems import InvalidInput
from kaohe.ledger.models import Entry
from kaohe.org.models import Department
from kaohe.years.models import Year

pytestmark = pytest.mark.django_db


def base() -> dict[str, Any]:
    """A small valid bundle with every field the import stores."""
    return {
        "format": "kaohe-bundle/1",
        "year": 2016,
        "scheme": "cz-jxw-2016",
        "departments": [
            {"code": "JS", "name": "技术进步处", "type": "service", "parent": "委机关"},
            {"code": "BG", "name": "办公室", "type": "general"},
        ],
        "entries": [
            {
                "department": "JS",
                "rule": "4.study_absence",
                "period": "H1",
                "count": 2,
                "id": "2016-001",
                "office": "DW",
                "persons": ["钱志刚", "陆晓雯"],
                "description": "缺席2人次",
            },
            {
                "department": "JS",
                "rule": "1.target_unmet",
                "period": "year",
                "amount": "2.5",
                "id": "2016-002",
                "decided_by": "集体评议",
                "meeting": "考核办公室会议",
            },
            {"department": "BG", "rule": "3.info_shortfall", "period": "H2", "actual": 1},
            {
                "department": "JS",
                "rule": "2.paper_national",
                "period": "H1",
                "same_work": "article-1",
                "modifiers": ["short"],
            },
        ],
        "ballots": [
            {
                "id": "d-1",
                "kind": "democratic",
                "round": "H1",
                "group": "中层正职",
                "grades": {"JS": "good", "BG": "excellent"},
            },
            {"id": "d-2", "kind": "democratic", "round": "H1", "grades": {"JS": "fair"}},
        ],
        "adjustments": [
            {
                "id": "adj-1",
                "department": "BG",
                "amount": "-1.5",
                "reason": "党组研究决定",
                "meeting": "党组会议",
            }
        ],
        "vetoes": [{"id": "veto-1", "department": "JS", "reason": "criticised", "note": "通报"}],
        "previous_ranks": {"JS": 2, "BG": 1},
    }


TEXT_FIELDS = [
    ("departments", 0, "code"),
    ("departments", 0, "name"),
    ("departments", 0, "parent"),
    ("entries", 0, "id"),
    ("entries", 0, "description"),
    ("entries", 1, "meeting"),
    ("entries", 3, "same_work"),
    ("ballots", 0, "group"),
    ("ballots", 0, "id"),
    ("adjustments", 0, "reason"),
    ("adjustments", 0, "meeting"),
    ("adjustments", 0, "id"),
    ("vetoes", 0, "note"),
    ("vetoes", 0, "id"),
]
NUMBER_FIELDS = [
    (("entries", 0, "count"), st.integers()),
    (("entries", 2, "actual"), st.integers()),
    (("year",), st.integers()),
    (("previous_ranks", "JS"), st.integers()),
]
LIMITS = [0, 1, 19, 20, 21, 40, 41, 50, 51, 100, 101, 200, 201, 10_000]
BOUNDS = [-1, 0, 1, 999, 1000, 9999, 10_000, 2**15, 2**31 - 1, 2**31, 2**63, 10**30]
texts = st.one_of(
    st.text(st.sampled_from("名A-_ \x00\u202e=\t"), max_size=30),
    st.builds(lambda n, ch: ch * n, st.sampled_from(LIMITS), st.sampled_from("名Aé")),
)
numbers = st.one_of(st.sampled_from(BOUNDS), st.integers(-(2**70), 2**70))
amounts = st.one_of(
    st.integers(0, 8).flatmap(lambda places: st.decimals(-(10**9), 10**9, places=places)).map(str),
    st.sampled_from(["1", "5", "5.0001", "1.23456", "99999999", "100", "100.0001", "-100"]),
)


def _set(doc: dict[str, Any], path: tuple[Any, ...], value: Any) -> None:
    target: Any = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


@st.composite
def changed_bundles(draw: st.DrawFn) -> dict[str, Any]:
    doc = base()
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["text", "person", "number", "amount", "reuse"]))
        if kind == "text":
            _set(doc, draw(st.sampled_from(TEXT_FIELDS)), draw(texts))
        elif kind == "person":
            doc["entries"][0]["persons"][draw(st.integers(0, 1))] = draw(texts)
        elif kind == "number":
            path, _strategy = draw(st.sampled_from(NUMBER_FIELDS))
            _set(doc, path, draw(numbers))
        elif kind == "amount":
            which = draw(st.sampled_from([("entries", 1, "amount"), ("adjustments", 0, "amount")]))
            _set(doc, which, draw(amounts))
        else:
            items = draw(st.sampled_from(["entries", "ballots"]))
            doc[items][1]["id"] = doc[items][0].get("id", "x")
    return doc


def import_whole_or_refuse(doc: dict[str, Any], *, located: bool = True) -> None:
    """Import the bundle into the database and undo it; only InvalidInput may stop it.

    `located`: every problem names where it is (a problem of the top-level object, such as a
    missing "format", has no place other than the whole bundle)."""
    data = json.dumps(doc, ensure_ascii=False).encode("utf-8")
    try:
        with transaction.atomic():
            year_import(by=None, bundle=parse_bundle_bytes(data))
            transaction.set_rollback(True)
    except InvalidInput as exc:
        assert exc.problems and all(str(p) for p in exc.problems)
        if located:
            assert all(p.location for p in exc.problems), [str(p) for p in exc.problems]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(doc=changed_bundles())
def test_any_changed_bundle_is_imported_whole_or_refused_with_located_problems(
    doc: dict[str, Any],
) -> None:
    import_whole_or_refuse(doc)
    assert not Year.objects.exists()


def test_the_base_bundle_imports() -> None:
    year_import(by=None, bundle=parse_bundle_bytes(json.dumps(base()).encode()))
    assert Entry.objects.count() == 4 and Ballot.objects.count() == 2


# --- the probe's three tracebacks, through the command ------------------------------------------


def run_import(tmp_path: Path, doc: dict[str, Any], capsys: Any) -> str:
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        call_command("import", str(path))
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err


def test_a_count_of_2_to_the_31_is_a_located_error(tmp_path: Path, capsys: Any) -> None:
    doc = base()
    doc["entries"][0]["count"] = 2**31
    err = run_import(tmp_path, doc, capsys)
    assert "error: entries[0].count: must be an integer from 1 to 999, got 2147483648" in err
    assert not Year.objects.exists()


def test_a_10000_character_name_is_a_located_error(tmp_path: Path, capsys: Any) -> None:
    doc = base()
    doc["departments"][0]["name"] = "名" * 10_000
    err = run_import(tmp_path, doc, capsys)
    assert "error: departments[0].name: at most 100 characters can be stored, got 10000" in err
    assert not Department.objects.exists()


def test_reused_ballot_ids_are_located_errors(tmp_path: Path, capsys: Any) -> None:
    doc = base()
    doc["ballots"][1]["id"] = "d-1"
    err = run_import(tmp_path, doc, capsys)
    assert "error: ballots[1].id: ballot id 'd-1' is already used by ballots[0]" in err
    # and ids stored by another year
    year_import(by=None, bundle=parse_bundle_bytes(json.dumps(base()).encode()))
    again = copy.deepcopy(base())
    again["year"] = 2017
    err = run_import(tmp_path, again, capsys)
    assert "error: ballots[0].id: ballot id 'd-1' is already stored" in err
    assert Year.objects.count() == 1


def test_a_nul_character_is_a_located_error(tmp_path: Path, capsys: Any) -> None:
    doc = base()
    doc["entries"][0]["description"] = "缺席\x00"
    err = run_import(tmp_path, doc, capsys)
    assert "error: entries[0].description: contains a NUL character" in err


# --- any node of the bundle replaced by any JSON value, or removed; any bytes ----------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**64), 2**64)
    | st.floats(allow_nan=False)
    | st.text(max_size=12)
    | st.sampled_from(["", "JS", "H1", "year", "good", "1.target_unmet", "2.5", "-0"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in the document: each key of an object, each index of a list."""
    found = []
    items = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else []
    )
    for key, child in items:
        found.append((*prefix, key))
        found.extend(paths(child, (*prefix, key)))
    return found


PATHS = paths(base())


@st.composite
def reshaped_bundles(draw: st.DrawFn) -> dict[str, Any]:
    doc = base()
    for path in draw(st.lists(st.sampled_from(PATHS), min_size=1, max_size=3, unique=True)):
        target: Any = doc
        try:
            for key in path[:-1]:
                target = target[key]
            if draw(st.booleans()) and isinstance(target, dict):
                target.pop(path[-1], None)
            else:
                target[path[-1]] = draw(json_values)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed or replaced this place's parent
    return doc


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(doc=reshaped_bundles())
def test_any_reshaped_bundle_is_imported_whole_or_refused_with_located_problems(
    doc: dict[str, Any],
) -> None:
    import_whole_or_refuse(doc, located=False)
    assert not Year.objects.exists() and not Entry.objects.exists()


@settings(max_examples=150)
@given(data=st.data())
def test_any_bytes_are_read_as_a_bundle_or_refused(data: st.DataObject) -> None:
    # given the base bundle's bytes, cut short, with bytes changed or inserted, or any bytes at all
    raw = bytearray(json.dumps(base(), ensure_ascii=False).encode("utf-8"))
    choice = data.draw(st.sampled_from(["cut", "flip", "insert", "any"]))
    if choice == "cut":
        raw = raw[: data.draw(st.integers(0, len(raw)))]
    elif choice == "flip":
        for _ in range(data.draw(st.integers(1, 5))):
            raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    elif choice == "insert":
        at = data.draw(st.integers(0, len(raw)))
        raw[at:at] = data.draw(
            st.sampled_from([b"{", b"]", b'"', b",", b"\\u0000", b"\xff", b"1e999"])
        )
    else:
        raw = bytearray(data.draw(st.binary(max_size=200)))
    # then the engine's reader gives a bundle or refuses it with its problems, nothing else
    try:
        parse_bundle_bytes(bytes(raw))
    except InvalidInput as exc:
        assert exc.problems
