"""The year bundle (docs/bundle.md): one year's data, read and validated, and written back.

    model    the values: Bundle, Department, Entry, Ballot, Adjustment, Veto
    jsondoc  decoding JSON so that floats and repeated keys stay visible
    check    the one check of an entry against its rule, shared with the web
    read     the reader (entries: the entries, items: ballots, adjustments, vetoes)
    fast     the common case, a valid bundle decoded in C
    write    the bundle back as a canonical document

A bundle with any problem is rejected whole: InvalidInput lists every problem found, each with
its JSON location. Nothing is ever ignored silently.
"""

from __future__ import annotations

from kaohe.engine.bundle.check import check_entry
from kaohe.engine.bundle.fast import parse_bundle_bytes
from kaohe.engine.bundle.jsondoc import load_json
from kaohe.engine.bundle.model import (
    ADJUSTMENT_KEYS,
    BALLOT_KEYS,
    BUNDLE_FORMAT,
    DECISION_METHODS,
    DEPARTMENT_KEYS,
    ENTRY_CORE,
    ENTRY_KEYS,
    ENTRY_LISTS,
    ENTRY_TEXT,
    ENTRY_TEXTS,
    VETO_KEYS,
    Adjustment,
    Ballot,
    Bundle,
    Department,
    Entry,
    Veto,
)
from kaohe.engine.bundle.read import parse_bundle
from kaohe.engine.bundle.write import bundle_to_document, entry_to_document

__all__ = [
    "ADJUSTMENT_KEYS",
    "BALLOT_KEYS",
    "BUNDLE_FORMAT",
    "DEPARTMENT_KEYS",
    "VETO_KEYS",
    "DECISION_METHODS",
    "ENTRY_CORE",
    "ENTRY_KEYS",
    "ENTRY_LISTS",
    "ENTRY_TEXT",
    "ENTRY_TEXTS",
    "Adjustment",
    "Ballot",
    "Bundle",
    "Department",
    "Entry",
    "Veto",
    "bundle_to_document",
    "check_entry",
    "entry_to_document",
    "load_json",
    "parse_bundle",
    "parse_bundle_bytes",
]
