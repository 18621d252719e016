"""The audit trail: the history of any record or department, with readable before/after.

The page lives above the apps, not in `kaohe.audit`: every app writes audit rows, so the audit app
sits below accounts, while deciding who reads the trail needs the roles (kaohe/access/audit.py).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kaohe.access import audit as audit_access
from kaohe.assessment.actions import audit_export_record
from kaohe.audit import exports
from kaohe.audit.forms import EventFilterForm
from kaohe.audit.models import AuditEvent
from kaohe.audit.selectors import event_rows, filtered_events
from kaohe.core.downloads import XLSX, download
from kaohe.core.filenames import set_attachment
from kaohe.core.paging import page_of

PAGE_SIZE = 50
LIMITS = {"xlsx": exports.XLSX_MAX_ROWS, "csv": exports.CSV_MAX_ROWS}


@login_required
def events(request: HttpRequest) -> HttpResponse:
    """The audit trail, newest first, filtered by department, target, action and date."""
    audit_access.require_audit(request.user)
    form = EventFilterForm(
        request.GET, hidden_targets=audit_access.hidden_audit_targets(request.user)
    )
    found = filtered_events(form.cleaned_data) if form.is_valid() else AuditEvent.objects.none()
    found = audit_access.audit_events_for(request.user, found)
    page, query = page_of(request, found, PAGE_SIZE)
    context = {
        "form": form,
        "page": page,
        "rows": event_rows(page.object_list),
        "query": query,
    }
    return render(request, "audit/events.html", context)


@login_required
@require_GET
def export(request: HttpRequest, kind: str) -> HttpResponseBase:
    """The rows the page's filters ask for, oldest first, as a workbook or a CSV (streamed)."""
    audit_access.require_audit_export(request.user)
    form = EventFilterForm(
        request.GET, hidden_targets=audit_access.hidden_audit_targets(request.user)
    )
    back = f"{reverse('audit:events')}?{request.GET.urlencode()}"
    if not form.is_valid():
        messages.error(request, _("The filter is not valid: correct it, then export again."))
        return redirect(back)
    # The rows up to now: the export's own audit row, written next, is not in it.
    last = AuditEvent.objects.aggregate(last=Max("sequence"))["last"] or 0
    found = filtered_events(form.cleaned_data).filter(sequence__lte=last)
    found = audit_access.audit_events_for(request.user, found)
    count = found.count()
    if count > LIMITS[kind]:
        text = _("%(count)s events match; one export holds at most %(limit)s. Narrow the filter.")
        messages.error(request, text % {"count": count, "limit": LIMITS[kind]})
        return redirect(back)
    filters = {k: str(v) for k, v in form.cleaned_data.items() if v}
    audit_export_record(by=request.user, kind=kind, filters=filters, rows=count)
    name = _("audit-trail-%(date)s.%(kind)s") % {"date": timezone.localdate(), "kind": kind}
    header, rows = exports.export_header(), exports.export_rows(found)
    if kind == "xlsx":
        return download(exports.render_xlsx(header, rows), XLSX, name, private=True)
    chunks = (chunk.encode("utf-8") for chunk in exports.csv_chunks(header, rows))
    response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
    set_attachment(response, name)
    response["Cache-Control"] = "no-store"
    return response
