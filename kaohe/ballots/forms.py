"""Forms of the assessment office's round pages (the voter's ballot is read in validation.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kaohe.ballots.models import Round
from kaohe.constants import Kind, Period
from kaohe.years.models import Year

GROUP_ROWS = 6


def round_choices(year: Year) -> list[tuple[str, str]]:
    """The rounds the year's scheme lists that have not been opened yet, as `kind:period`."""
    held = set(Round.objects.filter(year=year).values_list("kind", "period"))
    return [
        (f"{kind.code}:{r.period}", f"{Kind(kind.code).label} · {Period(r.period).label}")
        for kind in year.scheme.kinds.values()
        if any(kind.points.values())
        for r in kind.rounds
        if (kind.code, r.period) not in held
    ]


class RoundOpenForm(forms.Form):
    """Which round to open, its title, and up to six voter groups with their numbers of codes."""

    round = forms.ChoiceField(label=_("Evaluation round"))
    title = forms.CharField(
        label=_("Title printed on the slips"),
        max_length=120,
        required=False,
        help_text=_("Left empty: year, kind and period."),
    )

    def __init__(self, *args: Any, year: Year, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice = self.fields["round"]
        assert isinstance(choice, forms.ChoiceField)
        choice.choices = round_choices(year)
        for i in range(1, GROUP_ROWS + 1):
            self.fields[f"group_{i}"] = forms.CharField(
                label=_("Voter group"), max_length=50, required=False
            )
            self.fields[f"size_{i}"] = forms.IntegerField(
                label=_("Codes"), min_value=1, max_value=2000, required=False
            )

    def group_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        """The group inputs, paired for the template."""
        return [(self[f"group_{i}"], self[f"size_{i}"]) for i in range(1, GROUP_ROWS + 1)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        groups = []
        for i in range(1, GROUP_ROWS + 1):
            name, size = (data.get(f"group_{i}") or "").strip(), data.get(f"size_{i}")
            if name and size:
                groups.append((name, size))
            elif name or size:
                raise forms.ValidationError(_("Give each voter group both a name and a number."))
        if not groups:
            raise forms.ValidationError(_("Give at least one voter group."))
        data["groups"] = groups
        kind, _sep, period = (data.get("round") or "").partition(":")
        data["kind"], data["period"] = kind, period
        return data


class RevokeForm(forms.Form):
    """Slip numbers of lost slips."""

    numbers = forms.CharField(
        label=_("Slip numbers"), max_length=200, help_text=_("For example 7, 9 or 12-15.")
    )
