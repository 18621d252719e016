"""The assessment office's pages: rounds of a year, opening, codes and slips, turnout, closing."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaohe.access import ballots as ballot_access
from kaohe.ballots import actions, selectors
from kaohe.ballots.export import ballots_xlsx
from kaohe.ballots.forms import RevokeForm, RoundOpenForm
from kaohe.ballots.models import Round, RoundStatus, VoterGroup
from kaohe.ballots.paper.printing import forms_pdf, round_layout
from kaohe.ballots.slip_numbers import number_ranges
from kaohe.ballots.slips import round_title, slips_pdf, specimen_codes
from kaohe.ballots.tally import close_tally
from kaohe.core.downloads import PDF, XLSX, download
from kaohe.core.forms import attempt


def _vote_url(request: HttpRequest) -> str:
    """The voting page's address printed on slips: configured, or the one the office uses."""
    configured: str = settings.BALLOT_PUBLIC_URL
    return configured or request.build_absolute_uri(reverse("vote:start"))


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_GET
def rounds(request: HttpRequest, year: int) -> HttpResponse:
    """A year's rounds, and the way to open the next one."""
    found = ballot_access.rounds_year_for_user(request.user, year)
    context = {"year": found, "rounds": selectors.year_rounds(found)}
    return render(request, "ballots/rounds.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def round_open(request: HttpRequest, year: int) -> HttpResponse:
    """Open a round of the year's scheme with its voter groups."""
    found = ballot_access.rounds_year_for_user(request.user, year)
    form = RoundOpenForm(request.POST or None, year=found)
    if request.method == "POST":
        opened = attempt(
            form, lambda: actions.round_open(by=request.user, year=found, **_opening(form))
        )
        if opened is not None:
            messages.success(request, _("The round is open. Issue its codes and print the slips."))
            return redirect("ballots:round", pk=opened.pk)
    voters = [(k.name, k.voters) for k in found.scheme.kinds.values() if any(k.points.values())]
    context = {"year": found, "form": form, "voters": voters}
    return render(request, "ballots/round_open.html", context)


def _opening(form: RoundOpenForm) -> dict[str, Any]:
    return {k: form.cleaned_data[k] for k in ("kind", "period", "title", "groups")}


def _closed_tally(round: Round) -> dict[str, Any] | None:
    """A closed round's tally: kept at closing, or made now for a round imported already closed."""
    if round.status != RoundStatus.CLOSED:
        return None
    return round.tally or close_tally(round, list(round.ballots.order_by("id")))


@login_required
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A round: frozen settings, groups and their codes, actions; the tally once closed."""
    found = ballot_access.round_for_user(request.user, pk)
    turnout = selectors.round_turnout(found)
    context = {
        "round": found,
        "title": round_title(found),
        "turnout": turnout,
        "totals": selectors.turnout_totals(turnout),
        "unissued": any(g.issued == 0 for g in turnout),
        "revoke_form": RevokeForm(),
        "tally": _closed_tally(found),
        "export_rule": selectors.withheld_rule(),
        "paper_fits": _paper_fits(found),
    }
    return render(request, "ballots/round_detail.html", context)


def _paper_fits(round: Round) -> bool:
    """Whether the round's departments and grades fit one paper form."""
    try:
        round_layout(round)
    except ValueError:
        return False
    return True


@login_required
@require_POST
def round_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue codes and answer with the only copy of their slips, as a PDF download."""
    found = ballot_access.round_for_user(request.user, pk)
    group = None
    if "group" in request.POST:
        group_id = request.POST["group"]
        group = VoterGroup.objects.filter(pk=int(group_id) if group_id.isdigit() else 0).first()
        if group is None or group.round_id != found.pk:
            raise Http404
    paper = request.POST.get("paper") == "1"
    try:
        issued = actions.codes_issue(by=request.user, round=found, group=group, paper=paper)
    except ValidationError as error:
        _errors(request, error)
        return redirect("ballots:round", pk=found.pk)
    printer = forms_pdf if paper else slips_pdf
    pdf = printer(found, issued, _vote_url(request))
    first, last = issued[0].number, issued[-1].number
    name = f"{'forms' if paper else 'slips'}-{found.pk}-{first:04d}-{last:04d}.pdf"
    return download(pdf, PDF, name, private=True)


@login_required
@require_GET
def round_slips(request: HttpRequest, pk: int) -> HttpResponse:
    """A specimen sheet of the round's slips, to try the printer; its codes cannot vote."""
    found = ballot_access.round_for_user(request.user, pk)
    pdf = slips_pdf(found, specimen_codes(found), _vote_url(request), specimen=True)
    return download(pdf, PDF, f"specimen-{found.pk}.pdf", inline=True)


@login_required
@require_GET
def round_form_specimen(request: HttpRequest, pk: int) -> HttpResponse:
    """A specimen paper form of the round, to try the printer; its code cannot vote."""
    found = ballot_access.round_for_user(request.user, pk)
    if not _paper_fits(found):
        raise Http404
    pdf = forms_pdf(found, specimen_codes(found)[:1], _vote_url(request), specimen=True)
    return download(pdf, PDF, f"specimen-form-{found.pk}.pdf", inline=True)


@login_required
@require_POST
def round_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke lost slips by number; the answer never says whether a slip has been used."""
    found = ballot_access.round_for_user(request.user, pk)
    try:
        revoked = actions.code_revoke(
            by=request.user, round=found, numbers=request.POST.get("numbers", "")
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        if revoked:
            numbers = number_ranges(revoked)
            messages.success(request, _("Revoked: %(numbers)s.") % {"numbers": numbers})
        else:
            messages.info(request, _("These slips had already been revoked."))
    return redirect("ballots:round", pk=found.pk)


@never_cache
@login_required
@require_GET
def round_turnout(request: HttpRequest, pk: int) -> HttpResponse:
    """Issued and used codes per group, polled by htmx while the round is open; no results."""
    found = ballot_access.round_for_user(request.user, pk)
    turnout = selectors.round_turnout(found)
    context = {"round": found, "turnout": turnout, "totals": selectors.turnout_totals(turnout)}
    template = "ballots/_turnout.html" if request.htmx else "ballots/turnout.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
@require_POST
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close the round: check ballots against codes, tally through the engine."""
    found = ballot_access.round_for_user(request.user, pk)
    try:
        actions.round_close(by=request.user, round=found)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The round is closed and tallied."))
    return redirect("ballots:round", pk=found.pk)


@login_required
@require_POST
def round_export(request: HttpRequest, pk: int) -> HttpResponse:
    """All ballots of a closed round as Excel, shuffled; the file's SHA-256 goes to the audit."""
    found = ballot_access.round_for_user(request.user, pk)
    if found.status != RoundStatus.CLOSED:
        messages.error(request, _("Ballots are exported once the round is closed."))
        return redirect("ballots:round", pk=found.pk)
    header, rows = selectors.shuffled_ballot_rows(found)
    withheld = selectors.withheld_groups(found)
    content = ballots_xlsx(_("Ballot list"), header, rows, selectors.withheld_notes(withheld))
    digest = actions.ballots_export_record(
        by=request.user, round=found, content=content, rows=len(rows), withheld=withheld
    )
    name = f"ballots-{found.year.year}-{found.kind}-{found.period}.xlsx"
    response = download(content, XLSX, name, private=True)
    response["X-Content-SHA256"] = digest
    return response
