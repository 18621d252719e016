"""kaohe.core.widgets: a select written in Python gives the markup of Django's templates."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.test.html import parse_html
from django.utils.safestring import mark_safe

from kaohe.core.widgets import Select

CHOICES: list[Any] = [
    ("", "全部"),
    ("A01", "A01 办公室"),
    ("x\"<&'", '<b>不可信</b> & "引号"'),
    ("safe", mark_safe("<i>已转义</i>")),
    ("组", [("g1", "一"), ("g2", "二")]),
    (3, "三"),
]


def _form(widget: type[forms.Select], data: dict[str, str]) -> forms.Form:
    class Form(forms.Form):
        choice = forms.ChoiceField(label="选择", required=False, choices=CHOICES, widget=widget)

    form = Form(data)
    form.fields["choice"].widget.attrs["class"] = "js-filter"
    return form


@pytest.mark.parametrize("chosen", ["", "A01", "x\"<&'", "g2", "3", "unknown"])
def test_the_python_select_writes_what_djangos_templates_write(chosen: str) -> None:
    # given the same field with Django's select and with ours, the same value chosen
    ours = str(_form(Select, {"choice": chosen})["choice"])
    djangos = str(_form(forms.Select, {"choice": chosen})["choice"])
    # then the markup is the same (escaping, the chosen option, groups, attributes)
    assert parse_html(ours) == parse_html(djangos)
    assert "<b>" not in ours and "<i>已转义</i>" in ours
