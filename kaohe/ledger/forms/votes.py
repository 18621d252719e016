"""The forms of the assessment office's members and its secret ballots (views/votes.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kaohe.ledger.models import Entry


class AccountChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    """An account by its name and login."""

    def label_from_instance(self, obj: Any) -> str:
        full = getattr(obj, "full_name", "") or ""
        return f"{full} ({obj.username})" if full else str(obj.username)


class OfficeMemberForm(forms.Form):
    """A member of the year's assessment office."""

    name = forms.CharField(label=_("Name"), max_length=50)
    post = forms.CharField(
        label=_("Post"), max_length=100, help_text=_("For example: head of 组织人事处.")
    )
    user = AccountChoice(
        label=_("Account"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("A member with an account votes from their own page; the others by slip."),
    )
    directs = forms.BooleanField(label=_("Directs the assessment office"), required=False)

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        users = get_user_model().objects.filter(is_active=True).order_by("username")
        self.fields["user"].queryset = users  # type: ignore[attr-defined]


class EntryChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """A pending range entry by its reference, department and rule."""

    def label_from_instance(self, obj: Any) -> str:
        rule = obj.year.scheme.rules.get(obj.rule_id)
        return f"{obj.ref} · {obj.department.name} · {rule.name if rule else obj.rule_id}"


class RangeVoteOpenForm(forms.Form):
    """The director opens a secret ballot on pending range entries."""

    entries = EntryChoice(
        label=_("Entries put to the vote"),
        queryset=Entry.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    step = forms.ChoiceField(
        label=_("Step of the amounts"),
        choices=[("0.5", "0.5"), ("0.1", "0.1")],
        initial="0.5",
        widget=forms.RadioSelect,
    )
    meeting = forms.CharField(label=_("Meeting"), max_length=200)
    slips_for_all = forms.BooleanField(
        label=_("Print slips for every member (also those with an account)"), required=False
    )

    def __init__(self, *args: Any, pending: QuerySet[Entry], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["entries"].queryset = pending  # type: ignore[attr-defined]
