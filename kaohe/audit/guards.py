"""The audit trail is append-only: database triggers refuse UPDATE and DELETE (kaohe/core/guards.py).

`audit_record` only ever inserts; the triggers make the database itself refuse anything else.
Dropping one breaks the hash chain at the first row changed afterwards (kaohe/audit/chain.py,
`kaohe audit verify`, which also reports missing guards).
"""

from __future__ import annotations

from kaohe.core.guards import PERMIT as PERMIT
from kaohe.core.guards import Guards

TABLE = "audit_auditevent"
GUARDS = Guards(
    tables=(TABLE,), function="kaohe_refuse_audit_change", refusal="the audit trail is append-only"
)
