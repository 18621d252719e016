"""Django's admin only shows kaohe's data (issue 13.6): every write goes through the actions,
which keep the audit trail; an import is built from the apps' import actions, each audited."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory

from kaohe.assessment.bundle_io import year_import
from kaohe.audit.models import AuditEvent
from kaohe.demo import demo_bundle_document
from kaohe.engine import parse_bundle
from kaohe.ledger import actions as ledger_actions
from kaohe.org.models import Department, Person
from tests.web.conftest import World

pytestmark = pytest.mark.django_db

KAOHE_MODELS = [m for m in admin.site._registry if m.__module__.startswith("kaohe.")]


def _superuser() -> object:
    return get_user_model().objects.create_superuser("admin", password="admin-password-123")


def test_every_kaohe_model_in_the_admin_is_read_only() -> None:
    request = RequestFactory().get("/admin/")
    request.user = _superuser()
    assert len(KAOHE_MODELS) >= 10
    for model in KAOHE_MODELS:
        model_admin = admin.site._registry[model]
        refused = [
            model_admin.has_add_permission(request),
            model_admin.has_change_permission(request),
            model_admin.has_delete_permission(request),
        ]
        assert refused == [False, False, False], model
        for inline in model_admin.get_inline_instances(request):
            assert not inline.has_add_permission(request, None), (model, inline)
            assert not inline.has_change_permission(request), (model, inline)
            assert not inline.has_delete_permission(request), (model, inline)


def test_an_admin_post_to_a_department_or_a_person_is_refused(world: World) -> None:
    client = Client()
    client.force_login(_superuser())
    person = Person.objects.create(department=world.js, name="张三")
    staff = sorted(Person.objects.values_list("name", flat=True))
    for url, data in (
        ("/admin/org/department/add/", {"code": "NEW", "name": "新处", "type": "service"}),
        (f"/admin/org/department/{world.js.pk}/change/", {"code": "JS", "name": "改名"}),
        (f"/admin/org/department/{world.js.pk}/delete/", {"post": "yes"}),
        ("/admin/org/person/add/", {"department": world.js.pk, "name": "李四"}),
        (f"/admin/org/person/{person.pk}/delete/", {"post": "yes"}),
    ):
        assert client.post(url, data).status_code == 403, url
    assert not Department.objects.filter(code="NEW").exists()
    assert Department.objects.get(pk=world.js.pk).name == world.js.name
    assert sorted(Person.objects.values_list("name", flat=True)) == staff


def test_an_import_is_written_by_the_apps_import_actions_each_audited() -> None:
    bundle = parse_bundle(demo_bundle_document())
    year = year_import(by=None, bundle=bundle)
    actions = list(
        AuditEvent.objects.filter(target_type="year", year=year.year).values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["entries_import", "results_import", "rounds_import", "year_import"]
    created = set(
        AuditEvent.objects.filter(action="department_create").values_list("target_id", flat=True)
    )
    assert created == {d.code for d in bundle.departments}
    entries = AuditEvent.objects.get(action="entries_import")
    assert entries.after == {"entries": len(bundle.entries)}
    persons = {p for e in bundle.entries for p in e.extra.get("persons", [])}
    assert AuditEvent.objects.filter(action="person_add").count() == len(persons) > 0


def test_the_import_actions_refuse_a_user_in_the_web(world: World) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        ledger_actions.entries_import(by=world.office, year=world.year, entries=[])
    assert not AuditEvent.objects.filter(action="entries_import").exists()


def test_accounts_roles_departments_and_staff_are_read_only_in_the_admin(world: World) -> None:
    from django.contrib.auth.models import Group

    from kaohe.accounts.models import Role

    assert get_user_model() in admin.site._registry
    assert Group not in admin.site._registry  # kaohe uses roles, not groups
    for model in (get_user_model(), Role, Department, Person):
        assert model in KAOHE_MODELS or model is get_user_model(), model
    client = Client()
    client.force_login(_superuser())
    role = Role.objects.get(user=world.head_js)
    users = sorted(get_user_model().objects.values_list("username", "is_active", "password"))
    for url, data in (
        ("/admin/auth/user/add/", {"username": "x", "password1": "Aa-123456789"}),
        (f"/admin/auth/user/{world.office.pk}/change/", {"username": "renamed"}),
        (f"/admin/auth/user/{world.office.pk}/delete/", {"post": "yes"}),
        ("/admin/accounts/role/add/", {"user": world.office.pk, "kind": "party_group"}),
        (f"/admin/accounts/role/{role.pk}/delete/", {"post": "yes"}),
    ):
        assert client.post(url, data).status_code in {403, 404}, url
    # no password form: the admin's catch-all sends the POST on to the read-only page
    password_url = f"/admin/auth/user/{world.office.pk}/password/"
    client.post(password_url, {"password1": "Aa-123456789", "password2": "Aa-123456789"})
    assert client.get("/admin/auth/group/").status_code == 404
    assert client.get("/admin/auth/user/").status_code == 200
    after = sorted(get_user_model().objects.values_list("username", "is_active", "password"))
    assert after == users
    assert Role.objects.filter(pk=role.pk).exists()
    assert not Role.objects.filter(user=world.office, kind="party_group").exists()
