"""The ledger's filters (views/lists.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kaohe.constants import Period
from kaohe.core.widgets import Select
from kaohe.ledger.forms.fields import _blank, _choices
from kaohe.ledger.models import Entry, EntryStatus
from kaohe.ledger.selectors import Filters, department_choices, named_persons
from kaohe.years.models import Year


class FilterForm(forms.Form):
    """The ledger's filters; a value that is not one of the choices is ignored."""

    # Rendered in Python (core.widgets.Select): the department and person lists grow with the year.
    item = forms.TypedChoiceField(
        label=_("Item"), required=False, coerce=int, empty_value=None, widget=Select
    )
    office = forms.ChoiceField(label=_("Recording office"), required=False, widget=Select)
    period = forms.ChoiceField(label=_("Period"), required=False, widget=Select)
    status = forms.ChoiceField(label=_("Status"), required=False, widget=Select)
    department = forms.ChoiceField(label=_("Department"), required=False, widget=Select)
    person = forms.TypedChoiceField(
        label=_("Person"), required=False, coerce=int, empty_value=None, widget=Select
    )

    def __init__(
        self,
        data: Any,
        *,
        year: Year,
        statuses: bool = True,
        entries: QuerySet[Entry] | None = None,
    ) -> None:
        """`entries`: those the user sees, whose persons the person filter offers; without them
        there is no person filter."""
        super().__init__(data)
        scheme = year.scheme
        items = [(str(n), f"{n}、{i.title}") for n, i in sorted(scheme.items.items())]
        _choices(self, "item", _blank(_("All")) + items)
        _choices(self, "office", _blank(_("All")) + list(scheme.offices.items()))
        _choices(self, "period", _blank(_("All")) + list(Period.choices))
        _choices(self, "department", _blank(_("All")) + department_choices(year))
        if entries is not None:
            _choices(self, "person", _blank(_("All")) + named_persons(entries))
        else:
            del self.fields["person"]
        if statuses:
            _choices(self, "status", _blank(_("All")) + list(EntryStatus.choices))
        else:
            del self.fields["status"]
        for field in self.fields.values():
            field.widget.attrs["class"] = "js-filter"

    def filters(self) -> Filters:
        """The valid filters given."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return Filters(**{k: v for k, v in data.items() if v not in (None, "")})
