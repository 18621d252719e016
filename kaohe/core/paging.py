"""Lists shown a page at a time."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def page_of(request: HttpRequest, rows: Any, size: int) -> tuple[Page[Any], str]:
    """The page of `rows` the request asks for, and its query without the page number (for the
    links to the other pages, which keep the filters)."""
    page = Paginator(rows, size).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
