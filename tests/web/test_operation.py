"""Operation (issue 9 §7): errors logged without secrets, private file modes, production hosts."""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.test import Client, RequestFactory

from kaohe.ballots import vote_views
from kaohe.files import sqlite_private
from kaohe.logs import PrivateRotatingFileHandler, Redact

ROOT = Path(__file__).resolve().parents[2]
CODE = "7KQ2-M9XD-4H8P-W3ZR-K6TN-2BCF-9VYA"
PASSWORD = "Zhang-Pass-2016!"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def file_handler() -> PrivateRotatingFileHandler:
    [handler] = [h for h in logging.getLogger("django").handlers if h.name == "file"]
    assert isinstance(handler, PrivateRotatingFileHandler)
    return handler


@pytest.mark.django_db
def test_a_failing_request_is_logged_with_its_traceback_and_without_its_secrets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(raw: str) -> Any:
        raise RuntimeError(f"lookup failed for {raw} (password {PASSWORD})")

    monkeypatch.setattr(vote_views.actions, "voter_code_find", broken)
    log = Path(file_handler().baseFilename)
    start = log.stat().st_size if log.exists() else 0
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "s3ss10n-value-abcdef"
    response = client.post("/v/", {"code": CODE, "password": PASSWORD, "step": "code"})
    assert response.status_code == 500
    error = re.search(r"错误编号 ([0-9a-f]{8})", response.content.decode())
    assert error is not None
    with log.open(encoding="utf-8") as f:
        f.seek(start)
        written = f.read()
    assert f"[error {error.group(1)}]" in written
    assert "Traceback" in written and "RuntimeError: lookup failed for [redacted]" in written
    for secret in (CODE, CODE.replace("-", ""), PASSWORD, "s3ss10n-value-abcdef"):
        assert secret not in written
    assert mode(log) == 0o640 and mode(log.parent) & 0o007 == 0


def test_the_filter_removes_post_values_cookies_csrf_and_ballot_codes() -> None:
    request = RequestFactory().post(
        "/login/",
        {"username": "zhang", "password": PASSWORD, "csrfmiddlewaretoken": "tok3n-abcdefgh"},
        HTTP_X_CSRFTOKEN="h3ader-token-xyz",
    )
    request.COOKIES = {"csrftoken": "c00kie-token-123", "sessionid": "s3ss10n-value"}
    assert request.POST  # parsed, as the CSRF middleware parses every POST it lets through
    try:
        raise ValueError(f"{PASSWORD} c00kie-token-123 h3ader-token-xyz {CODE.lower()}")
    except ValueError:
        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Error: %s", ("tok3n-abcdefgh",), None
        )
        record.exc_info = sys.exc_info()
    record.request = request
    assert Redact().filter(record)
    text = logging.Formatter().format(record)
    for secret in (PASSWORD, "tok3n-abcdefgh", "c00kie-token-123", "h3ader-token-xyz", CODE):
        assert secret.lower() not in text.lower()
    assert "ValueError" in text and record.request is None
    bare = logging.LogRecord("kaohe", logging.WARNING, __file__, 1, f"code {CODE}", (), None)
    Redact().filter(bare)
    assert bare.getMessage() == "code [redacted]"


def test_log_files_and_their_directory_are_not_world_readable(tmp_path: Path) -> None:
    handler = PrivateRotatingFileHandler(str(tmp_path / "logs" / "kaohe.log"), delay=True)
    handler.emit(logging.LogRecord("kaohe", logging.ERROR, __file__, 1, "boom", (), None))
    handler.close()
    assert mode(tmp_path / "logs" / "kaohe.log") == 0o640
    assert mode(tmp_path / "logs") & 0o027 == 0


def test_the_sqlite_file_and_its_companions_are_made_private(tmp_path: Path) -> None:
    name = tmp_path / "kaohe.sqlite3"
    sqlite3.connect(name).execute("create table t (x)").connection.close()
    for path in (name, Path(f"{name}-wal")):
        path.touch()
        os.chmod(path, 0o644)

    class Connection:
        vendor = "sqlite"
        settings_dict = {"NAME": str(name)}

    sqlite_private(None, Connection())
    assert mode(name) == 0o600 and mode(Path(f"{name}-wal")) == 0o600


def test_uploaded_files_are_not_world_readable(tmp_path: Path, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    storage = FileSystemStorage(location=tmp_path)
    name = storage.save("evidence/ab/abcdef", ContentFile(b"%PDF-1.4"))
    assert mode(tmp_path / name) == 0o640
    assert mode(tmp_path / "evidence") == 0o750


def settings_in_a_process(**env: str) -> str:
    code = "from django.conf import settings; import django; django.setup(); print(settings.ALLOWED_HOSTS)"
    full = {**os.environ, "DJANGO_SETTINGS_MODULE": "kaohe.settings", **env}
    full.pop("KAOHE_ALLOWED_HOSTS", None)
    done = subprocess.run(
        [sys.executable, "-c", code], env=full, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_testserver_is_a_host_in_development_only(tmp_path: Path) -> None:
    production = settings_in_a_process(
        KAOHE_DEBUG="0", KAOHE_SECRET_KEY="x" * 50, KAOHE_DATA_DIR=str(tmp_path)
    )
    assert production == "['127.0.0.1', 'localhost']"
    development = settings_in_a_process(KAOHE_DEBUG="1", KAOHE_DATA_DIR=str(tmp_path))
    assert "testserver" in development
