"""The audit trail: the history of any record or department, with readable before/after.

The page lives above the apps, not in `kaohe.audit`: every app writes audit rows, so the audit app
sits below accounts, while deciding who reads the trail needs the roles (kaohe/access/audit.py).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaohe.access import audit as audit_access
from kaohe.assessment.actions import audit_trail_export
from kaohe.audit.forms import EventFilterForm
from kaohe.audit.models import AuditEvent
from kaohe.audit.selectors import EventRow, event_rows, filtered_events
from kaohe.core.downloads import XLSX, download
from kaohe.core.paging import page_of
from kaohe.ledger.excel import table_xlsx

PAGE_SIZE = 50
EXPORT_MAX = 50_000  # rows in one workbook: narrow the filters (a date range) for more
EXPORT_COLUMNS = [
    (gettext_lazy("Time"), 18),
    (gettext_lazy("Who"), 16),
    (gettext_lazy("Action"), 22),
    (gettext_lazy("Target"), 14),
    (gettext_lazy("Target id"), 16),
    (gettext_lazy("Year"), 8),
    (gettext_lazy("Department"), 10),
    (gettext_lazy("Changes"), 80),
]


@login_required
def events(request: HttpRequest) -> HttpResponse:
    """The audit trail, newest first, filtered by department, target, action and date."""
    audit_access.require_audit(request.user)
    form = EventFilterForm(request.GET)
    found = filtered_events(form.cleaned_data) if form.is_valid() else AuditEvent.objects.none()
    page, query = page_of(request, found, PAGE_SIZE)
    context = {
        "form": form,
        "page": page,
        "rows": event_rows(page.object_list),
        "query": query,
        "may_export": audit_access.may_export_audit(request.user),
    }
    return render(request, "audit/events.html", context)


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The filtered trail as a workbook (every value written as text), for the audit
    administrator; the export is itself a row of the trail."""
    if not audit_access.may_export_audit(request.user):
        raise PermissionDenied
    form = EventFilterForm(request.GET)
    found = filtered_events(form.cleaned_data) if form.is_valid() else AuditEvent.objects.none()
    events = list(found.select_related("actor")[:EXPORT_MAX])
    table = [_export_row(r) for r in event_rows(events)]
    audit_trail_export(by=request.user, filters=form.cleaned_data or {}, rows=len(table))
    content = table_xlsx(_("Audit trail"), EXPORT_COLUMNS, table)
    name = _("Audit trail %(date)s.xlsx") % {"date": timezone.localdate().isoformat()}
    return download(content, XLSX, name, private=True)


def _export_row(row: EventRow) -> list[object]:
    e = row.event
    who = (e.actor.get_full_name() or e.actor.username) if e.actor else _("system")
    changes = "；".join(f"{c.label}：{c.before or '—'} → {c.after or '—'}" for c in row.changes)
    at = timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S")
    return [at, who, row.action, row.target, e.target_id, e.year or "", e.department_code, changes]
