"""The assessment office's members and its secret ballots on range amounts (§七, §八.2)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaohe.access import ledger as ledger_access
from kaohe.ledger import actions
from kaohe.ledger import selectors_votes as selectors
from kaohe.ledger.forms.votes import OfficeMemberForm, RangeVoteOpenForm
from kaohe.ledger.models import OfficeMember, RangeVote, RangeVoteCode
from kaohe.ledger.views.common import as_int, attempt
from kaohe.years.models import Year


def _year(year: int) -> Year:
    return get_object_or_404(Year, year=year)


@login_required
@require_http_methods(["GET", "POST"])
def office_members(request: HttpRequest, year: int) -> HttpResponse:
    """The year's assessment office: its members, and (for the office) the form to add one."""
    y = _year(year)
    ledger_access.require_votes_reader(request.user, y)
    manage = ledger_access.may_manage_office_members(request.user)
    form = OfficeMemberForm(request.POST or None)
    if request.method == "POST":
        if not manage:
            raise PermissionDenied
        if attempt(
            form, lambda: actions.office_member_add(by=request.user, year=y, **form.cleaned_data)
        ):
            messages.success(request, _("The member was recorded."))
            return redirect("ledger:office_members", year=year)
    members = y.office_members.select_related("user")
    context = {"year": y, "members": members, "form": form if manage else None}
    return render(request, "ledger/office_members.html", context)


@login_required
@require_POST
def office_member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """The office removes a member recorded by mistake."""
    if not ledger_access.may_manage_office_members(request.user):
        raise PermissionDenied
    member = get_object_or_404(OfficeMember.objects.select_related("year", "user"), pk=pk)
    actions.office_member_remove(by=request.user, member=member)
    messages.success(request, _("The member was removed."))
    return redirect("ledger:office_members", year=member.year.year)


def _votes_page(request: HttpRequest, y: Year, form: RangeVoteOpenForm | None) -> HttpResponse:
    directs = ledger_access.may_direct_votes(request.user, y)
    if directs and form is None:
        form = RangeVoteOpenForm(pending=selectors.pending_range_entries(y))
    context = {
        "year": y,
        "votes": selectors.year_votes(y),
        "form": form if directs else None,
        "members": y.office_members.count(),
    }
    return render(request, "ledger/range_votes.html", context)


@login_required
@require_GET
def range_votes(request: HttpRequest, year: int) -> HttpResponse:
    """The year's secret ballots; for the director, the form to open one."""
    y = _year(year)
    ledger_access.require_votes_reader(request.user, y)
    return _votes_page(request, y, None)


@never_cache
@login_required
@require_POST
def range_vote_open(request: HttpRequest, year: int) -> HttpResponse:
    """The director opens a vote; the answer shows the printed slips' codes, once."""
    y = _year(year)
    if not ledger_access.may_direct_votes(request.user, y):
        raise PermissionDenied
    form = RangeVoteOpenForm(request.POST, pending=selectors.pending_range_entries(y))
    opened = attempt(
        form,
        lambda: actions.range_vote_open(
            by=request.user,
            year=y,
            entries=list(form.cleaned_data["entries"]),
            step=Decimal(form.cleaned_data["step"]),
            meeting=form.cleaned_data["meeting"],
            slips_for_all=form.cleaned_data["slips_for_all"],
        ),
    )
    if opened is None:
        return _votes_page(request, y, form)
    vote, printed = opened
    context = {"vote": vote, "year": y, "printed": printed}
    return render(request, "ledger/range_vote_codes.html", context)  # never_cache: no-store


@login_required
@require_GET
def range_vote(request: HttpRequest, pk: int) -> HttpResponse:
    """A vote: its entries, how many members voted (never who), the count once closed."""
    vote = ledger_access.vote_for_user(request.user, pk)
    context = {
        "vote": vote,
        "year": vote.year,
        "items": vote.items.select_related("entry__department"),
        "voted": vote.codes.filter(used=True).count(),
        "rows": selectors.vote_outcome_rows(vote),
        "may_close": vote.is_open and ledger_access.may_direct_votes(request.user, vote.year),
    }
    return render(request, "ledger/range_vote.html", context)


@login_required
@require_POST
def range_vote_close(request: HttpRequest, pk: int) -> HttpResponse:
    """The director closes the vote: decided by the median, or pending without enough votes."""
    vote = ledger_access.vote_for_user(request.user, pk)
    try:
        closing = actions.range_vote_close(by=request.user, vote=vote)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("ledger:range_vote", pk=pk)
    _tell(request, closing)
    return redirect("ledger:range_vote", pk=pk)


def _tell(request: HttpRequest, closing: actions.Closing) -> None:
    """The director is told what the closing decided, and what stays pending."""
    counts = {"voted": closing.voted, "members": closing.members}
    if not closing.valid:
        messages.error(
            request,
            _(
                "Not enough votes: %(voted)s of %(members)s members voted, more than half are "
                "needed. The entries stay pending."
            )
            % counts,
        )
        return
    if closing.decided:
        text = _("Entries decided by the median of the amounts cast: %(refs)s")
        messages.success(request, text % {"refs": "、".join(e.ref for e in closing.decided)})
    if closing.pending:
        refs = "、".join(e.ref for e in closing.pending)
        messages.warning(
            request,
            _("Still pending (no amount cast, or no longer submitted): %(refs)s") % {"refs": refs},
        )


def _amounts(request: HttpRequest, vote: RangeVote) -> dict[str, str]:
    """The member's choices as posted: `a:<entry id>` → an amount or abstain."""
    wanted = {str(i) for i in vote.items.values_list("entry_id", flat=True)}
    out: dict[str, str] = {}
    for key in request.POST:
        if key.startswith("a:") and key[2:] in wanted:
            values = request.POST.getlist(key)
            out[key[2:]] = values[0] if len(values) == 1 else ""  # a repeated field is refused
    return out


def _cast_answer(
    request: HttpRequest, outcome: actions.CastOutcome, context: dict[str, Any]
) -> HttpResponse:
    if outcome is actions.CastOutcome.ACCEPTED:
        return render(request, "ledger/range_vote_thanks.html", context)
    if outcome is actions.CastOutcome.ALREADY_CAST:
        return render(request, "ledger/range_vote_thanks.html", {**context, "again": True})
    return render(request, "ledger/range_vote_refused.html", context, status=403)


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def range_vote_ballot(request: HttpRequest) -> HttpResponse:
    """A member votes with the code on their slip, from a phone or a desk; no login."""
    if request.method == "GET":
        return render(request, "ledger/range_vote_ballot.html", {"step": "code"})
    code = request.POST.get("code", "")
    row = actions.vote_code_find(code)
    if row is None or not (row.used or ledger_access.may_vote_with(row)):
        return render(request, "ledger/range_vote_refused.html", {}, status=403)
    if row.used:
        return render(request, "ledger/range_vote_thanks.html", {"again": True})
    return _ballot_step(request, row, {"code": code, "action": "ledger:range_vote_ballot"})


def _ballot_step(request: HttpRequest, row: RangeVoteCode, context: dict[str, Any]) -> HttpResponse:
    """Show the ballot, or cast it (step=cast); refused amounts show the ballot again with why."""
    vote = row.vote
    if request.POST.get("step") == "cast":
        amounts = _amounts(request, vote)
        try:
            return _cast_answer(
                request, actions.range_vote_cast(code=row, amounts=amounts), context
            )
        except ValidationError as error:
            context = {**context, "problems": error.messages, "chosen": amounts}
    lines = selectors.ballot_lines(vote, context.get("chosen"))
    page = {**context, "step": "ballot", "vote": vote, "lines": lines}
    return render(request, "ledger/range_vote_ballot.html", page)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def range_vote_mine(request: HttpRequest) -> HttpResponse:
    """A member with an account votes from their own page: the open votes delivered to them."""
    codes = ledger_access.account_codes(request.user).select_related("vote__year")
    if request.method == "POST":
        wanted = as_int(request.POST.get("vote")) or 0
        row = codes.filter(vote_id=wanted).first()
        if row is None and ledger_access.account_voted(request.user, wanted):
            return render(request, "ledger/range_vote_thanks.html", {"again": True})
        if row is None:
            return render(request, "ledger/range_vote_refused.html", {}, status=403)
        return _ballot_step(request, row, {"mine": True, "vote_id": row.vote_id})
    return render(request, "ledger/range_vote_mine.html", {"codes": list(codes)})
