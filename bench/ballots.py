"""Benchmark the voter's page: gunicorn on PostgreSQL, voters on 127.0.0.1, one ballot each.

    .venv/bin/python bench/ballots.py                  # 500 submissions at 50/s, then 500 voters
    .venv/bin/python bench/ballots.py --ballots 200 --rate 20 --workers 3

It creates (and drops first) the database `kaohe_bench_ballots` (or `$KAOHE_BENCH_DATABASE`) on
postgres://postgres@127.0.0.1:5432, migrates it, opens a democratic round over 20 departments with
one voter group, issues the codes, and serves the app with gunicorn (DEBUG off, persistent database
connections). A voter does what a phone does: GET /v/ (CSRF cookie and token), POST the code (the
ballot page), POST the choices for review, POST them to submit. At the end the round is closed, which
seals it (docs/ballots.md): the closing's time, VACUUM included, is reported too.

Phase 1, the target: 500 voters reach the review page, then their submissions arrive on a fixed
schedule of 50 a second (open loop: a slow server cannot slow the arrivals down); latency is the
submitting request's. Phase 2: 500 more voters do all four requests, 16 at a time, as fast as the
server goes; latency is the whole voter's. Reported per phase: ballots per second, p50, p99 and max
latency, errors (any unexpected answer or exception; must be 0); and ballots stored against ballots
accepted and codes used. Figures go to stdout and to bench/out/ballots.json.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SERVER = "postgres://postgres@127.0.0.1:5432"
DATABASE = os.environ.get("KAOHE_BENCH_DATABASE", "kaohe_bench_ballots")
HOST = "127.0.0.1"
GRADES = ("excellent", "good", "fair", "poor", "abstain")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def environment(port: int) -> dict[str, str]:
    """The settings of the served app and of this process's own Django set-up."""
    return {
        **os.environ,
        "DATABASE_URL": f"{SERVER}/{DATABASE}",
        "DJANGO_SETTINGS_MODULE": "kaohe.settings",
        "KAOHE_DEBUG": "0",
        "KAOHE_SECRET_KEY": "bench-only-secret-key-not-for-production",
        "KAOHE_ALLOWED_HOSTS": HOST,
        "KAOHE_DB_CONN_MAX_AGE": "60",
        "KAOHE_DATA_DIR": str(OUT / "ballots-data"),
        "KAOHE_BALLOT_PUBLIC_URL": f"http://{HOST}:{port}/v/",
    }


def recreate_database() -> None:
    """Drop and create the bench database."""
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DATABASE}"')


def prepare(codes: int) -> tuple[list[str], list[str]]:
    """Migrate, create a year of 20 departments, open a round and issue codes: (codes, departments)."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from kaohe.accounts.models import Role
    from kaohe.ballots import actions
    from kaohe.engine import builtin_scheme
    from kaohe.org.models import Department
    from kaohe.years.models import Year, YearDepartment

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # the pages' CSS and htmx
    scheme = builtin_scheme("cz-jxw-2016")
    year = Year.objects.create(
        year=2017, scheme_id=scheme.id, scheme_document=dict(scheme.document)
    )
    for i in range(20):
        kind = "service" if i < 14 else "general"
        d = Department.objects.create(code=f"D{i:02d}", name=f"第{i}处", type=kind)
        YearDepartment.objects.create(year=year, department=d, type=kind)
    office = get_user_model().objects.create(username="bench-office")
    Role.objects.create(user=office, kind="assessment_office")
    round = actions.round_open(
        by=office, year=year, kind="democratic", period="year", groups=[("中层干部", codes)]
    )
    issued = [c.code for c in actions.codes_issue(by=office, round=round)]
    return issued, [d["code"] for d in round.departments]


def start_gunicorn(port: int, workers: int) -> subprocess.Popen[bytes]:
    """Serve the app; wait until it answers."""
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "kaohe.wsgi:application",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=environment(port),
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/v/")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


class Voter:
    """One phone: a CSRF cookie, then the code, the review and the submission."""

    def __init__(self, port: int, code: str, departments: list[str], seed: int) -> None:
        self.port, self.code, self.departments = port, code, departments
        self.rng = random.Random(seed)
        self.cookie = ""
        self.token = ""
        self.choices: dict[str, str] = {}

    def request(self, method: str, data: dict[str, str] | None = None) -> tuple[int, str, str]:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        body = None
        if data is not None:
            body = urlencode({**data, "csrfmiddlewaretoken": self.token})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, "/v/", body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode()
        cookie = response.getheader("Set-Cookie") or ""
        conn.close()
        if cookie.startswith("csrftoken="):
            self.cookie = cookie.split(";")[0]
        return response.status, text, response.getheader("Location") or ""

    def prepare(self) -> str | None:
        """Scan, enter the code, review: the three requests before the submission (or an error)."""
        status, page, _ = self.request("GET")
        found = TOKEN.search(page)
        if status != 200 or not found:
            return f"GET /v/ answered {status}"
        self.token = found.group(1)
        status, page, _ = self.request("POST", {"code": self.code, "step": "code"})
        if status != 200 or 'name="d:' not in page:
            return f"code step answered {status}"
        self.choices = {f"d:{d}": self.rng.choice(GRADES) for d in self.departments}
        status, page, _ = self.request(
            "POST", {"code": self.code, "step": "review", **self.choices}
        )
        return None if status == 200 else f"review answered {status}"

    def submit(self) -> dict[str, Any]:
        """The submission, timed."""
        started = time.perf_counter()
        data = {"code": self.code, "step": "submit", **self.choices}
        status, _, location = self.request("POST", data)
        done = time.perf_counter()
        if status != 302 or location != "/v/thanks/":
            return {"error": f"submit answered {status}"}
        return {"latency": done - started, "start": started, "end": done}

    def vote(self) -> dict[str, Any]:
        """All four requests, timed together."""
        started = time.perf_counter()
        error = self.prepare()
        if error:
            return {"error": error}
        outcome = self.submit()
        if "error" not in outcome:
            outcome.update(latency=outcome["end"] - started, start=started)
        return outcome


def guarded(job: Any) -> dict[str, Any]:
    """A refused connection or a timeout counts as an error, not a crash of the bench."""
    try:
        outcome: dict[str, Any] = job()
        return outcome
    except Exception as error:
        return {"error": repr(error)}


def summary(mode: str, results: list[dict[str, Any]], first: float | None = None) -> dict[str, Any]:
    """Throughput, latency percentiles and errors of one phase."""
    ok = [r for r in results if "error" not in r]
    errors = [r["error"] for r in results if "error" in r]
    if not ok:
        return {
            "mode": mode,
            "ballots_accepted": 0,
            "errors": len(errors),
            "error_samples": errors[:5],
        }
    start = first if first is not None else min(r["start"] for r in ok)
    elapsed = max(r["end"] for r in ok) - start
    latency = sorted(r["latency"] for r in ok)
    return {
        "mode": mode,
        "ballots_accepted": len(ok),
        "errors": len(errors),
        "error_samples": sorted(set(errors))[:5],
        "seconds": round(elapsed, 2),
        "ballots_per_second": round(len(ok) / elapsed, 1),
        "p50_ms": round(1000 * statistics.median(latency), 1),
        "p99_ms": round(1000 * latency[int(0.99 * (len(latency) - 1))], 1),
        "max_ms": round(1000 * latency[-1], 1),
    }


def paced_submissions(port: int, codes: list[str], departments: list[str], rate: float) -> Any:
    """Voters get to the review page first; then their submissions arrive at `rate` per second."""
    voters = [Voter(port, code, departments, i) for i, code in enumerate(codes)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        errors = [e for e in pool.map(lambda v: guarded(lambda: {"e": v.prepare()}), voters)]
    failed = [e for e in errors if e.get("e") or "error" in e]
    if failed:
        return {"mode": "paced", "errors": len(failed), "error_samples": failed[:5]}
    t0 = time.perf_counter() + 0.5

    def one(i: int, voter: Voter) -> dict[str, Any]:
        delay = t0 + i / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        return guarded(voter.submit)

    with ThreadPoolExecutor(max_workers=64) as pool:
        results = list(pool.map(one, range(len(voters)), voters))
    return summary(f"{len(voters)} submissions paced at {rate:g}/s", results, first=t0)


def whole_flows(port: int, codes: list[str], departments: list[str], concurrency: int) -> Any:
    """Whole voters (four requests each), `concurrency` at a time, as fast as they go."""
    voters = [Voter(port, code, departments, i) for i, code in enumerate(codes)]
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(lambda v: guarded(v.vote), voters))
    return summary(f"{len(voters)} whole voters, {concurrency} at a time", results)


def close_round() -> dict[str, Any]:
    """Close the bench's round: check, tally, seal and VACUUM, timed."""
    from kaohe.ballots import actions
    from kaohe.ballots.models import Round

    opened = Round.objects.get()
    started = time.perf_counter()
    closed = actions.round_close(by=opened.opened_by, round=opened)
    seconds = time.perf_counter() - started
    closed.refresh_from_db()
    return {
        "ballots": (closed.tally or {}).get("ballots"),
        "seconds": round(seconds, 2),
        "vacuum_pending": closed.vacuum_pending,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ballots", type=int, default=500, help="ballots per phase")
    parser.add_argument("--rate", type=float, default=50.0, help="voters per second, paced phase")
    parser.add_argument("--workers", type=int, default=5, help="gunicorn sync workers")
    parser.add_argument("--concurrency", type=int, default=16, help="voters at once, 2nd phase")
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    os.environ.update(environment(args.port))
    sys.path.insert(0, str(ROOT))
    recreate_database()
    codes, departments = prepare(2 * args.ballots)
    server = start_gunicorn(args.port, args.workers)
    try:
        phases = [
            paced_submissions(args.port, codes[: args.ballots], departments, args.rate),
            whole_flows(args.port, codes[args.ballots :], departments, args.concurrency),
        ]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    from kaohe.ballots.models import Ballot, BallotCode

    stored = Ballot.objects.count()
    codes_used = BallotCode.objects.filter(used=True).count()
    closing = close_round()
    accepted = sum(p["ballots_accepted"] for p in phases)
    report = {
        "departments": len(departments),
        "gunicorn_workers": args.workers,
        "cpus": os.cpu_count(),
        "phases": phases,
        "ballots_stored": stored,
        "ballots_accepted": accepted,
        "codes_used": codes_used,
        "closing": closing,
        "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()],
    }
    (OUT / "ballots.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(json.dumps(report, indent=2, ensure_ascii=False))
    ok = stored == accepted == codes_used == closing["ballots"] and not closing["vacuum_pending"]
    ok = ok and not any(p["errors"] for p in phases)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
