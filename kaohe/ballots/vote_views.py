"""The voter's pages, without login: code, ballot, review, submit, thank you.

The code arrives in the URL fragment (read by the page's inline script, never sent in a URL) or is
typed, and travels only in POST bodies. Every step re-checks the code and the ballot on the server.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods

from kaohe import access
from kaohe.ballots import actions, throttle
from kaohe.ballots.codes import code_normalise
from kaohe.ballots.models import BallotCode
from kaohe.ballots.slips import round_title
from kaohe.ballots.validation import ABSTAIN, PREFIX, ParsedBallot, parse_ballot


def _refuse(
    request: HttpRequest, canonical: str | None, *, throttled: bool = False
) -> HttpResponse:
    """One generic answer for an unknown or revoked code and a closed round; counted if a code."""
    if canonical is not None and not throttled:
        throttle.note_refusal(canonical)
    context = {"refused": True, "throttled": throttled, "minutes": _window_minutes()}
    return render(request, "ballots/vote_code.html", context, status=429 if throttled else 403)


def _window_minutes() -> int:
    """The throttle's window, in whole minutes rounded up, for the voter."""
    window: int = settings.BALLOT_FAILURE_WINDOW
    return max(1, -(-window // 60))


def _ballot_page(
    request: HttpRequest, code: BallotCode, template: str, parsed: ParsedBallot, status: int = 200
) -> HttpResponse:
    round = code.round
    names = {g["code"]: g["name"] for g in round.grades}
    rows: list[dict[str, Any]] = [
        {
            "code": d["code"],
            "name": d["name"],
            "field": PREFIX + d["code"],
            "choice": parsed.choices.get(d["code"], ""),
            "choice_name": names.get(parsed.choices.get(d["code"], ""), ""),
        }
        for d in round.departments
    ]
    context = {
        "code": request.POST.get("code", ""),
        "title": round_title(round),
        "group": code.group.name,
        "rows": rows,
        "grades": round.grades,
        "abstain": ABSTAIN,
        "problems": parsed.problems,
        "graded": len(parsed.grades),
    }
    return render(request, template, context, status=status)


@never_cache
@sensitive_post_parameters("code")
@sensitive_variables()
@require_http_methods(["GET", "POST"])
def vote(request: HttpRequest) -> HttpResponse:
    """The one voting address: GET asks for the code, each POST is one step of the ballot."""
    if request.method == "GET":
        return render(request, "ballots/vote_code.html", {})
    raw = request.POST.get("code", "")
    canonical = code_normalise(raw)
    if canonical is not None and throttle.is_throttled(canonical):
        return _refuse(request, canonical, throttled=True)
    code = actions.code_find(canonical or "")
    if code is not None and code.used:
        return render(request, "ballots/vote_done.html", {"already": True})
    if canonical is None or code is None or not access.code_may_vote(code):
        return _refuse(request, canonical)
    step = request.POST.get("step", "code")
    if step == "code":
        return _ballot_page(request, code, "ballots/vote_ballot.html", ParsedBallot())
    parsed = parse_ballot(code.round, request.POST)
    if parsed.problems:
        return _ballot_page(request, code, "ballots/vote_ballot.html", parsed, status=400)
    if step == "edit":
        return _ballot_page(request, code, "ballots/vote_ballot.html", parsed)
    if step == "review":
        return _ballot_page(request, code, "ballots/vote_review.html", parsed)
    if step != "submit":
        return _ballot_page(request, code, "ballots/vote_ballot.html", parsed, status=400)
    return _submit(request, canonical, code, parsed)


@sensitive_variables()
def _submit(
    request: HttpRequest, canonical: str, code: BallotCode, parsed: ParsedBallot
) -> HttpResponse:
    try:
        outcome = actions.ballot_submit(code=canonical, grades=parsed.grades, found=code)
    except ValidationError as error:
        parsed.problems.extend(error.messages)
        return _ballot_page(request, code, "ballots/vote_ballot.html", parsed, status=400)
    if outcome is actions.Outcome.ACCEPTED:
        return redirect("vote:thanks")
    if outcome is actions.Outcome.ALREADY_SUBMITTED:
        return render(request, "ballots/vote_done.html", {"already": True})
    return _refuse(request, canonical)


@require_GET
def thanks(request: HttpRequest) -> HttpResponse:
    """After a ballot is stored."""
    return render(request, "ballots/vote_done.html", {"already": False})
