"""The audit trail: the history of any record or department, with readable before/after.

The page lives above the apps, not in `kaohe.audit`: every app writes audit rows, so the audit app
sits below accounts, while deciding who reads the trail needs the roles (kaohe/access/audit.py).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kaohe.access import audit as audit_access
from kaohe.audit.forms import EventFilterForm
from kaohe.audit.models import AuditEvent
from kaohe.audit.selectors import event_rows, filtered_events
from kaohe.core.paging import page_of

PAGE_SIZE = 50


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
    }
    return render(request, "audit/events.html", context)
