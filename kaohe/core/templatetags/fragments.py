"""`{% fragment key "app/_part.html" name=value %}`: an included template rendered once per
key and language (kaohe.core.fragments); with key None, rendered on every request; `pool=`
names the pool it is kept in (kaohe.core.fragments.LIMITS; "year" unless given)."""

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
    context: Any, key: Hashable, name: str, pool: str = "year", **extra: Any
) -> SafeString:
    """The template `name` with the page's context and `extra`, kept under (key, name, extra):
    the key must name everything the part shows beyond `extra` (see kaohe.core.fragments)."""

    def render() -> SafeString:
        return mark_safe(render_to_string(name, {**context.flatten(), **extra}))

    if key is None:
        return render()
    return rendered((key, name, *sorted(extra.items())), render, pool=pool)
