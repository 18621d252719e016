"""The engine's codes, each written once; the web labels them (kaohe.constants TextChoices)."""

from __future__ import annotations

from enum import StrEnum

KINDS = ("democratic", "style", "leader")
# The unit of rules that name persons (rules.md §8): one name per person-time in a bundle.
PERSON_TIME = "人次"


class RuleKind(StrEnum):
    """How a rule's amount is found (rules.md §3): per occurrence, decided in a range, or
    from a shortfall against a target."""

    EACH = "each"
    RANGE = "range"
    SHORTFALL = "shortfall"


RULE_KINDS = tuple(RuleKind)
# In the order the results list them.
HONORS = ("advanced", "recommended", "praised", "progress", "bottom")
FLAGS = ("tie", "boundary_tie", "tie_settled", *(f"no_grades:{k}" for k in KINDS))
VETO_REASONS = ("staff_investigated", "criticised", "act_revoked", "dereliction")
# A range amount's deciding method: the web's code and the word a bundle writes for it.
DECISION_WORDS = {"collective": "集体评议", "ballot": "无记名投票"}
