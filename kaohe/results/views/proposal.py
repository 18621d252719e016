"""Before publication: the proposal, the party group's adjustments and vetoes, confirmation."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import Promise as StrPromise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaohe.access import results as result_access
from kaohe.access import years as year_access
from kaohe.core.downloads import JSON, download
from kaohe.core.forms import attempt
from kaohe.core.fragments import kept
from kaohe.core.limits import accepts_uploads
from kaohe.engine.results import results_document
from kaohe.results import actions
from kaohe.results.choices import (
    choices_from,
    group_text,
    initial_choices,
    pending_texts,
    problem_text,
)
from kaohe.results.diff import live_diff
from kaohe.results.forms import AdjustmentForm, ConfirmForm, VetoForm
from kaohe.results.models import Adjustment, Veto
from kaohe.results.selectors import Proposal, confirmation, year_proposal
from kaohe.results.trails import honor_lists, ranking_rows, results_trails
from kaohe.results.views.common import results_context
from kaohe.years.models import Year


def _proposal_context(request: HttpRequest, year: Year, proposal: Proposal) -> dict[str, object]:
    rows = kept(
        ("rows", proposal.digest),
        lambda: ranking_rows(proposal.results_doc, proposal.document, proposal.honors, year.scheme),
    )
    changes = None
    if proposal.latest is not None:
        changes = live_diff(proposal.latest, proposal.computed, year.scheme)
    names = {d.code: d.name for d in proposal.results.departments}
    return results_context(
        request,
        year,
        year.scheme,
        published=proposal.latest is not None,
        proposal=proposal,
        rows=rows,
        changes=changes,
        open_ties=[group_text(g, names) for g in proposal.settlement.open_groups],
        stale=[problem_text(p, names) for p in proposal.stale],
        # the table and the trails' list show the computation only (rendered once)
        table_key=("proposal", year.year, proposal.digest),
    )


def _proposal(request: HttpRequest, year: Year) -> Proposal:
    """The year's proposal; last year's versions found altered are recorded in the audit."""
    p = year_proposal(year)
    if p.previous_broken is not None:
        actions.seal_breach_record(by=request.user, broken=p.previous_broken)
    return p


@login_required
@require_GET
def proposal(request: HttpRequest, year: int) -> HttpResponse:
    """The computed proposal, with its blockers, warnings, flags and every department's trail."""
    y = year_access.year_for_user(request.user, year)
    result_access.require_proposal(request.user)
    p = _proposal(request, y)
    result_access.require_live_results(request.user, published=p.latest is not None)
    context = _proposal_context(request, y, p)
    context["trail_summaries"] = p.results.departments  # each trail loaded when opened
    return render(request, "results/proposal.html", context)


@login_required
@require_GET
def proposal_trail(request: HttpRequest, year: int, code: str) -> HttpResponse:
    """One department's trail in the proposal (the fragment the proposal page loads on demand)."""
    y = year_access.year_for_user(request.user, year)
    result_access.require_proposal(request.user)
    p = _proposal(request, y)
    result_access.require_live_results(request.user, published=p.latest is not None)
    trails = results_trails(p.results, p.bundle, p.honors, {code})
    if not trails:
        raise Http404
    return render(request, "results/_trail.html", {"t": trails[0], "open": True})


@login_required
@require_GET
def proposal_bundle(request: HttpRequest, year: int) -> HttpResponse:
    """The proposal's inputs as a canonical bundle: `kaohe compute` on it gives the proposal."""
    y = year_access.year_for_user(request.user, year)
    result_access.require_proposal(request.user)
    p = _proposal(request, y)
    result_access.require_live_results(request.user, published=p.latest is not None)
    content = json.dumps(p.document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return download(content.encode("utf-8"), JSON, f"kaohe-{year}-proposal.json")


@dataclass(frozen=True)
class _Measures:
    """What differs between the adjustments' page and the vetoes': the form, the writes, words."""

    model: type[Adjustment] | type[Veto]
    form: type[AdjustmentForm] | type[VetoForm]
    record: Callable[..., object]
    remove: Callable[[Any, Any], None]
    url: str
    template: str
    rows: str  # the rows' name in the template
    recorded: StrPromise
    removed: StrPromise


ADJUSTMENTS = _Measures(
    model=Adjustment,
    form=AdjustmentForm,
    record=lambda **values: actions.adjustment_record(**values),
    remove=lambda by, a: actions.adjustment_remove(by=by, adjustment=a),
    url="results:adjustments",
    template="results/adjustments.html",
    rows="adjustments",
    recorded=gettext_lazy("The adjustment is recorded."),
    removed=gettext_lazy("The adjustment is removed."),
)
VETOES = _Measures(
    model=Veto,
    form=VetoForm,
    record=lambda **values: actions.veto_record(**values),
    remove=lambda by, v: actions.veto_remove(by=by, veto=v),
    url="results:vetoes",
    template="results/vetoes.html",
    rows="vetoes",
    recorded=gettext_lazy("The veto is recorded."),
    removed=gettext_lazy("The veto is removed."),
)


def _measures_page(request: HttpRequest, year: int, m: _Measures) -> HttpResponse:
    """The year's adjustments or vetoes; the assessment office records them."""
    y = year_access.year_for_user(request.user, year)
    result_access.require_proposal(request.user)
    form = None
    if result_access.may_record_results_inputs(request.user):
        form = m.form(request.POST or None, request.FILES or None, year=y)
    elif request.method == "POST":
        raise PermissionDenied
    if request.method == "POST" and form is not None and form.is_valid():
        values = form.values()
        if attempt(form, lambda: m.record(by=request.user, year=y, **values)) is not None:
            messages.success(request, str(m.recorded))
            return redirect(m.url, year=year)
    rows = m.model.objects.filter(year=y).select_related("department")
    context: dict[str, Any] = {"form": form, m.rows: rows.prefetch_related("attachments")}
    return render(request, m.template, results_context(request, y, y.scheme, **context))


def _measure_remove(request: HttpRequest, year: int, pk: int, m: _Measures) -> HttpResponse:
    """Remove a wrongly recorded adjustment or veto (the audit trail keeps it)."""
    y = year_access.year_for_user(request.user, year)
    result_access.require_proposal(request.user)
    measure = get_object_or_404(m.model.objects.select_related("department", "year"), pk=pk, year=y)
    m.remove(request.user, measure)
    messages.success(request, str(m.removed))
    return redirect(m.url, year=year)


@login_required
@require_http_methods(["GET", "POST"])
@accepts_uploads
def adjustments(request: HttpRequest, year: int) -> HttpResponse:
    """The party group's adjustments of the year; the assessment office records them."""
    return _measures_page(request, year, ADJUSTMENTS)


@login_required
@require_POST
def adjustment_remove(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    """Remove a wrongly recorded adjustment (the audit trail keeps it)."""
    return _measure_remove(request, year, pk, ADJUSTMENTS)


@login_required
@require_http_methods(["GET", "POST"])
@accepts_uploads
def vetoes(request: HttpRequest, year: int) -> HttpResponse:
    """The year's one-vote vetoes; the assessment office records them."""
    return _measures_page(request, year, VETOES)


@login_required
@require_POST
def veto_remove(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    """Remove a wrongly recorded veto (the audit trail keeps it)."""
    return _measure_remove(request, year, pk, VETOES)


@login_required
@require_GET
def attachment(request: HttpRequest, pk: str) -> FileResponse:
    """A file of an adjustment or a veto."""
    return result_access.result_attachment_for_user(request.user, pk).download()


def _confirm_context(request: HttpRequest, y: Year, p: Proposal) -> dict[str, object]:
    """The confirmation page's state: the choices as posted (or as the year stands), the
    engine's settlement of them, the form it asks, and the preview of the honors."""
    choices = choices_from(request.POST) if request.method == "POST" else initial_choices(p)
    settlement = confirmation(p, choices)
    form = ConfirmForm(request.POST or None, proposal=p, settlement=settlement, choices=choices)
    names = {d.code: d.name for d in p.results.departments}
    preview = results_document(settlement.results)
    honors = {d["code"]: d["honors"] for d in preview["departments"]}
    context = _proposal_context(request, y, p)
    context |= {
        "form": form,
        "previewing": "preview" in request.POST,
        "preview_rows": ranking_rows(preview, p.document, honors, y.scheme),
        "pending": pending_texts(settlement, names),
    }
    context["preview_honors"] = honor_lists(context["preview_rows"])  # type: ignore[arg-type]
    return context


@login_required
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, year: int) -> HttpResponse:
    """A party group member reviews the proposal, settles its choices and publishes it."""
    y = year_access.year_for_user(request.user, year)
    if not result_access.may_confirm_results(request.user):
        raise PermissionDenied
    p = _proposal(request, y)
    context = _confirm_context(request, y, p)
    form = context["form"]
    assert isinstance(form, ConfirmForm)
    if request.method == "POST" and "preview" not in request.POST and form.is_valid():
        data = form.cleaned_data
        ok = attempt(
            form,
            lambda: actions.publication_confirm(
                by=request.user,
                year=y,
                digest=data["digest"],
                decisions=form.decisions(),
                meeting=data["meeting"],
                reason=data.get("reason") or "",
                notice_number=data["notice_number"],
                publicity_start=data["publicity_start"],
                publicity_end=data["publicity_end"],
            ),
        )
        if ok is not None:
            messages.success(request, _("The results are confirmed and published."))
            return redirect("results:published", year=year)
        # The page now shows the current proposal: a second confirmation is of what it shows.
        refreshed = request.POST.copy()
        refreshed["digest"] = p.digest
        form.data = refreshed
    return render(request, "results/confirm.html", context)


@login_required
@require_POST
def confirm_preview(request: HttpRequest, year: int) -> HttpResponse:
    """htmx: the choices and the honors they give, again, as the party group ticks them."""
    y = year_access.year_for_user(request.user, year)
    if not result_access.may_confirm_results(request.user):
        raise PermissionDenied
    context = _confirm_context(request, y, _proposal(request, y))
    return render(request, "results/_decide.html", context)
