"""Two application servers on one PostgreSQL database, written to at once over real HTTP (issue 14.4).

A scratch database (`<DATABASE_URL's name>_two`, `…_two_gw0` under xdist; created and dropped here)
is migrated, holds the personas' year with an open round and its codes, and is served by two
gunicorn processes (KAOHE_DEBUG=0, static files collected). Threads log in on both (CSRF and all)
and, released together: record entries on both; vote, the same code sent to both servers at once;
close the round on both; confirm each entry on both; confirm the results on both. Then the database
holds exactly what the rules allow: codes used = ballots, one closing, one confirmation per entry,
one version, and an audit row per write — and no answer was a 500.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from kaohe.ballots.validation import PREFIX
from tests.web.test_production import free_port
from tests.web.threads import POSTGRES
from tests.workers import per_worker

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not POSTGRES,
        reason="needs PostgreSQL (DATABASE_URL=postgres://…): two servers share one database",
    ),
]


def scratch_url() -> tuple[str, str, str]:
    """(the server's maintenance database URL, the scratch database's URL, its name)."""
    url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    name = per_worker(url.path.lstrip("/") + "_two")
    return url._replace(path="/postgres").geturl(), url._replace(path=f"/{name}").geturl(), name


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    import psycopg

    admin_url, url, name = scratch_url()
    try:
        admin = psycopg.connect(admin_url, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL is not reachable: {error}")
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def environment(url: str, data: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "KAOHE_DEBUG": "0",
        "KAOHE_SECRET_KEY": "two-servers-test-secret-key-" + "x" * 30,
        "KAOHE_DATA_DIR": str(data),
        "DATABASE_URL": url,
        "KAOHE_ALLOWED_HOSTS": HOST,
        "KAOHE_DB_CONN_MAX_AGE": "60",
        # DEBUG off asks the office for its second factor; that has its own tests
        # (tests/web/test_login_security.py), this one is about two servers on one database.
        "KAOHE_OTP_REQUIRED": "0",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def child(env: dict[str, str], command: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.web.servers_child", command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.fixture(scope="module")
def servers(
    database: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[list[int], dict[str, str], dict[str, Any]]]:
    """Two gunicorn servers (two workers each) on the migrated scratch database, and its year."""
    data = tmp_path_factory.mktemp("two-servers")
    env = environment(database, data)
    # migrate and collectstatic side by side (collectstatic needs no database)
    steps = [
        subprocess.Popen(
            [str(BIN / "kaohe"), *step],
            env=env,
            cwd=data,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for step in (["migrate", "--noinput"], ["collectstatic", "--noinput"])
    ]
    for step in steps:
        _out, err = step.communicate(timeout=300)
        assert step.returncode == 0, err
    year = child(env, "setup")
    ports = [free_port(), free_port()]
    processes = [
        subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "kaohe.wsgi:application",
                "--bind",
                f"{HOST}:{port}",
                "-w",
                "2",
            ],
            env=env,
            cwd=data,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        for port in ports:
            wait_for(port)
        yield ports, env, year
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


def wait_for(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            Browser(port).get("/login/")
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"the server on port {port} did not start")


class Browser:
    """One visitor of one server: its cookies, the CSRF token, every answer's status kept."""

    def __init__(self, port: int) -> None:
        self.port, self.cookies = port, {}
        self.statuses: list[int] = []

    def request(
        self, method: str, path: str, data: dict[str, Any] | None = None
    ) -> tuple[int, str, str]:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        headers = {"Host": HOST, "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urllib.parse.urlencode(
                {**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}, doseq=True
            )
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        conn.close()
        self.statuses.append(response.status)
        return response.status, response.getheader("Location") or "", text

    def get(self, path: str) -> tuple[int, str, str]:
        return self.request("GET", path)

    def post(self, path: str, data: dict[str, Any]) -> tuple[int, str, str]:
        if "csrftoken" not in self.cookies:
            self.get("/v/" if path.startswith("/v/") else "/login/")
        return self.request("POST", path, data)

    def login(self, username: str, password: str) -> Browser:
        self.get("/login/")
        status, location, _text = self.post("/login/", {"username": username, "password": password})
        assert status == 302, (status, location)
        return self


def at_once(jobs: list[Callable[[], Any]]) -> list[Any]:
    """Run the jobs on threads released together."""
    barrier = threading.Barrier(len(jobs))

    def run(job: Callable[[], Any]) -> Any:
        barrier.wait(timeout=60)
        return job()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return [f.result(timeout=300) for f in [pool.submit(run, job) for job in jobs]]


def query(url: str, sql: str) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(url) as db:
        return list(db.execute(sql).fetchall())


def count(url: str, sql: str) -> int:
    return int(query(url, sql)[0][0])


ENTRY = {
    "office": "ZH",
    "department": "JS",
    "rule": "1.report_missed",
    "period": "H1",
    "count": "1",
}


def test_two_servers_write_to_one_database_and_every_invariant_holds(
    servers: tuple[list[int], dict[str, str], dict[str, Any]],
) -> None:
    ports, env, year = servers
    url = env["DATABASE_URL"]
    users, password = year["users"], year["password"]

    def on_both(user: str) -> list[Browser]:
        return [Browser(port).login(users[user], password) for port in ports]

    clerks, offices, parties = on_both("clerk_zh"), on_both("office"), on_both("party")
    browsers: list[Browser] = [*clerks, *offices, *parties]

    # entries: six recorded through both servers at once, and a once-a-year rule posted to both
    def record(b: Browser, n: int) -> Callable[[], tuple[int, str, str]]:
        data = {**ENTRY, "description": f"第{n}次", "action": "submit"}
        return lambda: b.post("/ledger/2016/entries/new/", data)

    once = {**ENTRY, "rule": "2.topic_unmet", "period": "year", "action": "submit"}
    answers = at_once(
        [record(clerks[n % 2], n) for n in range(6)]
        + [lambda b=b: b.post("/ledger/2016/entries/new/", once) for b in clerks]
    )
    assert [a[0] for a in answers[:6]] == [302] * 6
    assert sorted(a[0] for a in answers[6:]) == [200, 302]  # one stored, one told why not
    assert count(url, "SELECT count(*) FROM ledger_entry") == 7
    refs = [r[0] for r in query(url, "SELECT ref FROM ledger_entry ORDER BY ref")]
    assert refs == [f"2016-{n:05d}" for n in range(1, 8)]  # consecutive across both servers

    # ballots: the first code sent to both servers at once, six more spread over both
    codes, departments = year["codes"], year["departments"]
    ballot = {PREFIX + d: "good" for d in departments}
    voters = [Browser(ports[n % 2]) for n in range(8)]
    votes = at_once(
        [
            lambda v=v: v.post("/v/", {**ballot, "code": codes[0], "step": "submit"})
            for v in voters[:2]
        ]
        + [
            lambda v=v, c=c: v.post("/v/", {**ballot, "code": c, "step": "submit"})
            for v, c in zip(voters[2:], codes[1:7], strict=True)
        ]
    )
    thanked = [v for v in votes if v[0] == 302 and v[1] == "/v/thanks/"]
    assert len(thanked) == 7  # one of the two submissions of the first code, and the six others
    assert count(url, "SELECT count(*) FROM ballots_ballot") == 7
    assert count(url, "SELECT count(*) FROM ballots_ballotcode WHERE used") == 7

    # the round closed on both servers at once: once
    at_once([lambda b=b: b.post(f"/ballots/rounds/{year['round']}/close/", {}) for b in offices])
    assert query(url, f"SELECT status FROM ballots_round WHERE id = {year['round']}") == [
        ("closed",)
    ]
    assert count(url, "SELECT count(*) FROM ballots_ballot") == 7

    # every entry confirmed on both servers at once: each once
    entries = [r[0] for r in query(url, "SELECT id FROM ledger_entry ORDER BY id")]
    at_once(
        [
            lambda b=b, e=e: b.post(f"/ledger/entries/{e}/confirm/", {})
            for e in entries
            for b in offices
        ]
    )
    assert count(url, "SELECT count(*) FROM ledger_entry WHERE status = 'confirmed'") == 7

    # the results confirmed on both servers at once: one version
    child(env, "rounds")
    proposal = child(env, "proposal")
    confirm = {**proposal, "meeting": "委党组会议"}  # the digest, and every tie kept whole
    published = at_once([lambda b=b: b.post("/results/2016/confirm/", confirm) for b in parties])
    assert sorted(p[0] for p in published) == [200, 302], [
        re.findall(r"<li>([^<]+)</li>", p[2])[-8:] for p in published
    ]
    assert query(url, "SELECT number FROM results_publication") == [(1,)]

    # the invariants, and an audit row for every write
    audit = dict(query(url, "SELECT action, count(*) FROM audit_auditevent GROUP BY action"))
    assert audit["entry_record"] == 7
    assert audit["entry_confirm"] == 7
    assert audit["round_close"] == 1
    assert audit["publication_confirm"] == 1
    voted = f"round_id = {year['round']}"
    assert count(url, f"SELECT count(*) FROM ballots_ballotcode WHERE used AND {voted}") == count(
        url, f"SELECT count(*) FROM ballots_ballot WHERE {voted}"
    )
    statuses = Counter(s for b in [*browsers, *voters] for s in b.statuses)
    assert 500 not in statuses, statuses
    verify = subprocess.run(
        [str(BIN / "kaohe"), "verify"], env=env, capture_output=True, text=True, timeout=120
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
