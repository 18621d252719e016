"""`kaohe demo` loads the demo year and a login for every role, and can run again."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from kaohe.accounts.models import Role, RoleKind
from kaohe.assessment.management.commands.demo import DEMO_PASSWORD, DEMO_USERS
from kaohe.audit.choices import AuditAction
from kaohe.audit.models import AuditEvent
from kaohe.years.models import SchemeDocument, Year

pytestmark = pytest.mark.django_db


def test_demo_loads_the_year_and_a_login_for_every_role(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("demo")
    call_command("demo")  # a second run changes nothing and does not fail
    out = capsys.readouterr().out
    assert Year.objects.filter(year=2016).count() == 1
    assert SchemeDocument.objects.filter(scheme_id="cz-jxw-2016").exists()
    assert {r.kind for r in Role.objects.all()} == set(RoleKind.values)
    assert Role.objects.count() == len(DEMO_USERS)
    for username, *_ in DEMO_USERS:
        assert username in out
        assert Client().login(username=username, password=DEMO_PASSWORD)
    head = Role.objects.get(kind=RoleKind.DEPARTMENT_HEAD)
    assert head.department is not None
    assert head.department.years.filter(year__year=2016).exists()


def test_demo_logins_work_at_once_in_development(
    capsys: pytest.CaptureFixture[str], settings: Any
) -> None:
    from django.urls import reverse

    # given development mode (KAOHE_DEBUG=1, make run): the demo logins open their pages at once
    call_command("demo")
    assert "must be changed" not in capsys.readouterr().out
    client = Client()
    assert client.login(username="kaoheban", password=DEMO_PASSWORD)
    assert client.get(reverse("home")).status_code == 200
    # one login per administrator too, listed with the others
    for kind in (RoleKind.SYSTEM_ADMIN, RoleKind.SECURITY_ADMIN, RoleKind.AUDIT_ADMIN):
        assert Role.objects.filter(kind=kind).count() == 1


def test_demo_logins_must_change_in_production(
    settings: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from django.urls import reverse

    # given production mode (KAOHE_DEMO_MUST_CHANGE follows KAOHE_DEBUG=0): the shared password
    # must be changed at each login's first use, and the demo says so
    settings.KAOHE_DEMO_MUST_CHANGE = True
    call_command("demo")
    assert "the shared password must be changed" in capsys.readouterr().out
    assert Client().login(username="kaoheban", password=DEMO_PASSWORD)
    client = Client()
    client.login(username="kaoheban", password=DEMO_PASSWORD)
    assert client.get(reverse("home"))["Location"] == reverse("accounts:password_change")


def test_demo_names_the_address_the_server_will_listen_on(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # given make run on another port, when the demo is loaded, then its last line names that port
    call_command("demo", address="127.0.0.1:8115")
    assert "Open http://127.0.0.1:8115/ and log in." in capsys.readouterr().out


def test_demo_on_every_interface_names_an_address_a_browser_can_open(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # given make run HOST=0.0.0.0 (every interface), when the demo is loaded
    call_command("demo", address="0.0.0.0:8001")
    out = capsys.readouterr().out
    # then it names this machine's address, not 0.0.0.0, and what other computers need
    assert "Open http://127.0.0.1:8001/ and log in" in out
    assert "http://0.0.0.0" not in out
    assert "KAOHE_ALLOWED_HOSTS" in out


def test_the_readme_documents_how_make_run_is_configured() -> None:
    # given the Makefile's defaults for make run
    root = Path(__file__).resolve().parents[2]
    makefile = (root / "Makefile").read_text(encoding="utf-8")
    host = re.search(r"^HOST \?= (\S+)$", makefile, re.M)
    port = re.search(r"^PORT \?= (\S+)$", makefile, re.M)
    assert host and port
    # then the README's first command names them, how to change them, and the data directory
    first = (root / "README.md").read_text(encoding="utf-8").split("\n## ")[0]
    assert f"http://{host[1]}:{port[1]}" in first
    assert "make run PORT=8001 HOST=0.0.0.0" in first
    assert "KAOHE_DATA_DIR" in first
    assert "KAOHE_ALLOWED_HOSTS" in first


def test_the_demo_stores_the_builtin_schemes_through_an_audited_action() -> None:
    # given a fresh database, when the demo is loaded twice
    call_command("demo")
    call_command("demo")
    # then each shipped scheme is stored once, with one audit row for it
    stored = AuditEvent.objects.filter(action=AuditAction.SCHEMES_BUILTIN_STORE)
    assert [e.target_id for e in stored] == ["cz-jxw-2016"]
    assert SchemeDocument.objects.filter(scheme_id="cz-jxw-2016").count() == 1
