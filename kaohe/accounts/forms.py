"""Forms of the account pages: a new account, a password reset, a role to grant."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kaohe.accounts.actions import FULL_NAME_MAX, USERNAME_MAX
from kaohe.accounts.models import OFFICE_NAMES, Role, RoleKind

PASSWORD_HELP = _("Leave empty to have one generated; it is shown once.")


class UserSearchForm(forms.Form):
    """The account list's search: login or full name."""

    q = forms.CharField(label=_("Search"), required=False, max_length=USERNAME_MAX)


class UserCreateForm(forms.Form):
    """A new account: its login name never changes afterwards."""

    username = forms.CharField(
        label=_("Login name"),
        max_length=USERNAME_MAX,
        help_text=_("Cannot be changed once the account exists."),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=FULL_NAME_MAX)
    password = forms.CharField(
        label=_("Initial password"),
        required=False,
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=PASSWORD_HELP,
    )


class PasswordResetForm(forms.Form):
    """A new password for someone else's account (its owner changes it at the next login)."""

    password = forms.CharField(
        label=_("New password"),
        required=False,
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=PASSWORD_HELP,
    )


class RoleGrantForm(forms.Form):
    """A role and its scope: an office for a clerk, a department for a head or liaison."""

    kind = forms.ChoiceField(label=_("Role"), choices=RoleKind.choices)
    office = forms.ChoiceField(label=_("Office (clerks)"), required=False)
    department = forms.ModelChoiceField(
        label=_("Department (heads and liaisons)"),
        required=False,
        queryset=Role.objects.none(),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offices = [(code, str(name)) for code, name in OFFICE_NAMES.items()]
        office = self.fields["office"]
        assert isinstance(office, forms.ChoiceField)
        office.choices = [("", "—"), *offices]
        # The org app sits above accounts (docs/architecture.md): its model through the relation.
        departments = Role._meta.get_field("department").related_model
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = departments._default_manager.order_by("code")  # type: ignore[union-attr]
