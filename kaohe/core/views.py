"""Home page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    """The product's front page: what it is and where to log in."""
    return render(request, "core/home.html")
