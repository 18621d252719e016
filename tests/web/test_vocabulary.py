"""Each vocabulary is defined once: the engine's codes, labelled by one TextChoices (issue 13 §5)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from django.utils import translation

from kaohe.constants import Flag, Honor, VetoReason, flag_names, honor_names
from kaohe.engine.output import FLAG_NAMES, HONOR_NAMES
from kaohe.engine.vocabulary import DECISION_WORDS, FLAGS, HONORS, RULE_KINDS, VETO_REASONS
from kaohe.ledger.models import DecisionMethod

ROOT = Path(__file__).resolve().parents[2]


def test_the_web_labels_exactly_the_engines_codes_in_its_order() -> None:
    assert tuple(Honor.values) == HONORS
    assert tuple(Flag.values) == FLAGS
    assert tuple(VetoReason.values) == VETO_REASONS
    assert tuple(DecisionMethod.values) == tuple(DECISION_WORDS)
    assert RULE_KINDS == ("each", "range", "shortfall")


def test_the_web_words_honors_and_flags_as_the_engines_cli_does() -> None:
    with translation.override("zh-hans"):
        assert honor_names(HONORS) == "、".join(HONOR_NAMES[h] for h in HONORS)
        assert flag_names(FLAGS) == "、".join(FLAG_NAMES[f] for f in FLAGS)
        assert honor_names(["unknown"]) == "unknown"


def test_a_contract_forbids_the_web_to_import_the_engines_cli_output() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    forbidding = [c for c in contracts if "kaohe.engine.output" in c.get("forbidden_modules", [])]
    assert forbidding and {"kaohe.results", "kaohe.years", "kaohe.ledger"} <= set(
        forbidding[0]["source_modules"]
    )
