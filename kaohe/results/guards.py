"""Published versions and their charts cannot be changed or deleted: database triggers refuse it
(kaohe/core/guards.py).

The models already refuse it (ImmutableModel); the triggers make the database itself refuse, so
that no ORM bypass (`_base_manager`, `QuerySet(Publication).update`, `models.Model.save`) and no
raw SQL can alter a version. What is changed after dropping one is caught by the seal
(kaohe/results/seal.py, `kaohe verify`, which also reports missing guards).
"""

from __future__ import annotations

from kaohe.core.guards import PERMIT as PERMIT
from kaohe.core.guards import Guards
from kaohe.core.guards import permit_held as permit_held

TABLES = ("results_publication", "results_publishedchart")
GUARDS = Guards(
    tables=TABLES,
    function="kaohe_refuse_published_change",
    refusal="a published version cannot be changed or deleted",
)
