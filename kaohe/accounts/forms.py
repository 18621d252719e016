"""Forms of the account pages: a new account, a password reset, a role to grant, the security
settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from kaohe.accounts.actions import FULL_NAME_MAX, USERNAME_MAX
from kaohe.accounts.models import OFFICE_NAMES, Role, RoleKind
from kaohe.accounts.policy import BOUNDS, SECOND_FACTOR_FLOOR

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


class SecurityPolicyForm(forms.Form):
    """The security settings: lockout, password and session policy, who must use a second
    factor (the floor's roles are always in and shown ticked, not to be unticked)."""

    lockout_failures = forms.IntegerField(label=_("Failures before a login name is locked out"))
    lockout_address_failures = forms.IntegerField(
        label=_("Failures before an address is locked out"),
        help_text=_("Higher than a login name's where many people share one address."),
    )
    lockout_minutes = forms.IntegerField(label=_("Lockout (minutes)"))
    password_min_length = forms.IntegerField(label=_("Minimum password length"))
    password_classes = forms.IntegerField(
        label=_("Character classes required"),
        help_text=_("Of upper-case letters, lower-case letters, digits, symbols."),
    )
    password_max_age_days = forms.IntegerField(label=_("Maximum password age (days)"))
    password_history = forms.IntegerField(label=_("Earlier passwords not reused"))
    session_idle_minutes = forms.IntegerField(label=_("Idle timeout (minutes)"))
    session_max_hours = forms.IntegerField(label=_("Session lifetime (hours)"))
    second_factor_roles = forms.MultipleChoiceField(
        label=_("Roles that must use a second factor"),
        required=False,
        # The floor's roles are not offered: they are always in (the page lists them).
        choices=[(k, n) for k, n in RoleKind.choices if k not in SECOND_FACTOR_FLOOR],
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The assessment office, the party group and the three administrators always must."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, (low, high) in BOUNDS.items():
            field = self.fields[name]
            assert isinstance(field, forms.IntegerField)
            field.min_value, field.max_value = low, high
            field.widget.attrs.update({"min": low, "max": high})
            field.validators += [MinValueValidator(low), MaxValueValidator(high)]

    def clean_second_factor_roles(self) -> list[str]:
        """The roles ticked, with the floor's (which the page shows ticked and fixed)."""
        return sorted(set(self.cleaned_data["second_factor_roles"]) | SECOND_FACTOR_FLOOR)
