"""Forms of the year pages: creating a year, choosing its departments, the scheme library."""

from __future__ import annotations

import json
import re
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaohe.constants import DepartmentType
from kaohe.core.problems import problem_text
from kaohe.engine import builtin_scheme, builtin_scheme_ids, parse_scheme
from kaohe.engine.limits import MAX_RANK, MAX_YEAR, MIN_YEAR
from kaohe.engine.problems import InvalidInput
from kaohe.years.models import SchemeDocument, Step, Year

SCHEME_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def scheme_sources() -> list[tuple[str, str]]:
    """Where a scheme can be copied from: built-in schemes, the library, earlier years."""
    choices: list[tuple[str, str]] = []
    for scheme_id in builtin_scheme_ids():
        label = _("Built-in: %(name)s (%(id)s)") % {
            "name": builtin_scheme(scheme_id).name,
            "id": scheme_id,
        }
        choices.append((f"builtin:{scheme_id}", label))
    for doc in SchemeDocument.objects.exclude(scheme_id__in=builtin_scheme_ids()):
        label = _("Library: %(name)s (%(id)s)") % {"name": doc.name, "id": doc.scheme_id}
        choices.append((f"library:{doc.scheme_id}", label))
    for year in Year.objects.only("year", "scheme_id"):
        label = _("Copy of year %(year)s's scheme (%(id)s)") % {
            "year": year.year,
            "id": year.scheme_id,
        }
        choices.append((f"year:{year.year}", label))
    return choices


class YearCreateForm(forms.Form):
    """A new assessment year and the scheme it copies."""

    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    source = forms.ChoiceField(label=gettext_lazy("Scheme"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = scheme_sources()  # type: ignore[attr-defined]

    def clean_year(self) -> int:
        year: int = self.cleaned_data["year"]
        if Year.objects.filter(year=year).exists():
            raise forms.ValidationError(_("Year %(year)s already exists.") % {"year": year})
        return year


class AssessedForm(forms.Form):
    """One department's row on the year's departments page."""

    department = forms.IntegerField(widget=forms.HiddenInput)
    assessed = forms.BooleanField(label=gettext_lazy("Assessed"), required=False)
    type = forms.ChoiceField(label=gettext_lazy("Type"), choices=DepartmentType.choices)
    previous_rank = forms.IntegerField(
        label=gettext_lazy("Last year's rank"), min_value=1, max_value=MAX_RANK, required=False
    )


AssessedFormSet = forms.formset_factory(AssessedForm, extra=0)


class SchemeCopyForm(forms.Form):
    """Copy a scheme into the library under a new id and name."""

    source = forms.ChoiceField(label=gettext_lazy("Copy from"))
    new_id = forms.CharField(
        label=gettext_lazy("New scheme id"),
        max_length=64,
        help_text=gettext_lazy("Letters, digits, dot, dash and underscore, e.g. cz-jxw-2017."),
    )
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = scheme_sources()  # type: ignore[attr-defined]

    def clean_new_id(self) -> str:
        new_id: str = self.cleaned_data["new_id"].strip()
        if not SCHEME_ID_RE.match(new_id):
            raise forms.ValidationError(
                _(
                    "Use only letters, digits, dot, dash and underscore, starting with a letter or digit."
                )
            )
        if (
            new_id in builtin_scheme_ids()
            or SchemeDocument.objects.filter(scheme_id=new_id).exists()
        ):
            raise forms.ValidationError(_("A scheme with this id already exists."))
        return new_id


def json_near(exc: json.JSONDecodeError, width: int = 30) -> str:
    """The text where JSON decoding stopped: up to `width` characters of its line from there."""
    lines = exc.doc.splitlines()
    line = lines[exc.lineno - 1] if exc.lineno <= len(lines) else ""  # past the last newline
    near = line[exc.colno - 1 : exc.colno - 1 + width].strip()
    return near or _("(the end of the line)")


class SchemeEditForm(forms.Form):
    """A library scheme's JSON, checked by the engine: every problem listed with its location."""

    document = forms.CharField(
        label=gettext_lazy("Scheme (JSON)"),
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false", "class": "code"}),
    )

    def __init__(self, *args: Any, scheme_id: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scheme_id = scheme_id

    def clean_document(self) -> dict[str, Any]:
        text = self.cleaned_data["document"]
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            # The decoder's own sentence is English; the place and the text there say enough.
            raise forms.ValidationError(
                _("This is not valid JSON: line %(line)s, column %(column)s, at: %(near)s")
                % {"line": exc.lineno, "column": exc.colno, "near": json_near(exc)}
            ) from None
        errors = []
        if not isinstance(document, dict) or document.get("id") != self.scheme_id:
            errors.append(
                _('The scheme\'s "id" must stay %(id)s; copy the scheme to give it a new id.')
                % {"id": self.scheme_id}
            )
        try:
            parse_scheme(document)
        except InvalidInput as exc:
            errors.extend(problem_text(p) for p in exc.problems)
        if errors:
            raise forms.ValidationError(errors)
        assert isinstance(document, dict)
        return document


class TypeCorrectionForm(forms.Form):
    """A correction of a department's type once the year's rounds have opened."""

    department = forms.ChoiceField(label=gettext_lazy("Department"))
    new_type = forms.ChoiceField(label=gettext_lazy("New type"), choices=DepartmentType.choices)
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, year: Year, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assessed = year.assessed.select_related("department").order_by("department__code")
        self.fields["department"].choices = [  # type: ignore[attr-defined]
            (a.department.code, f"{a.department.name}（{a.get_type_display()}）") for a in assessed
        ]


class DeadlinesForm(forms.Form):
    """The year's deadlines, one date per step (years.models.Step), as the office sets them."""

    def __init__(self, *args: Any, deadlines: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for step in Step:
            self.fields[step.value] = forms.DateField(
                label=step.label,
                initial=deadlines[step.value],
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                error_messages={
                    "required": _("Enter a date."),
                    "invalid": _("Enter a valid date."),
                },
            )
