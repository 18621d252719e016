"""Every write to rounds, codes and ballots: one function each, atomic, audited.

Submitting a ballot is the one write that is never audited: nothing may link a code to a ballot.
"""

from __future__ import annotations

from kaohe.ballots.actions.codes import (
    IssuedCode,
    code_find,
    code_find_in_round,
    code_revoke,
    codes_issue,
    voter_code_find,
)
from kaohe.ballots.actions.imports import (
    ImportedBallot,
    rounds_import,
)
from kaohe.ballots.actions.paper import (
    EntryOutcome,
    paper_entry_decide,
    paper_entry_record,
)
from kaohe.ballots.actions.rounds import (
    MAX_GROUPS,
    ballots_export_record,
    round_close,
    round_open,
    rounds_vacuum,
)
from kaohe.ballots.actions.scans import (
    ScanSummary,
    scan_decide,
    scan_discard,
    scans_record,
)
from kaohe.ballots.actions.voting import (
    Outcome,
    ballot_submit,
)

__all__ = [
    "EntryOutcome",
    "ImportedBallot",
    "IssuedCode",
    "MAX_GROUPS",
    "Outcome",
    "ScanSummary",
    "ballot_submit",
    "ballots_export_record",
    "code_find",
    "voter_code_find",
    "code_find_in_round",
    "code_revoke",
    "paper_entry_decide",
    "paper_entry_record",
    "codes_issue",
    "round_close",
    "round_open",
    "rounds_import",
    "rounds_vacuum",
    "scan_decide",
    "scan_discard",
    "scans_record",
]
