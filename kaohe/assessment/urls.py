"""URLs under /years/ (the "years" namespace): the years app's pages (kaohe/years/urls.py), the
pages that combine the apps, and the organisation's pages (kaohe/org/urls.py, under org/)."""

from __future__ import annotations

from django.urls import include, path

from kaohe.assessment import views
from kaohe.years import urls as years_urls

app_name = "years"
urlpatterns = [
    *years_urls.urlpatterns,
    path("new/", views.year_new, name="new"),
    path("<int:year>/departments/", views.year_departments, name="departments"),
    path(
        "<int:year>/departments/type-correction/",
        views.year_department_type_correct,
        name="department_type_correct",
    ),
    path("<int:year>/deadlines/", views.year_deadlines, name="deadlines"),
    path("<int:year>/overview/", views.year_overview, name="overview"),
    path("<int:year>/departments/<str:code>/", views.year_department, name="department"),
    path("org/", include("kaohe.org.urls")),
]
