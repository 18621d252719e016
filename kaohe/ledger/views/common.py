"""Helpers shared by the ledger's views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from kaohe.core.filenames import set_attachment
from kaohe.ledger.forms import apply_errors
from kaohe.ledger.models import Entry

T = TypeVar("T")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attempt(
    form: forms.Form, act: Callable[[], T], renames: dict[str, str] | None = None
) -> T | None:
    """Validate the form, then run the action; its ValidationError goes onto the form (None)."""
    if not form.is_valid():
        return None
    try:
        return act()
    except ValidationError as error:
        apply_errors(form, error, renames)
        return None


def back(request: HttpRequest, entry: Entry, success: str | None) -> HttpResponse:
    """Redirect to the page the form came from (when it is ours), else to the entry."""
    if success:
        messages.success(request, success)
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(target if target and safe else reverse("ledger:entry_detail", args=[entry.pk]))


def xlsx_download(content: bytes, filename: str) -> HttpResponse:
    """An Excel file as an attachment with a UTF-8 file name."""
    response = HttpResponse(content, content_type=XLSX)
    set_attachment(response, filename)
    return response


def as_int(value: Any) -> int | None:
    """A whole number from a query parameter, or None."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
