"""Template filters that put the one trail (kaohe/results/trails.py) into words: each filter is
a sentence function of kaohe/results/words.py, so that the pages word it as the exports do."""

from __future__ import annotations

from collections.abc import Sequence

from django import template

from kaohe.constants import flag_names, honor_names
from kaohe.engine.bundle import Veto
from kaohe.engine.scheme import Scheme
from kaohe.results import words

register = template.Library()

register.filter("category_text", words.category_text)
register.filter("entry_how", words.entry_how)
register.filter("entry_note", words.entry_note)
register.filter("grades_text", words.grades_text)
register.filter("round_text", words.round_text)
register.filter("kind_text", words.kind_text)
register.filter("period", words.period_label)


@register.filter
def honor_text(codes: Sequence[str]) -> str:
    """Honor codes in Chinese, joined with 、."""
    return honor_names(codes)


@register.filter
def flag_text(codes: Sequence[str]) -> str:
    """Flag codes in Chinese, joined with 、."""
    return flag_names(codes)


@register.filter
def veto_reason(veto: Veto, scheme: Scheme) -> str:
    """A veto's reason as the scheme names it."""
    return scheme.veto_reasons.get(veto.reason, veto.reason)
