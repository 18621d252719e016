"""Recording and editing an entry, with the htmx helpers that refresh the form and its amount."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kaohe.access import ledger as ledger_access
from kaohe.access import years as year_access
from kaohe.core.limits import accepts_uploads
from kaohe.ledger import actions, selectors
from kaohe.ledger.forms import EntryForm, entry_initial, query_initial
from kaohe.ledger.forms.fields import person_times_total
from kaohe.ledger.models import Entry
from kaohe.ledger.views.common import as_int, attempt


@login_required
@accepts_uploads
def entry_new(request: HttpRequest, year: int) -> HttpResponse:
    """A clerk records an entry, as a draft or submitted."""
    y = year_access.year_for_user(request.user, year)
    ledger_access.require_recorder(request.user, y)
    if request.method != "POST":
        form = EntryForm(user=request.user, year=y, initial=query_initial(request.GET))
        return _page(request, form)
    form = EntryForm(request.POST, request.FILES, user=request.user, year=y)
    return _save(
        request,
        form,
        lambda submit: actions.entry_record(
            by=request.user, year=y, submit=submit, **form.entry_fields()
        ),
    )


@login_required
@accepts_uploads
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The recording clerk edits a draft or returned entry, and may submit it."""
    entry = ledger_access.entry_for_user(request.user, pk, write=True)
    if request.method != "POST":
        initial = entry_initial(entry)
        form = EntryForm(user=request.user, year=entry.year, entry=entry, initial=initial)
        return _page(request, form)
    form = EntryForm(request.POST, request.FILES, user=request.user, year=entry.year, entry=entry)
    return _save(
        request,
        form,
        lambda submit: actions.entry_update(
            by=request.user, entry=entry, submit=submit, **form.entry_fields()
        ),
    )


@login_required
@require_GET
def entry_fields(request: HttpRequest, year: int) -> HttpResponse:
    """htmx: the form's fields again, for the office, department, item and rule now chosen."""
    y = year_access.year_for_user(request.user, year)
    ledger_access.require_recorder(request.user, y)
    form = EntryForm(user=request.user, year=y, initial=query_initial(request.GET))
    return render(request, "ledger/_entry_fields.html", _context(form))


@login_required
@require_GET
def entry_preview(request: HttpRequest, year: int) -> HttpResponse:
    """htmx: the amount the form's values give, computed by the engine."""
    y = year_access.year_for_user(request.user, year)
    ledger_access.require_recorder(request.user, y)
    text = selectors.preview_text(
        y,
        rule_id=request.GET.get("rule", ""),
        department_code=request.GET.get("department", ""),
        count=_count(request.GET.get("count"), query_initial(request.GET)["persons"]),
        actual=as_int(request.GET.get("actual")),
        modifier=request.GET.get("modifier", ""),
        period=request.GET.get("period", ""),
        same_work=request.GET.get("same_work", ""),
        exclude_pk=_edited_pk(request),
    )
    return render(request, "ledger/_preview.html", {"preview": text})


def _count(count: str | None, persons: Any) -> int | None:
    """The count typed, or on a person-time rule (no count field) the sum of the times given."""
    if count is not None:
        return as_int(count)
    return person_times_total(persons) or None


def _edited_pk(request: HttpRequest) -> int | None:
    """The entry an edit page previews (it does not count against itself), if the user edits it."""
    pk = as_int(request.GET.get("entry"))
    return None if pk is None else ledger_access.entry_for_user(request.user, pk, write=True).pk


def _save(request: HttpRequest, form: EntryForm, write: Callable[[bool], Entry]) -> HttpResponse:
    """Record or change the entry (submitted if asked): its page, or the form with its errors."""
    submit = request.POST.get("action") == "submit"
    entry = attempt(form, lambda: write(submit))
    if entry is None:
        return _page(request, form)
    messages.success(request, _saved(submit, entry))
    return redirect("ledger:entry_detail", pk=entry.pk)


def _page(request: HttpRequest, form: EntryForm) -> HttpResponse:
    return render(request, "ledger/entry_form.html", _context(form))


def _context(form: EntryForm) -> dict[str, Any]:
    rule, department = form.rule_obj, form.department_obj
    preview = selectors.preview_text(
        form.year,
        rule_id=rule.id if rule else "",
        department_code=department.code if department else "",
        count=_count(
            form.current("count") if "count" in form.fields else None,
            form.data_persons(),
        ),
        actual=as_int(form.current("actual")),
        modifier=form.current("modifier"),
        period=form.current("period"),
        same_work=form.current("same_work"),
        exclude_pk=form.entry.pk if form.entry else None,
    )
    return {"form": form, "year": form.year, "entry": form.entry, "preview": preview}


def _saved(submit: bool, entry: Entry) -> str:
    if submit:
        return _("Entry %(ref)s was submitted for review.") % {"ref": entry.ref}
    return _("Entry %(ref)s was saved as a draft.") % {"ref": entry.ref}
