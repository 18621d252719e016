"""The audit trail: the history of any record or department, with readable before/after."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaohe import access
from kaohe.audit.diff import Change, changes
from kaohe.audit.forms import TARGET_TYPES, EventFilterForm
from kaohe.audit.models import AuditEvent

PAGE_SIZE = 50
ACTION_LABELS = {
    "entry_record": _("Recorded"),
    "entry_update": _("Changed"),
    "entry_submit": _("Submitted"),
    "entry_confirm": _("Confirmed"),
    "entry_return": _("Returned"),
    "entry_decide": _("Amount decided"),
    "entry_void": _("Voided"),
    "entry_correct": _("Corrected after an objection"),
    "evidence_attach": _("Evidence attached"),
    "objection_raise": _("Objection raised"),
    "objection_resolve": _("Objection resolved"),
    "year_import": _("Year imported"),
    "year_create": _("Year created"),
    "year_departments_set": _("Assessed departments set"),
    "scheme_copy": _("Scheme copied"),
    "scheme_update": _("Scheme edited"),
    "department_create": _("Department added"),
    "department_update": _("Department changed"),
    "person_add": _("Person added"),
    "person_set_active": _("Person in post / left"),
    "seal_breach_record": _("Published version found altered"),
    "role_grant": _("Role granted"),
    "role_revoke": _("Role revoked"),
}
FIELD_LABELS = {
    "department": _("department"),
    "rule": _("rule"),
    "office": _("office"),
    "period": _("period"),
    "count": _("count"),
    "amount": _("amount"),
    "actual": _("actual count submitted"),
    "modifier": _("modifier"),
    "same_work": _("same-work key"),
    "description": _("description"),
    "persons": _("persons"),
    "status": _("status"),
    "reason": _("reason"),
    "decision_method": _("decided by"),
    "decision_meeting": _("meeting"),
    "entry": _("record"),
    "resolution": _("resolution"),
    "file": _("file"),
    "name": _("name"),
    "type": _("type"),
    "parent": _("parent unit"),
    "active_from": _("active from year"),
    "active_to": _("active until year"),
    "supervising_leader": _("supervising leader"),
    "head": _("head"),
    "code": _("code"),
    "active": _("in post"),
    "scheme": _("scheme"),
    "scheme_id": _("scheme id"),
    "source": _("copied from"),
    "departments": _("departments"),
    "entries": _("records"),
    "ballots": _("ballots"),
    "version": _("version"),
    "problem": _("problem"),
    "stored": _("stored"),
    "found": _("found"),
    "text": _("what was found"),
    "user": _("user"),
    "kind": _("role"),
}
TARGET_LABELS = dict(TARGET_TYPES)


def _filtered(form: EventFilterForm) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("actor")
    if not form.is_valid():
        return events.none()
    data = form.cleaned_data
    if data["department"]:
        events = events.filter(department_code=data["department"].strip())
    if data["target_type"]:
        events = events.filter(target_type=data["target_type"])
    if data["target_id"]:
        events = events.filter(target_id=data["target_id"].strip())
    if data["action"]:
        events = events.filter(action=data["action"])
    zone = timezone.get_current_timezone()
    if data["date_from"]:
        events = events.filter(at__gte=dt.datetime.combine(data["date_from"], dt.time(), zone))
    if data["date_to"]:
        end = data["date_to"] + dt.timedelta(days=1)
        events = events.filter(at__lt=dt.datetime.combine(end, dt.time(), zone))
    return events


def _row(event: AuditEvent) -> dict[str, Any]:
    diff: list[Change] = changes(event.before, event.after)
    return {
        "event": event,
        "action": ACTION_LABELS.get(event.action, event.action),
        "target": TARGET_LABELS.get(event.target_type, event.target_type),
        "changes": [(FIELD_LABELS.get(c.path, c.path), c) for c in diff],
    }


@login_required
def events(request: HttpRequest) -> HttpResponse:
    """The audit trail, newest first, filtered by department, target, action and date."""
    access.require_audit(request.user)
    actions = [(code, str(label)) for code, label in ACTION_LABELS.items()]
    form = EventFilterForm(request.GET, actions=actions)
    page = Paginator(_filtered(form), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": [_row(e) for e in page.object_list],
        "query": query.urlencode(),
    }
    return render(request, "audit/events.html", context)
