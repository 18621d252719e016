"""What docs/scheme.md and docs/bundle.md promise, held against the engine."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kaohe.demo import demo_bundle_document
from kaohe.engine import InvalidInput, builtin_scheme, builtin_scheme_ids, compute, parse_bundle
from kaohe.engine import bundle as bundle_module
from kaohe.engine.bundle import parse_bundle_bytes
from kaohe.engine.output import results_document


def _kaohe(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "kaohe.cli", *args], capture_output=True, check=False
    )


def test_the_optional_fields_are_the_documented_ones() -> None:
    # docs/bundle.md lists these as the product's fields; a change here must update the doc
    documented = {
        "DEPARTMENT_KEYS": {"code", "name", "type", "parent"},
        "ENTRY_TEXT": {"id", "office", "description", "decided_by", "meeting"},
        "ENTRY_LISTS": {"persons", "evidence"},
        "BALLOT_KEYS": {"kind", "round", "grades", "id", "group"},
        "ADJUSTMENT_KEYS": {"department", "amount", "reason", "meeting", "id"},
        "VETO_KEYS": {"department", "reason", "note", "id"},
    }
    assert {name: getattr(bundle_module, name) for name in documented} == documented


def test_builtin_scheme_files_are_named_by_their_id() -> None:
    for scheme_id in builtin_scheme_ids():
        assert builtin_scheme(scheme_id).id == scheme_id


def test_a_copied_scheme_with_changed_quota_takes_effect_inline(tmp_path: Path) -> None:
    # given the 2016 scheme copied for 2017 with the general departments' info quota raised to 3
    doc = builtin_scheme("cz-jxw-2016").copy_document(new_id="cz-jxw-2017", year=2017)
    rule = doc["categories"][0]["items"][2]["rules"][0]
    assert rule["id"] == "3.info_shortfall"
    rule["quota"] = {"service": 6, "general": 3}
    path = tmp_path / "cz-jxw-2017.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    # when it is checked, and carried inline by the demo year
    check = _kaohe("scheme", "check", str(path))
    year = demo_bundle_document()
    year["scheme"] = doc
    results = {d["code"]: d for d in results_document(compute(parse_bundle(year)))["departments"]}
    # then it is valid, results name it, and 办公室 (sent 3 and 2) loses 0.2 for H2: 21.6 → 21.4
    assert check.returncode == 0, check.stderr.decode()
    assert check.stdout.decode().endswith("scheme cz-jxw-2017 is valid (48 rules)\n")
    assert results["BG"]["categories"]["business"] == "21.40"
    assert results_document(compute(parse_bundle(year)))["scheme"] == "cz-jxw-2017"


def test_scheme_show_prints_the_rules_in_chinese() -> None:
    proc = _kaohe("scheme", "show")
    text = proc.stdout.decode()
    assert proc.returncode == 0
    assert "每半年定额(业务部门6条、综合部门2条),每少1条扣0.2分" in text
    assert "每项扣1–5分" in text


def test_compute_reports_every_problem_and_exits_2(tmp_path: Path) -> None:
    bad: dict[str, Any] = demo_bundle_document()
    bad["departments"][0]["colour"] = "red"
    bad["vetoes"][0]["reason"] = "late"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out.json"
    proc = _kaohe("compute", str(path), "-o", str(out))
    assert proc.returncode == 2
    assert proc.stdout == b""
    assert not out.exists()
    assert proc.stderr.decode().splitlines() == [
        "error: departments[0]: unknown field 'colour'",
        'error: vetoes[0].reason: must be one of staff_investigated, criticised, act_revoked, dereliction, got "late"',
        "2 error(s); nothing was computed or written.",
    ]


FLOAT_AMOUNTS = """{"format": "kaohe-bundle/1", "year": 2016, "scheme": "cz-jxw-2016",
 "departments": [{"code": "A", "name": "a", "type": "general"}],
 "entries": [{"department": "A", "rule": "1.target_unmet", "period": "year", "amount": 2.5}],
 "adjustments": [{"department": "A", "amount": -1.5, "reason": "党组研究决定"}]}"""


def test_binary_float_amounts_in_bundle_text_are_rejected() -> None:
    with pytest.raises(InvalidInput) as exc:
        parse_bundle_bytes(FLOAT_AMOUNTS)
    assert (
        sorted(p.location for p in exc.value.problems)
        == [
            "adjustments[0].amount",
            "entries[0]",  # the range-amount message has bundle.md's shape: `entries[12]: rule … needs an amount …`
        ]
    )


def test_scheme_check_rejects_a_binary_float_amount(tmp_path: Path) -> None:
    doc = builtin_scheme("cz-jxw-2016").copy_document(new_id="float-test")
    text = json.dumps(doc, ensure_ascii=False).replace('"amount": "0.2"', '"amount": 0.2', 1)
    path = tmp_path / "float.json"
    path.write_text(text, encoding="utf-8")
    assert _kaohe("scheme", "check", str(path)).returncode == 2


def test_the_decisions_errors_of_bundle_md_are_what_kaohe_compute_prints(tmp_path: Path) -> None:
    # given the twelve departments of docs/bundle.md, D05 and D06 tied, and its decisions
    text = Path(__file__).resolve().parents[2].joinpath("docs", "bundle.md").read_text("utf-8")
    block = text.split("$ kaohe compute year.json", 1)[1].split("```", 1)[0].splitlines()
    decisions = json.loads(block[0].split("#", 1)[1].strip().removeprefix('"decisions": '))
    totals = {f"D{i:02d}": str(-i + (i >= 6)) for i in range(1, 13)}
    doc = {
        "format": "kaohe-bundle/1",
        "year": 2016,
        "scheme": "cz-jxw-2016",
        "departments": [{"code": c, "type": "general"} for c in totals],
        "adjustments": [
            {"department": c, "amount": a, "reason": "党组"} for c, a in totals.items()
        ],
        "decisions": decisions,
    }
    path = tmp_path / "year.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    # when computed / then it prints exactly the documented lines
    run = _kaohe("compute", str(path))
    assert run.returncode == 2
    assert run.stderr.decode().splitlines() == [line for line in block[1:] if line]
