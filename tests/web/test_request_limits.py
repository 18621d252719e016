"""Request bodies over the view's limit are refused before they are read (issue 9 §5)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kaohe.ledger.models import Entry, Evidence
from tests.web.conftest import World
from tests.web.files_support import PDF

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
TOO_LARGE = "提交的内容超过了本页面可接受的大小"


@pytest.fixture(autouse=True)
def isolated_media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def declared(client: Client, url: str, size: int) -> Any:
    """A POST declaring a body of `size` bytes (a few bytes are sent): only the header counts."""
    return client.post(
        url, data=b"x=1", content_type="application/x-www-form-urlencoded", CONTENT_LENGTH=str(size)
    )


@pytest.mark.parametrize("url", ["/login/", "/v/"])
def test_a_200_mb_body_to_a_form_is_refused_unread(url: str) -> None:
    # CSRF checks on: a view (or the CSRF check) reading the body would answer 403 or 200
    response = declared(Client(enforce_csrf_checks=True), url, 200 * MB)
    assert response.status_code == 413
    assert TOO_LARGE in response.content.decode()


def test_a_body_sent_whole_over_the_form_limit_is_refused() -> None:
    response = Client().post("/login/", {"username": "x", "password": "y" * (3 * MB)})
    assert response.status_code == 413


def test_a_form_within_its_limit_is_served() -> None:
    response = Client().post("/login/", {"username": "x", "password": "y" * 1000})
    assert response.status_code == 200  # the login form again, with its error


def new_entry(files: list[Any]) -> dict[str, Any]:
    return {
        "office": "ZH",
        "department": "JS",
        "rule": "1.report_missed",
        "period": "H1",
        "count": "1",
        "action": "submit",
        "evidence_files": files,
    }


def test_views_that_take_files_accept_files_over_the_form_limit(world: World) -> None:
    # given a 3 MB scan, larger than any form but within the upload limit
    scan = SimpleUploadedFile("扫描件.pdf", PDF + b"0" * (3 * MB), content_type="application/pdf")
    response = world.client(world.clerk_zh).post("/ledger/2016/entries/new/", new_entry([scan]))
    assert response.status_code == 302
    assert Evidence.objects.get().size > 3 * MB


def test_views_that_take_files_refuse_bodies_over_the_upload_limit(world: World) -> None:
    response = declared(world.client(world.clerk_zh), "/ledger/2016/entries/new/", 101 * MB)
    assert response.status_code == 413
    assert "最多 100 MB" in response.content.decode()
    assert not Entry.objects.exists()
