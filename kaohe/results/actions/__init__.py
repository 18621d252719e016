"""Every write of the results app: one function each, atomic, audited."""

from __future__ import annotations

from kaohe.results.actions.circulars import (
    circular_draft,
    circular_publish,
    circular_update,
)
from kaohe.results.actions.imports import (
    ImportedAdjustment,
    ImportedVeto,
    results_import,
)
from kaohe.results.actions.measures import (
    AMOUNT_PLACES,
    adjustment_record,
    adjustment_remove,
    adjustment_snapshot,
    veto_record,
    veto_remove,
    veto_snapshot,
)
from kaohe.results.actions.publication import (
    chart_store,
    publication_confirm,
    publicity_objection_answer,
    publicity_objection_raise,
    seal_breach_record,
)

__all__ = [
    "AMOUNT_PLACES",
    "ImportedAdjustment",
    "ImportedVeto",
    "adjustment_record",
    "adjustment_remove",
    "adjustment_snapshot",
    "chart_store",
    "circular_draft",
    "circular_publish",
    "circular_update",
    "publication_confirm",
    "publicity_objection_answer",
    "publicity_objection_raise",
    "results_import",
    "seal_breach_record",
    "veto_record",
    "veto_remove",
    "veto_snapshot",
]
