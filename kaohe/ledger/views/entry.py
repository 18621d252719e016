"""One entry: its page, the actions on it, its objections and its evidence files."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kaohe.access import ledger as ledger_access
from kaohe.core.limits import accepts_uploads
from kaohe.engine.scheme import Rule
from kaohe.engine.schemetext import rule_amount_text
from kaohe.ledger import actions, selectors
from kaohe.ledger.forms import DecideForm, ObjectionForm, ReasonForm, ResolveForm
from kaohe.ledger.models import Entry, Objection
from kaohe.ledger.views.common import attempt, back


@login_required
@require_GET
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything about an entry, and the actions the viewer may take."""
    return _page(request, ledger_access.entry_for_user(request.user, pk))


@login_required
@require_POST
def entry_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """The recording clerk submits a draft or returned entry."""
    entry = ledger_access.entry_for_user(request.user, pk)
    done = _("The entry was submitted for review.")
    return _step(request, entry, lambda: actions.entry_submit(by=request.user, entry=entry), done)


@login_required
@require_POST
def entry_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The assessment office confirms a submitted entry."""
    entry = ledger_access.entry_for_user(request.user, pk)
    done = _("The entry was confirmed.")
    return _step(request, entry, lambda: actions.entry_confirm(by=request.user, entry=entry), done)


@login_required
@require_POST
def entry_return(request: HttpRequest, pk: int) -> HttpResponse:
    """The assessment office returns a submitted entry to its office, with a reason."""
    entry = ledger_access.entry_for_user(request.user, pk)
    if refused := _refused(request, entry, ledger_access.may_return_entry):
        return refused
    form = ReasonForm(request.POST, prefix="return")
    done = _("The entry was returned to its office.")
    return _form_step(request, entry, form, actions.entry_return, done)


@login_required
@require_POST
def entry_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The assessment office decides a range entry's amount, how, and at which meeting."""
    entry = ledger_access.entry_for_user(request.user, pk)
    if refused := _refused(request, entry, ledger_access.may_decide_entry):
        return refused
    form = DecideForm(request.POST, prefix="decide", rule=_rule(entry))
    done = _("The amount was decided and the entry confirmed.")
    return _form_step(request, entry, form, actions.entry_decide, done)


@login_required
@require_POST
def entry_void(request: HttpRequest, pk: int) -> HttpResponse:
    """The assessment office voids an entry, with a reason; the entry is kept."""
    entry = ledger_access.entry_for_user(request.user, pk)
    if refused := _refused(request, entry, ledger_access.may_void_entry):
        return refused
    form = ReasonForm(request.POST, prefix="void")
    return _form_step(request, entry, form, actions.entry_void, _("The entry was voided."))


def _form_step(
    request: HttpRequest, entry: Entry, form: forms.Form, act: Callable[..., Any], done: str
) -> HttpResponse:
    """Call `act` with the form's values; back to the entry, or its page with the form's errors."""
    if attempt(form, lambda: act(by=request.user, entry=entry, **form.cleaned_data)):
        return back(request, entry, done)
    assert form.prefix is not None
    return _page(request, entry, failed={form.prefix: form})


@login_required
@require_POST
@accepts_uploads
def objection_raise(request: HttpRequest, pk: int) -> HttpResponse:
    """The department head objects to an entry against the department, with files."""
    entry = ledger_access.entry_for_user(request.user, pk)
    if not ledger_access.may_object(request.user, entry):
        raise PermissionDenied
    form = ObjectionForm(request.POST, request.FILES, prefix="object")
    if attempt(
        form, lambda: actions.objection_raise(by=request.user, entry=entry, **form.values())
    ):
        return back(request, entry, _("Your objection was sent to the assessment office."))
    for problem in form.non_field_errors():  # one was raised meanwhile: the form is gone
        messages.error(request, str(problem))
    return _page(request, entry, failed={"object": form})


@login_required
@require_GET
def objection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An objection is shown on its entry's page."""
    objection = ledger_access.objection_for_user(request.user, pk)
    url = reverse("ledger:entry_detail", args=[objection.entry_id])
    return redirect(f"{url}#objection-{objection.pk}")


@login_required
@require_POST
def objection_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    """The assessment office upholds (voiding or correcting the entry) or rejects an objection."""
    objection = ledger_access.objection_for_user(request.user, pk)
    entry = objection.entry
    if not ledger_access.may_resolve_objection(request.user, objection):
        return _told(request, entry, ledger_access.objection_refusal(request.user, objection))
    form = ResolveForm(request.POST, prefix="resolve", rule=_rule(entry))

    def resolve() -> Objection:
        return actions.objection_resolve(by=request.user, objection=objection, **form.decision())

    renames = {"count": "corrected_count", "actual": "corrected_actual"}
    if attempt(form, resolve, renames):
        return back(request, entry, _("The objection was decided."))
    return _page(request, entry, failed={f"resolve-{objection.pk}": form})


@login_required
@require_GET
def evidence(request: HttpRequest, pk: uuid.UUID) -> FileResponse:
    """An evidence file, for those who may see its entry, under its name made safe."""
    return ledger_access.evidence_for_user(request.user, pk).download()


def _rule(entry: Entry) -> Rule:
    return entry.year.scheme.rules[entry.rule_id]


def _refused(
    request: HttpRequest, entry: Entry, may: Callable[[Any, Entry], bool]
) -> HttpResponse | None:
    """The step's button predicate, before its form is read; the action checks it again."""
    if may(request.user, entry):
        return None
    return _told(request, entry, ledger_access.refusal(request.user, entry))


def _told(request: HttpRequest, entry: Entry, refusal: Exception) -> HttpResponse:
    """A refused step: a reviewer is told why on the entry's page; anyone else is forbidden."""
    if not isinstance(refusal, ValidationError):
        raise refusal
    messages.error(request, " ".join(refusal.messages))
    return back(request, entry, None)


def _step(request: HttpRequest, entry: Entry, act: Callable[[], Any], done: str) -> HttpResponse:
    """A one-button action: a success message, or the reason it could not be done."""
    try:
        act()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return back(request, entry, None)
    return back(request, entry, done)


def _page(
    request: HttpRequest, entry: Entry, *, failed: dict[str, forms.Form] | None = None
) -> HttpResponse:
    """The entry's page; a form that failed is shown open with its errors."""
    user, failed, rule = request.user, failed or {}, _rule(entry)
    context = {
        "entry": entry,
        "year": entry.year,
        "row": selectors.entry_rows(entry.year, [entry])[0],
        "rule": rule,
        "rule_text": rule_amount_text(rule),
        "voiding": selectors.voiding(entry),
        "office_name": entry.year.scheme.offices.get(entry.office, entry.office),
        "modifier_name": rule.modifiers[entry.modifier].name if entry.modifier else "",
        "persons": entry.persons_text(),
        "evidence": list(entry.evidence.select_related("uploaded_by")),
        "objections": [
            (o, _resolve_form(user, o, rule, failed), ledger_access.is_recused(user, o))
            for o in selectors.entry_objections(entry)
        ],
        "history": selectors.entry_history(entry)
        if ledger_access.may_see_entry_history(user)
        else None,
        "can": _permissions(user, entry),
        "failed": failed,
        "return_form": failed.get("return") or ReasonForm(prefix="return"),
        "void_form": failed.get("void") or ReasonForm(prefix="void"),
        "decide_form": failed.get("decide") or _decide_form(entry, rule),
        "object_form": failed.get("object") or ObjectionForm(prefix="object"),
    }
    return render(request, "ledger/entry_detail.html", context)


def _permissions(user: Any, entry: Entry) -> dict[str, bool]:
    return {
        "edit": ledger_access.may_edit_entry(user, entry),
        "submit": ledger_access.may_submit_entry(user, entry),
        "confirm": ledger_access.may_confirm_entry(user, entry),
        "return": ledger_access.may_return_entry(user, entry),
        "decide": ledger_access.may_decide_entry(user, entry),
        "void": ledger_access.may_void_entry(user, entry),
        "object": ledger_access.may_object(user, entry)
        and not ledger_access.has_open_objection(entry),
    }


def _decide_form(entry: Entry, rule: Rule) -> DecideForm:
    """The decision form, holding the earlier decision when the amount is decided again."""
    earlier = {
        "amount": entry.amount,
        "method": entry.decision_method,
        "meeting": entry.decision_meeting,
    }
    return DecideForm(prefix="decide", rule=rule, initial=earlier)


def _resolve_form(
    user: Any, objection: Objection, rule: Rule, failed: dict[str, forms.Form]
) -> forms.Form | None:
    if not ledger_access.may_resolve_objection(user, objection):
        return None
    return failed.get(f"resolve-{objection.pk}") or ResolveForm(prefix="resolve", rule=rule)
