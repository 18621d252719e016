"""Every problem the engine can give has its Chinese sentence, worded by code and parameters."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kaohe.core.problems import MESSAGES, problem_message, problem_text
from kaohe.engine import InvalidInput, parse_bundle, parse_scheme
from kaohe.engine.problems import CODES, Problem

ENGINE = Path(__file__).resolve().parents[2] / "kaohe" / "engine"


def _codes_written_in_the_engine() -> set[str]:
    """The code of every `.add(location, message, code, …)` and `Problem(…, code, …)` call."""
    found: set[str] = set()
    for path in ENGINE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or len(node.args) < 3:
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            code = node.args[2]
            if name in ("add", "Problem") and isinstance(code, ast.Constant):
                found.add(code.value)
    return found


def test_every_engine_problem_code_has_a_chinese_message() -> None:
    assert sorted(set(CODES) - set(MESSAGES)) == []
    assert sorted(set(MESSAGES) - set(CODES)) == []


def test_every_code_the_engine_writes_is_listed() -> None:
    written = _codes_written_in_the_engine()
    assert len(written) > 60
    assert sorted(written - set(CODES)) == []


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_message_takes_the_parameters_its_code_has(code: str) -> None:
    params = {name: f"<{name}>" for name in CODES[code]}
    text = problem_message(Problem("x", "english", code, params))
    assert text and text != "english"
    assert "%(" not in text


def test_a_bundle_problem_is_worded_in_chinese_with_its_location() -> None:
    doc = {"format": "kaohe-bundle/1", "year": 2016, "scheme": "cz-jxw-2016", "departments": []}
    doc["departments"] = [{"code": "A", "type": "service"}]
    doc["entries"] = [{"department": "B", "rule": "11.late_early", "period": "H1", "count": 0}]
    with pytest.raises(InvalidInput) as caught:
        parse_bundle(doc)
    texts = [problem_text(p) for p in caught.value.problems]
    assert texts == [
        '位置 entries[0].department:未知的处室 "B"',
        "位置 entries[0].count:请填写次数(1或以上)。",
    ]


def test_a_scheme_problem_is_worded_by_code_not_by_its_english() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_scheme({"format": "kaohe-scheme/1"})
    problems = caught.value.problems
    assert all(p.code in CODES for p in problems)
    assert "缺少字段“categories”" in [problem_message(p) for p in problems]
