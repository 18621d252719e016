"""URL configuration: one include per app."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kaohe.accounts.security_views import LoginView
from kaohe.assessment import home
from kaohe.core import views as core_views

urlpatterns = [
    path("", home.home, name="home"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("kaohe.accounts.urls")),
    path("years/", include("kaohe.assessment.urls")),
    path("ledger/", include("kaohe.ledger.urls")),
    path("ballots/", include("kaohe.ballots.urls")),
    path("v/", include("kaohe.ballots.vote_urls")),
    path("targets/", include("kaohe.targets.urls")),
    path("results/", include("kaohe.results.urls")),
    path("audit/", include("kaohe.assessment.audit_urls")),
    path("admin/", admin.site.urls),
]

# The Chinese error pages (kaohe/core/errors.py); with DEBUG on, its middleware shows the 404.
handler400 = "kaohe.core.errors.bad_request"
handler403 = "kaohe.core.errors.permission_denied"
handler404 = "kaohe.core.errors.page_not_found"
handler500 = "kaohe.core.errors.server_error"
