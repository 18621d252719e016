"""Pages every site has, outside the apps: the icon browsers ask at the root."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.views.decorators.http import require_safe


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers ask of pages that link no icon: the static SVG (WhiteNoise
    serves it; a temporary redirect, as its hashed name changes with its content)."""
    return HttpResponseRedirect(static("core/favicon.svg"))
