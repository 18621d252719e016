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
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods

from kaohe.access import ballots as ballot_access
from kaohe.ballots import actions, throttle
from kaohe.ballots.models import BallotCode
from kaohe.ballots.slips import round_title
from kaohe.ballots.validation import ABSTAIN, PREFIX, ParsedBallot, parse_ballot
from kaohe.core.codes import code_normalise

BALLOT = "ballots/vote_ballot.html"
REVIEW = "ballots/vote_review.html"
# The widest size of a ballot or review page, by page, round, group and problems shown.
_WIDEST: dict[tuple[Any, ...], int] = {}


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


def _context(
    code: BallotCode, canonical: str, choices: dict[str, str], problems: list[str]
) -> dict[str, Any]:
    """What the ballot and review pages show for these choices (department → grade, abstain or "")."""
    round = code.round
    names = {g["code"]: g["name"] for g in round.grades}
    rows: list[dict[str, Any]] = [
        {
            "code": d["code"],
            "name": d["name"],
            "field": PREFIX + d["code"],
            "choice": choices.get(d["code"], ""),
            "choice_name": names.get(choices.get(d["code"], ""), ""),
        }
        for d in round.departments
    ]
    return {
        "code": canonical,  # as the server reads it, so that the page's size is the same for all
        "title": round_title(round),
        "group": code.group.name,
        "rows": rows,
        "grades": round.grades,
        "abstain": ABSTAIN,
        "problems": problems,
        "graded": sum(1 for c in choices.values() if c and c != ABSTAIN),
    }


def _ballot_page(
    request: HttpRequest,
    code: BallotCode,
    canonical: str,
    template: str,
    parsed: ParsedBallot,
    status: int = 200,
) -> HttpResponse:
    """The ballot or the review page, padded with spaces to its size at the widest choices.

    Each row of these pages depends on its own department's choice only (and the all-abstain note
    on all of them), so the widest page is one that gives every department the same choice, or
    none: render those, and pad the page to the longest. Its size then says nothing of the grades.
    """

    def html(choices: dict[str, str]) -> bytes:
        context = _context(code, canonical, choices, parsed.problems)
        return render_to_string(template, context, request).encode()

    def widest() -> int:
        options = [g["code"] for g in code.round.grades] + [ABSTAIN, ""]
        return max(len(html({d["code"]: o for d in code.round.departments})) for o in options)

    page = html(parsed.choices)
    # Nothing else on these pages varies from one request to the next (the code is canonical,
    # the CSRF token of fixed length, the round frozen), so each process measures once per page.
    key = (template, code.round.pk, code.round.opened_at, code.group.name, tuple(parsed.problems))
    if key not in _WIDEST:
        if len(_WIDEST) >= 1000:
            _WIDEST.clear()
        _WIDEST[key] = widest()
    return HttpResponse(page + b" " * max(0, _WIDEST[key] - len(page)), status=status)


@never_cache
@sensitive_post_parameters("code")
@sensitive_variables()
@require_http_methods(["GET", "POST"])
def vote(request: HttpRequest) -> HttpResponse:
    """The one voting address: GET asks for the code, each POST is one step of the ballot."""
    if request.method == "GET":
        return render(request, "ballots/vote_code.html", {})
    canonical = code_normalise(request.POST.get("code", ""))
    if canonical is None:
        return _refuse(request, None)
    code, throttled = actions.voter_code_find(canonical)
    if throttled:
        return _refuse(request, canonical, throttled=True)
    if code is not None and code.used:
        return render(request, "ballots/vote_done.html", {"already": True})
    if code is None or not ballot_access.code_may_vote(code):
        return _refuse(request, canonical)
    step = request.POST.get("step", "code")
    if step == "code":
        return _ballot_page(request, code, canonical, BALLOT, ParsedBallot())
    parsed = parse_ballot(code.round, request.POST)
    if parsed.problems or step not in ("edit", "review", "submit"):
        return _ballot_page(request, code, canonical, BALLOT, parsed, status=400)
    if step == "submit":
        return _submit(request, canonical, code, parsed)
    return _ballot_page(request, code, canonical, REVIEW if step == "review" else BALLOT, parsed)


@sensitive_variables()
def _submit(
    request: HttpRequest, canonical: str, code: BallotCode, parsed: ParsedBallot
) -> HttpResponse:
    try:
        outcome = actions.ballot_submit(code=canonical, grades=parsed.grades, found=code)
    except ValidationError as error:
        parsed.problems.extend(error.messages)
        return _ballot_page(request, code, canonical, BALLOT, parsed, 400)
    if outcome is actions.Outcome.ACCEPTED:
        return redirect("vote:thanks")
    if outcome is actions.Outcome.ALREADY_SUBMITTED:
        return render(request, "ballots/vote_done.html", {"already": True})
    return _refuse(request, canonical)


@require_GET
def thanks(request: HttpRequest) -> HttpResponse:
    """After a ballot is stored."""
    return render(request, "ballots/vote_done.html", {"already": False})
