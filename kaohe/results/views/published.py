"""After publication: the published results (公示), versions and their differences, across years."""

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
from kaohe.access import roles as role_access
from kaohe.access import years as year_access
from kaohe.constants import PublicityAnswer
from kaohe.core.downloads import JSON, download
from kaohe.core.fragments import kept
from kaohe.engine.scheme import Scheme
from kaohe.results import actions
from kaohe.results.charts import SUMMARY_CHARTS, publication_chart
from kaohe.results.diff import publication_snapshot, version_diff
from kaohe.results.forms import PublicityObjectionForm
from kaohe.results.models import Publication, PublicityObjection
from kaohe.results.selectors import (
    PublicationMismatch,
    across_years,
    canonical_json,
    latest_publication,
    publication_bundle,
    publication_honors,
    publication_results,
    publication_scheme,
    version_for,
    year_versions,
)
from kaohe.results.trails import honor_lists, ranking_rows, results_trails
from kaohe.results.views.common import results_context
from kaohe.years.models import Year


def _version(request: HttpRequest, year: int, number: int | None) -> tuple[Year, Publication]:
    y = year_access.year_for_user(request.user, year)
    p = latest_publication(y) if number is None else version_for(y, number)
    if p is None:
        raise Http404
    return y, p


def _version_context(request: HttpRequest, y: Year, p: Publication) -> dict[str, Any]:
    scheme = publication_scheme(p)
    honors = publication_honors(p)
    rows = kept(("rows", p.seal), lambda: ranking_rows(p.results, p.bundle, honors, scheme))
    codes = result_access.trail_department_codes(request.user, p)
    # The table is the page; each trail is loaded when opened (version_trail), but for one who
    # sees a single department's, which is shown open.
    summaries = [r for r in rows if codes is None or r.code in codes]
    trails, mismatch = [], False
    if summaries:
        try:
            results = publication_results(p)  # checked against the published figures, memoized
        except PublicationMismatch:
            mismatch = True
    if summaries and not mismatch and len(summaries) == 1:
        trails = results_trails(results, publication_bundle(p), honors, {summaries[0].code})
    latest = latest_publication(y)
    today = timezone.localdate()
    may_object = latest == p and result_access.may_raise_publicity_objection(request.user, p, today)
    return results_context(
        request,
        y,
        scheme,
        published=True,
        publication=p,
        latest=latest,
        rows=rows,
        honors=honor_lists(rows),
        trails=trails,
        trail_summaries=[] if trails or mismatch else summaries,
        # the tables and the trails' list show the version only (rendered once: core.fragments)
        table_key=("version", y.year, p.seal),
        summaries_key=(
            "summaries",
            y.year,
            p.seal,
            None if codes is None else tuple(sorted(codes)),
        ),
        single_trail=len(trails) == 1,
        mismatch=mismatch,
        charts=SUMMARY_CHARTS,
        versions=year_versions(y),
        may_export_workbook=result_access.may_export_workbook(request.user),
        may_export_all_sheets=result_access.may_export_all_sheets(request.user),
        objection_form=PublicityObjectionForm(year=y) if may_object else None,
        my_objections=PublicityObjection.objects.filter(
            publication__year=y, raised_by=request.user.pk
        )
        .select_related("publication", "department", "answered_by", "correction")
        .order_by("-created_at"),
    )


@login_required
@require_GET
def published(request: HttpRequest, year: int) -> HttpResponse:
    """The published results of a year (公示): for everyone with a role."""
    y = year_access.year_for_user(request.user, year)
    p = latest_publication(y)
    if p is None:
        return render(request, "results/unpublished.html", results_context(request, y, y.scheme))
    return render(request, "results/version.html", _version_context(request, y, p))


@login_required
@require_GET
def version(request: HttpRequest, year: int, number: int) -> HttpResponse:
    """One published version, current or earlier; earlier versions stay readable."""
    y, p = _version(request, year, number)
    return render(request, "results/version.html", _version_context(request, y, p))


@login_required
@require_GET
def version_trail(request: HttpRequest, year: int, number: int, code: str) -> HttpResponse:
    """One department's trail in a published version (the fragment the page loads when opened),
    for those who may see that department's trail."""
    y, p = _version(request, year, number)
    codes = result_access.trail_department_codes(request.user, p)
    if codes is not None and code not in codes:
        raise Http404
    honors = publication_honors(p)
    try:
        trails = results_trails(publication_results(p), publication_bundle(p), honors, {code})
    except PublicationMismatch:
        return render(request, "results/_trail_mismatch.html", {"code": code})
    if not trails:
        raise Http404
    context = {"t": trails[0], "open": True, "y": y.year, "n": p.number}
    return render(request, "results/_version_trail.html", context)


@login_required
@require_GET
def versions(request: HttpRequest, year: int) -> HttpResponse:
    """Every published version of a year, with who confirmed it and why it was corrected."""
    y = year_access.year_for_user(request.user, year)
    return render(
        request,
        "results/versions.html",
        results_context(request, y, y.scheme, versions=year_versions(y)),
    )


@login_required
@require_GET
def version_bundle(request: HttpRequest, year: int, number: int) -> HttpResponse:
    """A version's inputs as canonical JSON: its SHA-256 is the version's digest."""
    result_access.require_proposal(request.user)
    _y, p = _version(request, year, number)
    content = canonical_json(p.bundle).encode("utf-8")
    return download(content, JSON, f"kaohe-{year}-v{number}-inputs.json")


@login_required
@require_GET
def diff(request: HttpRequest, year: int, old: int, new: int) -> HttpResponse:
    """What changed between two published versions of a year."""
    y, a = _version(request, year, old)
    _y, b = _version(request, year, new)
    scheme: Scheme = publication_scheme(b)
    changes = version_diff(publication_snapshot(a), publication_snapshot(b), scheme)
    return render(
        request,
        "results/diff.html",
        results_context(
            request,
            y,
            scheme,
            published=True,
            old=a,
            new=b,
            changes=changes,
            versions=year_versions(y),
        ),
    )


@login_required
@require_GET
def chart(request: HttpRequest, year: int, number: int, name: str) -> HttpResponse:
    """A chart of a version (rendered once, then served as stored)."""
    _y, p = _version(request, year, number)
    try:
        png = publication_chart(p, name, publication_scheme(p))
    except KeyError:
        raise Http404 from None
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=86400"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def objections(request: HttpRequest, year: int) -> HttpResponse:
    """POST: raise an objection during publicity; GET: the objections, for the assessment office."""
    y = year_access.year_for_user(request.user, year)
    p = latest_publication(y)
    if request.method == "POST":
        if p is None:
            raise Http404
        form = PublicityObjectionForm(request.POST, year=y)
        if form.is_valid():
            try:
                actions.publicity_objection_raise(
                    by=request.user,
                    publication=p,
                    department=form.cleaned_data["department"],
                    text=form.cleaned_data["text"],
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Your objection is recorded."))
        else:
            messages.error(request, _("Write the objection."))
        return redirect("results:published", year=year)
    if not result_access.may_see_publicity_objections(request.user):
        raise PermissionDenied
    rows = (
        PublicityObjection.objects.filter(publication__year=y)
        .select_related("publication", "department", "raised_by", "answered_by", "correction")
        .order_by("-created_at")
    )
    answerable = [(o, result_access.may_answer_publicity_objection(request.user, o)) for o in rows]
    context = results_context(
        request,
        y,
        y.scheme,
        objections=answerable,
        answers=[c for c in PublicityAnswer if c != PublicityAnswer.OPEN],
        versions=Publication.objects.filter(year=y).order_by("number"),
    )
    return render(request, "results/objections.html", context)


@login_required
@require_POST
def objection_answer(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    """The assessment office answers one objection raised in the publicity."""
    y = year_access.year_for_user(request.user, year)
    objection = result_access.publicity_objection_for_user(request.user, y, pk)
    number = request.POST.get("correction", "")
    correction = version_for(y, int(number)) if number.isdigit() and len(number) < 6 else None
    try:
        actions.publicity_objection_answer(
            by=request.user,
            objection=objection,
            status=request.POST.get("status", ""),
            answer=request.POST.get("answer", ""),
            correction=correction,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The objection is answered; the objector sees the answer."))
    return redirect("results:objections", year=year)


@login_required
@require_GET
def across(request: HttpRequest) -> HttpResponse:
    """Several years' published results side by side."""
    role_access.require_role(request.user)
    table = across_years()
    return render(request, "results/across.html", {"table": table})
