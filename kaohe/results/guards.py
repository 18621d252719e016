"""Published versions, their charts and the published supervision circulars cannot be changed
or deleted: database triggers refuse it (kaohe/core/guards.py).

The models already refuse it (ImmutableModel); the triggers make the database itself refuse, so
that no ORM bypass (`_base_manager`, `QuerySet(Publication).update`, `models.Model.save`) and no
raw SQL can alter a version. What is changed after dropping one is caught by the seal
(kaohe/results/seal.py, `kaohe verify`, which also reports missing guards).
"""

from __future__ import annotations

from kaohe.core.guards import PERMIT as PERMIT
from kaohe.core.guards import Guards
from kaohe.core.guards import permit_held as permit_held

FUNCTION = "kaohe_refuse_published_change"
REFUSAL = "a published version cannot be changed or deleted"
TABLES = ("results_publication", "results_publishedchart")
CIRCULAR_TABLES = ("results_circular",)

# Created by migration 0004 (the function with them) and 0011 (the circulars', sharing it).
PUBLISHED = Guards(tables=TABLES, function=FUNCTION, refusal=REFUSAL)
CIRCULARS = Guards(tables=CIRCULAR_TABLES, function=FUNCTION, refusal=REFUSAL, owns_function=False)
# All of them: what `kaohe verify` checks and what is dropped to test the seal without them.
GUARDS = Guards(tables=TABLES + CIRCULAR_TABLES, function=FUNCTION, refusal=REFUSAL)
