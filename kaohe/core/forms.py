"""Putting an action's ValidationError onto the form that asked for it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError

T = TypeVar("T")


def apply_errors(
    form: forms.BaseForm, error: ValidationError, renames: Mapping[str, str] | None = None
) -> None:
    """Show an action's ValidationError on the form, each message next to its field.

    `renames` maps the action's names to the form's (an action's `rule_id` is the form's
    `rule`); a message for a name the form does not have is shown above the form.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    names = renames or {}
    for field, messages in error.message_dict.items():
        name = names.get(field, field)
        form.add_error(name if name in form.fields else None, messages)


def attempt(
    form: forms.BaseForm, act: Callable[[], T], renames: Mapping[str, str] | None = None
) -> T | None:
    """Validate the form, then run the action; its ValidationError goes onto the form (None)."""
    if not form.is_valid():
        return None
    try:
        return act()
    except ValidationError as error:
        apply_errors(form, error, renames)
        return None
