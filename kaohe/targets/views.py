"""The targets' pages: parse, check access, call an action or a selector, render."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaohe.access import targets as access
from kaohe.access import years as year_access
from kaohe.core.downloads import XLSX, download
from kaohe.core.forms import attempt
from kaohe.core.limits import accepts_uploads
from kaohe.targets import actions, excel, selectors
from kaohe.targets.forms import (
    ApprovalForm,
    DiscardForm,
    ImportForm,
    OnlineReportForm,
    ReportForm,
    ReviewForm,
    TargetForm,
)
from kaohe.targets.models import ReportEvidence, SupervisionPeriod, Target, TargetStatus
from kaohe.years.models import Year

GET_POST = require_http_methods(["GET", "POST"])


def _to(target: Target, message: str, request: HttpRequest) -> HttpResponseRedirect:
    messages.success(request, message)
    return redirect("targets:detail", target.pk)


def _year_list(request: HttpRequest, year: Year, message: str) -> HttpResponseRedirect:
    messages.success(request, message)
    return redirect("targets:list", year.year)


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


@login_required
@require_GET
def target_list(request: HttpRequest, year: int) -> HttpResponse:
    """The year's targets the user sees, with the office's compile and approve forms."""
    y = year_access.year_for_user(request.user, year)
    access.require_targets_page(request.user)
    targets = access.visible_targets(request.user, y).select_related("department")
    context = {
        "year": y,
        "targets": targets,
        "counts": selectors.status_counts(targets),
        "can": _list_capabilities(request.user, y),
        "approval": ApprovalForm(),
    }
    return render(request, "targets/list.html", context)


def _list_capabilities(user: Any, year: Year) -> dict[str, bool]:
    return {
        "draft": access.draftable_departments(user).exists(),
        "compile": access.may_compile_targets(user),
        "approve": access.may_record_approval(user),
        "supervision": access.may_manage_supervision(user),
        "propose": access.may_propose(user, year),
    }


@login_required
@GET_POST
def target_new(request: HttpRequest, year: int) -> HttpResponse:
    """The department drafts a target (saved as a draft or submitted at once)."""
    y = year_access.year_for_user(request.user, year)
    departments = [(d.pk, d.name) for d in access.draftable_departments(request.user)]
    if not departments:
        raise PermissionDenied
    form = TargetForm(request.POST or None, departments=departments)
    if request.method == "POST" and form.is_valid():
        department = access.draftable_departments(request.user).get(
            pk=form.cleaned_data["department"]
        )
        submit = "submit" in request.POST
        act = lambda: actions.target_draft(  # noqa: E731 - the call attempt() makes
            by=request.user, year=y, department=department, fields=form.values(), submit=submit
        )
        if target := attempt(form, act):
            return _to(target, _("The target was saved."), request)
    return render(request, "targets/form.html", {"year": y, "form": form, "target": None})


@login_required
@require_GET
def target_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A target: its fields, the versions approved, every step, its reports and buttons."""
    target = access.target_for_user(request.user, pk)
    user = request.user
    context = {
        "year": target.year,
        "target": target,
        "versions": target.versions.all(),
        "reviews": target.reviews.select_related("by"),
        "reports": target.reports.prefetch_related("evidence"),
        "online": target.online_reports.select_related("period"),
        "can": {
            "edit": access.may_edit_target(user, target),
            "review": access.may_first_review(user, target),
            "revise": access.may_revise_target(user, target),
            "report": access.may_report(user, target),
        },
        "review_form": ReviewForm(),
        "report_form": ReportForm(),
    }
    return render(request, "targets/detail.html", context)


@login_required
@GET_POST
def target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The department changes a draft or returned target, or revises an approved one."""
    target = access.target_for_user(request.user, pk)
    revise = access.may_revise_target(request.user, target)
    if not revise and not access.may_edit_target(request.user, target):
        raise PermissionDenied
    initial = {
        f: getattr(target, f)
        for f in ("content", "measure", "due", "source", "in_supervision", "responsible")
    }
    form = TargetForm(request.POST or None, initial=initial, revise=revise)
    if (
        request.method == "POST"
        and attempt(form, lambda: _saved(request, target, form, revise)) is not None
    ):
        return _to(target, _("The target was saved."), request)
    return render(
        request, "targets/form.html", {"year": target.year, "form": form, "target": target}
    )


def _saved(request: HttpRequest, target: Target, form: TargetForm, revise: bool) -> Target:
    """The edit or the revision (with its reason) the form asks for."""
    if revise:
        reason = form.cleaned_data["reason"]
        return actions.target_revise(
            by=request.user, target=target, fields=form.values(), reason=reason
        )
    return actions.target_update(by=request.user, target=target, fields=form.values())


@login_required
@require_POST
def target_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """The department submits the target to its supervising leader."""
    target = access.target_for_user(request.user, pk)
    try:
        actions.target_submit(by=request.user, target=target)
    except ValidationError as error:
        _errors(request, error)
        return redirect("targets:detail", target.pk)
    return _to(target, _("The target was submitted to the supervising leader."), request)


@login_required
@require_POST
def target_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The supervising leader passes or returns the target."""
    target = access.target_for_user(request.user, pk)
    if not access.may_first_review(request.user, target):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    approve = request.POST.get("decision") == "approve"
    act = lambda: actions.target_review(  # noqa: E731
        by=request.user, target=target, approve=approve, comment=form.cleaned_data["comment"]
    )
    if attempt(form, act):
        return _to(target, _("Your review was recorded."), request)
    for text in [*form.non_field_errors(), *form.errors.get("comment", [])]:
        messages.error(request, str(text))
    return redirect("targets:detail", target.pk)


@login_required
@require_POST
def targets_compile(request: HttpRequest, year: int) -> HttpResponse:
    """The assessment office compiles the targets that passed their first review."""
    y = year_access.year_for_user(request.user, year)
    if not access.may_compile_targets(request.user):
        raise PermissionDenied
    try:
        done = actions.targets_compile(by=request.user, year=y)
    except ValidationError as error:
        _errors(request, error)
        return redirect("targets:list", y.year)
    return _year_list(request, y, _("%(n)s targets were compiled.") % {"n": len(done)})


@login_required
@require_POST
def targets_approve(request: HttpRequest, year: int) -> HttpResponse:
    """The assessment office records the leading group's approval of the compiled targets."""
    y = year_access.year_for_user(request.user, year)
    if not access.may_record_approval(request.user):
        raise PermissionDenied
    form = ApprovalForm(request.POST)
    act = lambda: actions.targets_approve(by=request.user, year=y, **form.cleaned_data)  # noqa: E731
    if done := attempt(form, act):
        return _year_list(
            request, y, _("%(n)s targets were approved and locked.") % {"n": len(done)}
        )
    for field_errors in form.errors.values():
        for text in field_errors:
            messages.error(request, str(text))
    return redirect("targets:list", y.year)


@login_required
@require_GET
def targets_xlsx(request: HttpRequest, year: int) -> HttpResponse:
    """The compiled table (考核办汇总表) as an Excel file, ready to print on A4 landscape."""
    y = year_access.year_for_user(request.user, year)
    if not access.may_compile_targets(request.user):
        raise PermissionDenied
    targets = access.visible_targets(request.user, y).exclude(status__in=[TargetStatus.DRAFT])
    title = _("Annual assessment targets %(year)s") % {"year": y.year}
    content = excel.compiled_xlsx(
        title, selectors.compiled_columns(), selectors.compiled_rows(targets)
    )
    return download(content, XLSX, _("Targets %(year)s.xlsx") % {"year": y.year})


@login_required
@require_POST
@accepts_uploads
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """The department reports on an approved target, with evidence files."""
    target = access.target_for_user(request.user, pk)
    if not access.may_report(request.user, target):
        raise PermissionDenied
    form = ReportForm(request.POST, request.FILES)

    def act() -> Any:
        d = form.cleaned_data
        return actions.report_submit(
            by=request.user,
            target=target,
            period=d["period"],
            status=d["status"],
            done=d["done"],
            files=d["evidence"],
        )

    if attempt(form, act):
        return _to(target, _("The report was submitted."), request)
    for field_errors in form.errors.values():
        for text in field_errors:
            messages.error(request, str(text))
    return redirect("targets:detail", target.pk)


@login_required
@require_GET
def report_evidence(request: HttpRequest, pk: str) -> HttpResponseBase:
    """A report's file, for those who see its target."""
    evidence = get_object_or_404(ReportEvidence.objects.select_related("report"), pk=pk)
    access.target_for_user(request.user, evidence.report.target_id)
    return evidence.download()


@login_required
@GET_POST
@accepts_uploads
def supervision(request: HttpRequest, year: int) -> HttpResponse:
    """The assessment office's supervision-system page: periods, online reports typed or imported."""
    y = year_access.year_for_user(request.user, year)
    if not access.may_manage_supervision(request.user):
        raise PermissionDenied
    periods = list(SupervisionPeriod.objects.filter(year=y))
    in_system = list(
        Target.objects.filter(year=y, in_supervision=True, versions__isnull=False)
        .distinct()
        .select_related("department")
    )
    typed = OnlineReportForm(
        request.POST if "record" in request.POST else None,
        targets=[(t.pk, t.label) for t in in_system],
        periods=[(p.pk, p.key) for p in periods],
    )
    upload = ImportForm(request.POST if "import" in request.POST else None, request.FILES or None)
    posted = request.method == "POST"
    if posted and (response := _supervision_post(request, y, typed, upload, in_system, periods)):
        return response
    context = {
        "year": y,
        "periods": periods,
        "typed": typed,
        "upload": upload,
        "targets": in_system,
    }
    return render(request, "targets/supervision.html", context)


def _supervision_post(
    request: HttpRequest,
    year: Year,
    typed: OnlineReportForm,
    upload: ImportForm,
    targets: list[Target],
    periods: list[SupervisionPeriod],
) -> HttpResponse | None:
    """One of the page's three forms: monthly periods, one report, an import."""
    here = reverse("targets:supervision", args=[year.year])
    try:
        if "monthly" in request.POST:
            actions.supervision_periods_set(by=request.user, year=year)
            messages.success(request, _("The monthly reporting periods were set."))
            return redirect(here)
        if "record" in request.POST and typed.is_valid():
            d = typed.cleaned_data
            report = actions.OnlineReport(
                next(t for t in targets if str(t.pk) == d["target"]),
                next(p for p in periods if str(p.pk) == d["period"]),
                d["reported_on"],
            )
            n = actions.supervision_reports_record(by=request.user, year=year, reports=[report])
            messages.success(request, _("%(n)s new online reports recorded.") % {"n": n})
            return redirect(here)
        if "import" in request.POST and upload.is_valid():
            return _import(request, year, upload, targets, periods, here)
    except ValidationError as error:
        _errors(request, error)
    return None


def _import(
    request: HttpRequest,
    year: Year,
    upload: ImportForm,
    targets: list[Target],
    periods: list[SupervisionPeriod],
    here: str,
) -> HttpResponse | None:
    workbook = upload.cleaned_data["workbook"]
    if workbook.size > settings.EVIDENCE_MAX_BYTES:
        limit = settings.EVIDENCE_MAX_BYTES // (1024 * 1024)
        messages.error(request, _("The workbook is larger than %(limit)s MB.") % {"limit": limit})
        return None
    rows, problems = excel.read_online_reports(workbook.read())
    by_key = {(t.department.code, t.number): t for t in targets}
    by_period = {p.key: p for p in periods}
    reports = []
    for r in rows:
        target, period = by_key.get((r.department, r.number)), by_period.get(r.period)
        if target is None or period is None:
            problems.append(
                _("Row %(line)s: no such target in the supervision system or no such period.")
                % {"line": r.line}
            )
        else:
            reports.append(actions.OnlineReport(target, period, r.reported_on))
    if problems:
        for text in problems[:20]:
            messages.error(request, text)
        return None
    n = actions.supervision_reports_record(by=request.user, year=year, reports=reports)
    messages.success(request, _("%(n)s new online reports recorded.") % {"n": n})
    return redirect(here)


@login_required
@require_GET
def proposals(request: HttpRequest, year: int) -> HttpResponse:
    """The entries proposed from the year's targets that the user sees, and what is missing."""
    y = year_access.year_for_user(request.user, year)
    if not access.may_propose(request.user, y):
        raise PermissionDenied
    rows = access.proposals_for_user(request.user, y).select_related("entry", "target__department")
    today = timezone.localdate()
    context = {
        "year": y,
        "proposals": rows,
        "missing": selectors.missing_reports(y, today),
        "today": today,
        "discard": DiscardForm(),
    }
    return render(request, "targets/proposals.html", context)


@login_required
@require_POST
def proposals_make(request: HttpRequest, year: int) -> HttpResponse:
    """综合处 (or the office) turns every report missing after its deadline into proposals."""
    y = year_access.year_for_user(request.user, year)
    if not access.may_propose(request.user, y):
        raise PermissionDenied
    made = actions.proposals_make(by=request.user, year=y, asof=timezone.localdate())
    messages.success(request, _("%(n)s entries were proposed.") % {"n": len(made)})
    return redirect("targets:proposals", y.year)


@login_required
@require_POST
def proposal_handle(request: HttpRequest, pk: int) -> HttpResponse:
    """The clerk submits a proposed entry for review, or discards it with a reason."""
    proposal = access.proposal_for_user(request.user, pk)
    if not access.may_handle_proposal(request.user, proposal):
        raise PermissionDenied
    accept = request.POST.get("decision") == "submit"
    try:
        actions.proposal_handle(
            by=request.user,
            proposal=proposal,
            accept=accept,
            reason=request.POST.get("reason", "")[:2000],
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request, _("Submitted for review.") if accept else _("The proposal was discarded.")
        )
    return redirect("targets:proposals", proposal.target.year.year)
