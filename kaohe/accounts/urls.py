"""URLs of the accounts app: one's own password, and the administrators' account pages."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from kaohe.accounts import security_views, views

app_name = "accounts"
urlpatterns = [
    path("password/", views.password_change, name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("users/", views.users, name="users"),
    path("users/new/", views.user_new, name="user_new"),
    path("users/<int:pk>/", views.user_detail, name="user"),
    path("users/<int:pk>/disable/", views.user_disable, name="user_disable"),
    path("users/<int:pk>/enable/", views.user_enable, name="user_enable"),
    path("users/<int:pk>/password/", views.user_password_reset, name="user_password_reset"),
    path("users/<int:pk>/roles/", views.role_grant, name="role_grant"),
    path("roles/<int:pk>/revoke/", views.role_revoke, name="role_revoke"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("second-factor/", security_views.otp_enrol, name="otp_enrol"),
    path("second-factor/verify/", security_views.otp_verify, name="otp_verify"),
    path(
        "users/<int:pk>/second-factor/reset/",
        security_views.second_factor_reset,
        name="second_factor_reset",
    ),
    path("security/", security_views.security_policy, name="security_policy"),
    path("lockouts/", security_views.lockouts, name="lockouts"),
    path("lockouts/clear/", security_views.lockout_clear, name="lockout_clear"),
    path("logins/", security_views.login_records, name="login_records"),
    path("logins/export/", security_views.login_records_export, name="login_records_export"),
]
