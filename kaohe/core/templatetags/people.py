"""`{{ user|who }}`: a person's name for pages, also when there is none (imported records)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def who(user: Any) -> str:
    """Full name, else username; records imported from a bundle have no recorder."""
    if user is None:
        return _("imported")
    return user.get_full_name() or user.username
