"""Every write to the ledger: one function each, atomic, audited."""

from __future__ import annotations

from kaohe.ledger.actions.batch import (
    BatchInvalid,
    BatchRow,
    entries_batch_record,
)
from kaohe.ledger.actions.entries import (
    entry_confirm,
    entry_decide,
    entry_discard,
    entry_propose,
    entry_record,
    entry_return,
    entry_snapshot,
    entry_submit,
    entry_update,
    entry_void,
    evidence_attach,
)
from kaohe.ledger.actions.imports import (
    ImportedEntry,
    entries_import,
)
from kaohe.ledger.actions.objections import (
    objection_raise,
    objection_resolve,
    objection_snapshot,
)
from kaohe.ledger.actions.review import (
    CONFIRM,
    MAX_AT_ONCE,
    RETURN,
    ReviewOutcome,
    entries_review,
)
from kaohe.ledger.actions.votes import (
    ABSTAIN,
    CastOutcome,
    Closing,
    IssuedVoteCode,
    office_member_add,
    office_member_remove,
    range_vote_cast,
    range_vote_close,
    range_vote_open,
    range_votes_vacuum,
    vote_code_find,
)

__all__ = [
    "ABSTAIN",
    "CONFIRM",
    "MAX_AT_ONCE",
    "RETURN",
    "BatchInvalid",
    "BatchRow",
    "CastOutcome",
    "Closing",
    "ImportedEntry",
    "IssuedVoteCode",
    "ReviewOutcome",
    "entries_batch_record",
    "entries_import",
    "entries_review",
    "entry_confirm",
    "entry_decide",
    "entry_discard",
    "entry_propose",
    "entry_record",
    "entry_return",
    "entry_snapshot",
    "entry_submit",
    "entry_update",
    "entry_void",
    "evidence_attach",
    "objection_raise",
    "objection_resolve",
    "objection_snapshot",
    "office_member_add",
    "office_member_remove",
    "range_vote_cast",
    "range_vote_close",
    "range_vote_open",
    "range_votes_vacuum",
    "vote_code_find",
]
