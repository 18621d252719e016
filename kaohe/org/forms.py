"""Forms for departments and their staff."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaohe.engine.limits import MAX_YEAR, MIN_YEAR
from kaohe.org.actions import DEPARTMENT_FIELDS
from kaohe.org.models import Department

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,19}$")


class UserChoiceField(forms.ModelChoiceField):
    """A user shown by full name and username."""

    def label_from_instance(self, obj: Any) -> str:
        full = obj.get_full_name()
        return f"{full}({obj.username})" if full else obj.username


class DepartmentForm(forms.ModelForm):
    """A department's code (fixed once created), name, type, unit, years and supervising leader."""

    supervising_leader = UserChoiceField(
        queryset=get_user_model().objects.order_by("username"),
        required=False,
        label=gettext_lazy("supervising leader"),
    )

    class Meta:
        model = Department
        fields = ["code", *DEPARTMENT_FIELDS]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("active_from", "active_to"):
            field = self.fields[name]
            field.validators += [MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
            field.widget.attrs.update(min=MIN_YEAR, max=MAX_YEAR)
        if self.instance.pk:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = gettext_lazy(
                "The code is used in bundles and the audit trail and cannot change."
            )

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].strip()
        if not CODE_RE.match(code):
            raise forms.ValidationError(
                _("Use letters, digits, dash and underscore (at most 20), e.g. JS or WG-1.")
            )
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("active_from"), data.get("active_to")
        if start is not None and end is not None and end < start:
            self.add_error("active_to", _("The last active year cannot be before the first."))
        return data

    def validate_unique(self) -> None:
        """Uniqueness is checked by the action, which reports it on the code field."""


class PersonForm(forms.Form):
    """A new member of a department's staff."""

    name = forms.CharField(label=gettext_lazy("name"), max_length=50)
