"""The production path, as deployed: KAOHE_DEBUG=0, migrate, collectstatic, `kaohe serve`.

Pages must be styled and htmx must load (WhiteNoise serves the collected, hashed, compressed
files), errors are the Chinese pages, and the data directory's files are not world-readable.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import stat
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path, str]]:
    """A production copy on SQLite in a fresh data directory, served by gunicorn on 127.0.0.1."""
    data = tmp_path_factory.mktemp("production")
    env = {
        **os.environ,
        "KAOHE_DEBUG": "0",
        "KAOHE_SECRET_KEY": "production-test-secret-key-" + "x" * 30,
        "KAOHE_DATA_DIR": str(data),
        "DATABASE_URL": f"sqlite:///{data / 'kaohe.sqlite3'}",
        "KAOHE_ALLOWED_HOSTS": HOST,
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)

    def kaohe(*args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [str(BIN / "kaohe"), *args],
            env={**env, "PYTHONUNBUFFERED": "1"},
            cwd=data,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def finished(command: subprocess.Popen[str], first: str = "") -> str:
        out, err = command.communicate(timeout=300)
        assert command.returncode == 0, err
        return first + out + err

    # migrate runs the system checks first, then says "Operations to perform:"; from then on
    # collectstatic may fill STATIC_ROOT beside it (the two take about as long)
    migrate = kaohe("migrate", "--noinput")
    assert migrate.stdout is not None
    first = migrate.stdout.readline()
    assert first.startswith("Operations to perform"), first
    collect = kaohe("collectstatic", "--noinput")
    checked = finished(migrate, first)
    finished(collect)
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "kaohe"), "serve", "--bind", f"{HOST}:{port}", "--workers", "1"],
        env=env,
        cwd=data,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                get(port, "/login/")
                break
            except OSError:
                time.sleep(0.2)
        assert server.poll() is None, "kaohe serve did not start"
        yield port, data, checked
    finally:
        server.terminate()
        server.wait(timeout=30)


def get(port: int, path: str, **headers: str) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    conn.request("GET", path, headers={"Host": HOST, **headers})
    response = conn.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    return response


def test_the_checks_warn_until_static_files_are_collected(served: tuple[int, Path, str]) -> None:
    _port, _data, checked = served
    assert "kaohe.W001" in checked and "collectstatic" in checked


def test_pages_load_their_styles_and_htmx(served: tuple[int, Path, str]) -> None:
    port, _data, _checked = served
    login = get(port, "/login/")
    html = login.body.decode()  # type: ignore[attr-defined]
    assert login.status == 200 and "登录" in html
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert any(re.search(r"site\.[0-9a-f]{12}\.css$", a) for a in assets)
    assert any(re.search(r"htmx-2\.min\.[0-9a-f]{12}\.js$", a) for a in assets)
    for asset in assets:
        served_file = get(port, asset, **{"Accept-Encoding": "gzip"})
        assert served_file.status == 200
        assert served_file.getheader("Content-Encoding") == "gzip"
        assert "immutable" in (served_file.getheader("Cache-Control") or "")


def test_a_missing_page_is_the_chinese_page(served: tuple[int, Path, str]) -> None:
    port, _data, _checked = served
    missing = get(port, "/no-such-page/")
    body = missing.body.decode()  # type: ignore[attr-defined]
    assert missing.status == 404 and "页面不存在" in body
    assert re.search(r"site\.[0-9a-f]{12}\.css", body)  # styled like every page
    assert get(port, "/static/core/no-such.css").status == 404


def test_the_data_directory_is_not_world_readable(served: tuple[int, Path, str]) -> None:
    port, data, _checked = served
    get(port, "/no-such-page/")  # a warning in the log
    modes = {
        path.relative_to(data).as_posix(): stat.S_IMODE(path.stat().st_mode)
        for path in [data / "kaohe.sqlite3", data / "logs", data / "logs" / "kaohe.log"]
    }
    assert modes == {"kaohe.sqlite3": 0o600, "logs": 0o750, "logs/kaohe.log": 0o640}


def test_favicon_ico_leads_to_the_served_icon(served: tuple[int, Path, str]) -> None:
    port, _data, _checked = served
    redirect = get(port, "/favicon.ico")
    assert redirect.status == 302
    location = redirect.getheader("Location") or ""
    assert re.fullmatch(r"/static/core/favicon\.[0-9a-f]{12}\.svg", location), location
    icon = get(port, location)
    assert icon.status == 200
    assert icon.getheader("Content-Type", "").startswith("image/svg+xml")
    assert icon.body.startswith(b"<svg")  # type: ignore[attr-defined]


def test_pages_carry_the_security_headers(served: tuple[int, Path, str]) -> None:
    port, _data, _checked = served
    login = get(port, "/login/")
    csp = login.getheader("Content-Security-Policy") or ""
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'"):
        assert directive in csp
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert login.getheader("X-Frame-Options") == "DENY"
    assert login.getheader("X-Content-Type-Options") == "nosniff"
    assert login.getheader("Referrer-Policy") == "same-origin"
    # served over plain HTTP here (an intranet without TLS): no HSTS, no redirect
    assert login.status == 200 and login.getheader("Strict-Transport-Security") is None


# The production settings docs/deploy.md documents (behind nginx terminating TLS).
DOCUMENTED = {
    "KAOHE_DEBUG": "0",
    "KAOHE_SECRET_KEY": "a-production-secret-key-of-fifty-characters-or-more-Xq7",
    "KAOHE_ALLOWED_HOSTS": "kaohe.example.gov.cn",
    "KAOHE_CSRF_TRUSTED_ORIGINS": "https://kaohe.example.gov.cn",
    "KAOHE_SECURE_COOKIES": "1",
    "KAOHE_SSL_REDIRECT": "1",
    "KAOHE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
    "KAOHE_HSTS_SECONDS": "31536000",
    "KAOHE_HSTS_INCLUDE_SUBDOMAINS": "1",
}


def test_check_deploy_gives_no_warning_with_the_documented_settings(
    served: tuple[int, Path, str],
) -> None:
    _port, data, _checked = served  # its data directory: migrated, static files collected
    env = {**os.environ, **DOCUMENTED, "KAOHE_DATA_DIR": str(data)}
    env["DATABASE_URL"] = f"sqlite:///{data / 'kaohe.sqlite3'}"
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # the browser tests' setting, not production's
    done = subprocess.run(
        [str(BIN / "kaohe"), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=data,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    # security.W021 (HSTS preload) is silenced in kaohe/settings.py: an intranet name is never on
    # the browsers' preload list
    assert "System check identified no issues (1 silenced)." in done.stdout + done.stderr
    documented = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    for name, value in DOCUMENTED.items():
        if name != "KAOHE_SECRET_KEY":
            assert f"{name}={value}" in documented, name


def test_check_deploy_warns_without_them(served: tuple[int, Path, str]) -> None:
    _port, data, _checked = served
    env = {**os.environ, "KAOHE_DEBUG": "0", "KAOHE_DATA_DIR": str(data)}
    env["KAOHE_SECRET_KEY"] = DOCUMENTED["KAOHE_SECRET_KEY"]
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [str(BIN / "kaohe"), "check", "--deploy"],
        env=env,
        cwd=data,
        capture_output=True,
        text=True,
        timeout=120,
    )
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in done.stderr + done.stdout


def test_every_setting_is_in_the_readme_table() -> None:
    source = (ROOT / "kaohe" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z0-9_]+)"', source))
    assert {"KAOHE_HSTS_SECONDS", "KAOHE_S3_BUCKET", "KAOHE_BIND"} <= names
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Configuration") : readme.index("## Running in production")]
    assert sorted(n for n in names if f"`{n}`" not in table) == []
    assert "(docs/deploy.md)" in readme
