"""The account pages (issue 14, 三员分立): the list, an account with its roles and state, a new
account, disabling, re-enabling, a password reset, granting and revoking roles; and one's own
password change. Who may do what is kaohe/access/accounts.py; each write an action."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kaohe.access import accounts as account_access
from kaohe.accounts import actions
from kaohe.accounts.forms import PasswordResetForm, RoleGrantForm, UserCreateForm, UserSearchForm
from kaohe.accounts.notifications import notifications_of
from kaohe.accounts.passwords import password_change_due
from kaohe.accounts.security import has_confirmed_device
from kaohe.core.forms import attempt
from kaohe.core.paging import page_of

PAGE_SIZE = 50
NOTIFICATIONS_PAGE = 30


@login_required
def users(request: HttpRequest) -> HttpResponse:
    """Every account, searched by login or full name."""
    account_access.require_accounts(request.user)
    form = UserSearchForm(request.GET)
    found = get_user_model().objects.prefetch_related("roles__department").order_by("username")
    if form.is_valid() and (q := form.cleaned_data["q"].strip()):
        found = found.filter(Q(username__icontains=q) | Q(first_name__icontains=q))
    page, query = page_of(request, found, PAGE_SIZE)
    return render(request, "accounts/users.html", {"form": form, "page": page, "query": query})


def _detail_context(request: HttpRequest, user: Any, **forms: Any) -> dict[str, Any]:
    by = request.user
    return {
        "account": user,
        "roles": user.roles.select_related("department").order_by("kind"),
        "can": {
            "manage": account_access.may_manage_account(by, user),
            "roles": account_access.may_change_roles_of(by, user),
            "reset_second_factor": account_access.may_reset_second_factor(by, user),
        },
        "second_factor": has_confirmed_device(user),
        "grant_form": forms.get("grant_form") or RoleGrantForm(),
        "reset_form": forms.get("reset_form") or PasswordResetForm(),
    }


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An account: its state and roles, with the buttons its viewer may use."""
    user = account_access.account_for_user(request.user, pk)
    return render(request, "accounts/user_detail.html", _detail_context(request, user))


def _password_shown(request: HttpRequest, user: Any, password: str) -> HttpResponse:
    """The new password, shown once and never cached."""
    response = render(
        request, "accounts/password_shown.html", {"account": user, "password": password}
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def user_new(request: HttpRequest) -> HttpResponse:
    """Create an account (its password generated when left empty, shown once)."""
    if not account_access.may_manage_accounts(request.user):
        raise PermissionDenied
    form = UserCreateForm(request.POST or None)
    if request.method == "POST":
        created = attempt(form, lambda: actions.user_create(by=request.user, **form.cleaned_data))
        if created is not None:
            return _password_shown(request, *created)
    return render(request, "accounts/user_new.html", {"form": form})


def _done(request: HttpRequest, user: Any, act: Any, message: str) -> HttpResponse:
    """Run a state change; its refusal (already done) is shown as a message."""
    try:
        act()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, message)
    return redirect("accounts:user", pk=user.pk)


@login_required
@require_POST
def user_disable(request: HttpRequest, pk: int) -> HttpResponse:
    """Disable an account."""
    user = account_access.account_for_user(request.user, pk)
    act = lambda: actions.user_disable(by=request.user, user=user)  # noqa: E731
    return _done(request, user, act, _("The account is disabled."))


@login_required
@require_POST
def user_enable(request: HttpRequest, pk: int) -> HttpResponse:
    """Re-enable an account."""
    user = account_access.account_for_user(request.user, pk)
    act = lambda: actions.user_enable(by=request.user, user=user)  # noqa: E731
    return _done(request, user, act, _("The account is enabled again."))


@login_required
@require_POST
def user_password_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """Reset an account's password; its owner must change it at the next login."""
    user = account_access.account_for_user(request.user, pk)
    form = PasswordResetForm(request.POST)
    password = attempt(
        form,
        lambda: actions.user_password_reset(
            by=request.user, user=user, password=form.cleaned_data["password"]
        ),
    )
    if password is not None:
        return _password_shown(request, user, password)
    context = _detail_context(request, user, reset_form=form)
    return render(request, "accounts/user_detail.html", context, status=400)


@login_required
@require_POST
def role_grant(request: HttpRequest, pk: int) -> HttpResponse:
    """Grant the account a role with its scope."""
    user = account_access.account_for_user(request.user, pk)
    form = RoleGrantForm(request.POST)
    granted = attempt(
        form, lambda: actions.role_grant(by=request.user, user=user, **form.cleaned_data)
    )
    if granted is not None:
        messages.success(request, _("Role granted: %(role)s.") % {"role": granted})
        return redirect("accounts:user", pk=user.pk)
    context = _detail_context(request, user, grant_form=form)
    return render(request, "accounts/user_detail.html", context, status=400)


@login_required
@require_POST
def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a role away."""
    role = account_access.role_for_user(request.user, pk)
    act = lambda: actions.role_revoke(by=request.user, role=role)  # noqa: E731
    return _done(request, role.user, act, _("Role revoked: %(role)s.") % {"role": role})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's change page, saving through `password_change` (history, audit, the flag)."""

    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["must_change"] = password_change_due(self.request.user)
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            actions.password_change(
                by=self.request.user, password=form.cleaned_data["new_password1"]
            )
        except ValidationError as error:
            form.add_error("new_password1", error.messages)
            return self.form_invalid(form)
        update_session_auth_hash(self.request, self.request.user)  # type: ignore[arg-type]
        return redirect(self.get_success_url())


password_change = never_cache(login_required(PasswordChangeView.as_view()))


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """One's own notifications, newest first, a page at a time."""
    account_access.require_notifications(request.user)
    page, query = page_of(request, notifications_of(request.user), NOTIFICATIONS_PAGE)
    return render(request, "accounts/notifications.html", {"page": page, "query": query})


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification read (`id`), or all of them."""
    account_access.require_notifications(request.user)
    raw = request.POST.get("id")
    # no id: all of them; an id that is not a number marks none
    ids = None if raw is None else [int(raw)] if raw.isdigit() else []
    actions.notifications_read(by=request.user, ids=ids)
    return redirect("accounts:notifications")
