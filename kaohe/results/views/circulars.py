"""The half-year supervision circulars (督查通报): the list of a year's, the office's draft
(edit, preview, publish), a published circular and its Word and PDF files."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaohe.access import results as result_access
from kaohe.access import years as year_access
from kaohe.core.downloads import DOCX, PDF, download
from kaohe.core.forms import attempt
from kaohe.results import actions
from kaohe.results.circular import Document, circular_content, circular_document, circular_title
from kaohe.results.exports.circular import circular_docx, circular_pdf
from kaohe.results.forms import CircularForm, CircularNewForm
from kaohe.results.models import Circular, CircularDraft, CircularHalf
from kaohe.years.models import Year

GET_POST = require_http_methods(["GET", "POST"])


def _draft(request: HttpRequest, year: int, half: str) -> CircularDraft:
    """The half-year's draft, for the assessment office; 404 for an unknown half or no draft."""
    y = year_access.year_for_user(request.user, year)
    result_access.require_circular_drafter(request.user)
    draft = CircularDraft.objects.filter(year=y, half=half).select_related("year").first()
    if half not in CircularHalf.values or draft is None:
        raise Http404
    return draft


def draft_document(draft: CircularDraft) -> Document:
    """A draft laid out with its content computed now (what publishing would store)."""
    return circular_document(
        number=draft.number,
        title=circular_title(draft.year.year, draft.half),
        date=draft.date,
        preface=draft.preface,
        conclusion=draft.conclusion,
        content=circular_content(draft.year, draft.half, draft.date),
        provisional=True,
    )


def published_document(circular: Circular) -> Document:
    """A published circular laid out from what it stored."""
    return circular_document(
        number=circular.number,
        title=circular.title,
        date=circular.date,
        preface=circular.preface,
        conclusion=circular.conclusion,
        content=circular.content,
        provisional=False,
    )


@login_required
@GET_POST
def circulars(request: HttpRequest, year: int) -> HttpResponse:
    """The year's published circulars for everyone with a role; the office's drafts and the
    form that starts one (POST)."""
    y = year_access.year_for_user(request.user, year)
    if not result_access.may_see_circulars(request.user):
        raise PermissionDenied
    drafting = result_access.may_draft_circular(request.user)
    form = CircularNewForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST":
        result_access.require_circular_drafter(request.user)
        draft = attempt(form, lambda: _start(request, y, form.cleaned_data))
        if draft is not None:
            messages.success(request, _("The draft is started; edit its words, then publish it."))
            return redirect("results:circular_edit", y.year, draft.half)
    context = {
        "year": y,
        "circulars": Circular.objects.filter(year=y).order_by("half"),
        "drafts": CircularDraft.objects.filter(year=y).order_by("half") if drafting else [],
        "form": form if drafting else None,
    }
    return render(request, "results/circulars.html", context, status=400 if form.errors else 200)


def _start(request: HttpRequest, year: Year, data: dict[str, Any]) -> CircularDraft:
    return actions.circular_draft(
        by=request.user, year=year, half=data["half"], number=data["number"], date=data["date"]
    )


@login_required
@GET_POST
def circular_edit(request: HttpRequest, year: int, half: str) -> HttpResponse:
    """The office edits a draft's number, date, preface and conclusion."""
    draft = _draft(request, year, half)
    initial = {f: getattr(draft, f) for f in ("number", "date", "preface", "conclusion")}
    form = CircularForm(request.POST or None, initial=initial)
    if request.method == "POST":
        saved = attempt(
            form,
            lambda: actions.circular_update(by=request.user, draft=draft, **form.cleaned_data),
        )
        if saved is not None:
            messages.success(request, _("The draft is saved."))
            return redirect("results:circular_edit", year, half)
    context = {"year": draft.year, "draft": draft, "form": form}
    return render(
        request, "results/circular_edit.html", context, status=400 if form.errors else 200
    )


@login_required
@require_GET
def circular_preview(request: HttpRequest, year: int, half: str) -> HttpResponse:
    """The draft as it would be published now (a fragment when htmx asks for it)."""
    draft = _draft(request, year, half)
    context = {"year": draft.year, "draft": draft, "doc": draft_document(draft)}
    if request.headers.get("HX-Request"):
        return render(request, "results/_circular.html", context)
    return render(request, "results/circular_preview.html", context)


@login_required
@require_GET
def circular_preview_pdf(request: HttpRequest, year: int, half: str) -> HttpResponse:
    """The draft printed as it would be published now, to check before publishing."""
    draft = _draft(request, year, half)
    body = circular_pdf(draft_document(draft))
    return download(body, PDF, f"kaohe-{year}-{half}-circular-draft.pdf")


@login_required
@require_POST
def circular_publish(request: HttpRequest, year: int, half: str) -> HttpResponse:
    """The office publishes the draft: stored as printed, never changed."""
    draft = _draft(request, year, half)
    try:
        actions.circular_publish(by=request.user, draft=draft)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect("results:circular_edit", year, half)
    messages.success(request, _("The circular is published."))
    return redirect("results:circular", year, half)


@login_required
@require_GET
def circular(request: HttpRequest, year: int, half: str) -> HttpResponse:
    """A published circular, as it was printed."""
    y = year_access.year_for_user(request.user, year)
    c = result_access.published_circular_for_user(request.user, y, half)
    return render(
        request, "results/circular.html", {"year": y, "circular": c, "doc": published_document(c)}
    )


@login_required
@require_GET
def circular_file(request: HttpRequest, year: int, half: str, fmt: str) -> HttpResponse:
    """A published circular as Word or PDF."""
    y = year_access.year_for_user(request.user, year)
    c = result_access.published_circular_for_user(request.user, y, half)
    if fmt == "docx":
        return download(circular_docx(published_document(c)), DOCX, f"kaohe-{year}-{half}.docx")
    if fmt == "pdf":
        return download(circular_pdf(published_document(c)), PDF, f"kaohe-{year}-{half}.pdf")
    raise Http404
