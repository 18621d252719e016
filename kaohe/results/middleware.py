"""A published version that fails its seal is never served: every page and export says so."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kaohe.results.actions import seal_breach_record
from kaohe.results.seal import SealBroken

# 409 Conflict: the stored record conflicts with its seal; the request itself was fine.
ALTERED_STATUS = 409


class SealMiddleware:
    """Turns SealBroken, raised by the selectors whenever a view reads an altered version, into
    a page that says which version was altered, and records the detection in the audit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """The altered page for SealBroken; any other exception goes on as it was."""
        if not isinstance(exception, SealBroken):
            return None
        seal_breach_record(by=request.user, broken=exception)
        return altered_response(request, exception)


def altered_response(request: HttpRequest, broken: SealBroken) -> HttpResponse:
    """The page shown instead of an altered version, or instead of its export."""
    problems = [problem.text() for problem in broken.problems]
    versions = sorted({(p.year, p.number) for p in broken.problems})
    return render(
        request,
        "results/altered.html",
        {"problems": problems, "versions": versions},
        status=ALTERED_STATUS,
    )
