"""The ledger's forms: they parse and check input; the actions decide and write."""

from __future__ import annotations

from kaohe.ledger.forms.batch import (
    BatchUploadForm,
)
from kaohe.ledger.forms.entry import (
    OUTCOMES,
    DecideForm,
    ObjectionForm,
    ReasonForm,
    ResolveForm,
)
from kaohe.ledger.forms.fields import (
    EVIDENCE_ACCEPT,
    EvidenceField,
    MultipleFileInput,
)
from kaohe.ledger.forms.lists import (
    FilterForm,
)
from kaohe.ledger.forms.record import (
    ACTION_FIELDS,
    RULE_FIELDS,
    EntryForm,
    entry_initial,
    query_initial,
)

__all__ = [
    "ACTION_FIELDS",
    "BatchUploadForm",
    "DecideForm",
    "EVIDENCE_ACCEPT",
    "EntryForm",
    "EvidenceField",
    "FilterForm",
    "MultipleFileInput",
    "OUTCOMES",
    "ObjectionForm",
    "RULE_FIELDS",
    "ReasonForm",
    "ResolveForm",
    "entry_initial",
    "query_initial",
]
