"""Batch entry from Excel: the template, the upload with every row checked, then saving."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kaohe.access import ledger as ledger_access
from kaohe.access import years as year_access
from kaohe.constants import Period
from kaohe.core.downloads import XLSX, download
from kaohe.core.limits import accepts_uploads
from kaohe.ledger import actions, excel, selectors
from kaohe.ledger.actions import BatchInvalid, BatchRow
from kaohe.ledger.forms import BatchUploadForm
from kaohe.years.models import Year

# The checked rows travel to the confirm step signed, so that what is saved is what was shown.
BATCH_SALT = "kaohe.ledger.batch"
BATCH_MAX_AGE = 2 * 3600  # seconds


@login_required
@accepts_uploads
def batch(request: HttpRequest, year: int) -> HttpResponse:
    """Upload a filled-in template: every row is checked and shown before anything is saved."""
    y = year_access.year_for_user(request.user, year)
    offices = ledger_access.require_recorder(request.user, y)
    if request.method == "POST" and "token" in request.POST:
        return _save(request, y)
    form = BatchUploadForm(request.POST or None, request.FILES or None, year=y, offices=offices)
    if request.method != "POST" or not form.is_valid():
        return render(request, "ledger/batch.html", {"year": y, "form": form, "offices": offices})
    checked, office = form.cleaned_data["file"], form.cleaned_data["office"]
    rows, problems = excel.read_batch(checked, y)
    tried: list[Any] = []
    if rows:
        try:
            tried = actions.entries_batch_record(
                by=request.user, year=y, office=office, rows=rows, batch_id="", dry_run=True
            )
        except BatchInvalid as invalid:
            # A cell that could not be read is reported once, as read.
            read = {(p.line, p.column) for p in problems}
            checked_problems = excel.action_problems(invalid.problems)
            problems += [p for p in checked_problems if (p.line, p.column) not in read]
    payload = {
        "user": request.user.pk,
        "year": y.year,
        "office": office,
        "batch": uuid.uuid4().hex,
        "name": checked.name,
        "sha256": checked.sha256,
        "rows": [asdict(r) for r in rows],
    }
    token = "" if problems else signing.dumps(payload, salt=BATCH_SALT, compress=True)
    return _review(request, y, payload, rows, problems, tried, token)


@login_required
@require_GET
def batch_template(request: HttpRequest, year: int) -> HttpResponse:
    """The batch template of one of the clerk's offices."""
    y = year_access.year_for_user(request.user, year)
    offices = ledger_access.require_recorder(request.user, y)
    office = request.GET.get("office") or offices[0]
    if office not in offices:
        raise Http404
    name = _("Batch entry template %(office)s %(year)s.xlsx") % {
        "office": y.scheme.offices[office],
        "year": y.year,
    }
    return download(excel.batch_template(y, office), XLSX, name)


def _review(
    request: HttpRequest,
    y: Year,
    payload: dict[str, Any],
    rows: list[BatchRow],
    problems: list[excel.RowProblem],
    tried: list[Any],
    token: str,
) -> HttpResponse:
    # Without problems every row was recorded (then rolled back) in order: show its amount.
    amounts = {}
    if not problems:
        recorded = selectors.entry_rows(y, tried)
        amounts = {r.line: e.amount_text for r, e in zip(rows, recorded, strict=True)}
    lines = {r.line for r in rows}
    periods = dict(Period.choices)
    rule_names = excel.rule_labels(y)
    context = {
        "year": y,
        "office_name": y.scheme.offices[payload["office"]],
        "file_name": payload["name"],
        "lines": [
            (
                r,
                periods.get(r.period, ""),
                [p for p in problems if p.line == r.line],
                amounts.get(r.line),
                rule_names.get(r.rule_id, r.rule_id),  # a rule not in the scheme: as typed
            )
            for r in rows
        ],
        "file_problems": [p for p in problems if p.line not in lines],
        "problems": problems,
        "token": token,
        "earlier": selectors.earlier_imports(y, payload["sha256"]),
    }
    return render(request, "ledger/batch_review.html", context)


def _save(request: HttpRequest, y: Year) -> HttpResponse:
    try:
        payload = signing.loads(request.POST["token"], salt=BATCH_SALT, max_age=BATCH_MAX_AGE)
    except signing.BadSignature:
        messages.error(request, _("This check has expired; upload the file again."))
        return redirect("ledger:batch", year=y.year)
    if payload["user"] != request.user.pk or payload["year"] != y.year:
        raise PermissionDenied
    rows = [BatchRow(**(r | {"persons": tuple(r["persons"])})) for r in payload["rows"]]
    try:
        saved = actions.entries_batch_record(
            by=request.user,
            year=y,
            office=payload["office"],
            rows=rows,
            batch_id=payload["batch"],
            file_name=payload["name"],
            file_sha256=payload["sha256"],
            submit=request.POST.get("action") == "submit",
        )
    except BatchInvalid as invalid:  # the ledger changed since the check
        problems = excel.action_problems(invalid.problems)
        return _review(request, y, payload, rows, problems, [], "")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("ledger:batch", year=y.year)
    messages.success(request, _("%(n)s entries were saved.") % {"n": len(saved)})
    return redirect(f"{reverse('ledger:entries', args=[y.year])}?office={payload['office']}")
