"""`{% fragment key "app/_part.html" name=value %}`: an included template rendered once per
key and language (kaohe.core.fragments); with key None, rendered on every request; with
`small=True` kept among the small parts."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from kaohe.core.fragments import rendered

register = template.Library()


@register.simple_tag(takes_context=True)
def fragment(
    context: Any, key: Hashable, name: str, small: bool = False, **extra: Any
) -> SafeString:
    """The template `name` with the page's context and `extra`, kept under (key, name, extra):
    the key must name everything the part shows beyond `extra` (see kaohe.core.fragments);
    `small` parts (a menu) are kept apart from the large tables."""

    def render() -> SafeString:
        return mark_safe(render_to_string(name, {**context.flatten(), **extra}))

    if key is None:
        return render()
    return rendered((key, name, *sorted(extra.items())), render, small=small)
