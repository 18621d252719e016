"""Helpers shared by the ledger's views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from kaohe.core.forms import attempt as core_attempt
from kaohe.ledger.forms import ACTION_FIELDS
from kaohe.ledger.models import Entry

T = TypeVar("T")


def attempt(
    form: forms.Form, act: Callable[[], T], renames: dict[str, str] | None = None
) -> T | None:
    """kaohe.core.forms.attempt with the ledger actions' names for the form's fields."""
    return core_attempt(form, act, {**ACTION_FIELDS, **(renames or {})})


def back(request: HttpRequest, entry: Entry, success: str | None) -> HttpResponse:
    """Redirect to the page the form came from (when it is ours), else to the entry."""
    if success:
        messages.success(request, success)
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(target if target and safe else reverse("ledger:entry_detail", args=[entry.pk]))


def as_int(value: Any) -> int | None:
    """A whole number from a query parameter, or None."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
