"""Forms of the year pages: creating a year, choosing its departments, the scheme library."""

from __future__ import annotations

import json
import re
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaohe.constants import DepartmentType
from kaohe.engine import builtin_scheme, builtin_scheme_ids, parse_scheme
from kaohe.engine.limits import MAX_RANK, MAX_YEAR, MIN_YEAR
from kaohe.engine.problems import InvalidInput, Problem
from kaohe.years.models import SchemeDocument, Year

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


# The engine words its problems in English (it has no translation machinery); the scheme page
# shows them in Chinese. A message not listed here is shown as the engine wrote it.
PROBLEM_MESSAGES = [
    (r"missing field '(?P<key>[^']*)'", gettext_lazy("missing field “%(key)s”")),
    (r"unknown field '(?P<key>[^']*)'", gettext_lazy("unknown field “%(key)s”")),
    (r"unknown office '(?P<code>[^']*)'", gettext_lazy("unknown office “%(code)s”")),
    (
        r'must be a decimal string such as "0\.5", got (?P<got>.*)',
        gettext_lazy("must be a decimal in quotes, such as “0.5”, not %(got)s"),
    ),
    (
        r"must be an integer >= (?P<min>\d+), got (?P<got>.*)",
        gettext_lazy("must be a whole number of at least %(min)s, not %(got)s"),
    ),
    (r"must be > 0, got (?P<got>.*)", gettext_lazy("must be greater than 0, not %(got)s")),
    (r"must be >= 0, got (?P<got>.*)", gettext_lazy("must not be negative, not %(got)s")),
    (r"must be an object", gettext_lazy("must be a JSON object")),
    (r"must be a list", gettext_lazy("must be a list")),
    (r"must be a non-empty list", gettext_lazy("must be a non-empty list")),
    (r"must be a non-empty string", gettext_lazy("must be a non-empty text")),
    (
        r"must be a non-empty list of office codes",
        gettext_lazy("must list at least one office code"),
    ),
    (r"must be a non-empty list of rounds", gettext_lazy("must list at least one round")),
    (r"must be a non-empty object of code → name", gettext_lazy("must map codes to names")),
    (
        r"must be an object of code → \{name, factor\}",
        gettext_lazy("must map codes to {name, factor}"),
    ),
    (r"must lie between 0 and 1", gettext_lazy("must lie between 0 and 1")),
    (r"must be true or false", gettext_lazy("must be true or false")),
    (r"lists an office twice", gettext_lazy("lists an office twice")),
    (r"has an empty code", gettext_lazy("has an empty code")),
    (r"min must not exceed max", gettext_lazy("min must not exceed max")),
    (
        r"a shortfall rule is per half-year",
        gettext_lazy("a shortfall rule counts per half-year, not once a year"),
    ),
    (r"a shortfall rule takes no modifiers", gettext_lazy("a shortfall rule takes no modifiers")),
    (r"a (?P<kind>\w+) rule needs '(?P<key>\w+)'", gettext_lazy("a %(kind)s rule needs “%(key)s”")),
    (
        r"a (?P<kind>\w+) rule must not have '(?P<key>\w+)'",
        gettext_lazy("a %(kind)s rule must not have “%(key)s”"),
    ),
    (r"\w+ '(?P<code>[^']*)' appears twice", gettext_lazy("“%(code)s” appears twice")),
    (r"item (?P<code>\d+) appears twice", gettext_lazy("item %(code)s appears twice")),
    (
        r"kind '(?P<code>\w+)' is missing \(give it 0 points to switch it off\)",
        gettext_lazy("evaluation kind “%(code)s” is missing (give it 0 points to switch it off)"),
    ),
    (r"must be one of (?P<codes>.*)", gettext_lazy("must be one of %(codes)s")),
    (r"must be 'H1', 'H2' or 'year'", gettext_lazy("must be 'H1', 'H2' or 'year'")),
    (r"must be 'deduct' or 'bonus'", gettext_lazy("must be 'deduct' or 'bonus'")),
    (
        r"must be 'each', 'range' or 'shortfall'",
        gettext_lazy("must be 'each', 'range' or 'shortfall'"),
    ),
    (r"must name exactly (?P<codes>.*)", gettext_lazy("must name exactly %(codes)s")),
    (r"must be '(?P<codes>[^']*)'", gettext_lazy("must be '%(codes)s'")),
    (r"cannot exceed honors\.advanced", gettext_lazy("cannot exceed honors.advanced")),
    (r"needs a grade 'excellent'", gettext_lazy("needs a grade 'excellent'")),
]
PROBLEM_RES = [(re.compile(f"^{pattern}$"), text) for pattern, text in PROBLEM_MESSAGES]


def problem_message(message: str) -> str:
    """The engine's message in Chinese, where it is one the scheme page knows."""
    for pattern, text in PROBLEM_RES:
        found = pattern.match(message)
        if found:
            return str(text) % found.groupdict()
    return message


def problem_text(problem: Problem) -> str:
    """One problem of a scheme document, with its location, for the form's error list."""
    message = problem_message(problem.message)
    if not problem.location:
        return message
    return _("At %(location)s: %(message)s") % {"location": problem.location, "message": message}


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
            raise forms.ValidationError(
                _("This is not valid JSON: line %(line)s, column %(column)s (%(message)s).")
                % {"line": exc.lineno, "column": exc.colno, "message": exc.msg}
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
