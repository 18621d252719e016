"""Profile the pages of bench/web.py in one process, after warm-up, with cProfile and pstats.

    .venv/bin/python bench/profile_pages.py                 # prepare the database, then profile
    .venv/bin/python bench/profile_pages.py --reuse         # the database of an earlier run
    .venv/bin/python bench/profile_pages.py --only overview --sizes 200 --top 40

It prepares the scratch database as bench/web.py does (`$KAOHE_BENCH_DATABASE`, kept at the end
for --reuse), then for each page: one request to warm this process (the stored result read or
computed, the published version checked), then `--runs` requests timed (median ms), then
`--runs` more under cProfile, printing the functions with the most time of their own and the
most cumulative time. The ballot submission is profiled with a fresh code each request, posted
urlencoded as bench/web.py does; `--bare` profiles the bare app's token POST the same way (its
settings, `bench.bare.settings`, and its tables in the same database).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import web  # noqa: E402  (after the path: run as a script)

FORM = "application/x-www-form-urlencoded"


def _client(session: str) -> Any:
    from django.test import Client

    client = Client(HTTP_ACCEPT_ENCODING="gzip", HTTP_HOST=web.HOST)
    client.cookies.load(session)
    return client


def _login() -> str:
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-office"))
    return f"sessionid={client.cookies['sessionid'].value}"


def _ballot_client(codes: list[str], departments: list[str]) -> tuple[Any, Any]:
    """A voter's client with its CSRF cookie, and a function submitting the next code."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True, HTTP_HOST=web.HOST)
    page = client.get("/v/").content.decode()
    found = web.TOKEN.search(page)
    assert found
    token = found.group(1)
    grades = ("excellent", "good", "fair", "poor", "abstain")
    choices = {f"d:{d}": grades[i % 5] for i, d in enumerate(departments)}
    # urlencoded, as a browser and bench/web.py send it (the test client's default, multipart,
    # costs a third of the request in parsing alone), and encoded before the clock starts
    queue = iter(
        [
            urlencode({"code": c, "step": "submit", **choices, "csrfmiddlewaretoken": token})
            for c in codes
        ]
    )

    def submit() -> Any:
        return client.post("/v/", next(queue), content_type=FORM)

    return client, submit


def bare_token(runs: int, top: int, callers: str) -> dict[str, Any]:
    """The bare app's one-time token POST (bench/bare/views.py `token`), in this process."""
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.bare.settings"
    django.setup()
    from django.db import connection
    from django.test import Client

    from bench.bare.views import SETUP

    with connection.cursor() as cursor:
        for statement in SETUP:
            cursor.execute(statement)
        cursor.execute("TRUNCATE bare_token, bare_ballot")
        cursor.executemany(
            "INSERT INTO bare_token (code, used) VALUES (%s, false)",
            [(f"T{i:08d}",) for i in range(2 * runs + 1)],
        )
    client = Client(HTTP_HOST="127.0.0.1")
    queue = iter(range(2 * runs + 1))

    def submit() -> Any:
        return client.post("/token/", urlencode({"code": f"T{next(queue):08d}"}), content_type=FORM)

    return profile("bare token POST", submit, 302, runs, top, callers)


def profile(
    name: str, call: Any, expect: int, runs: int, top: int, callers: str = ""
) -> dict[str, Any]:
    """Warm, time and profile one page; the figures."""
    first = call()
    if first.status_code != expect:
        raise SystemExit(f"{name}: status {first.status_code}")
    times, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        times.append(1000 * (time.perf_counter() - started))
        cpu.append(1000 * (time.process_time() - started_cpu))
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        call()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    if callers:
        stats.print_callers(callers)
    median, median_cpu = statistics.median(times), statistics.median(cpu)
    print(f"\n===== {name}: median {median:.1f} ms ({median_cpu:.1f} ms CPU) over {runs}")
    print(out.getvalue())
    return {"page": name, "median_ms": median, "cpu_ms": median_cpu, "bytes": len(first.content)}


def main(argv: list[str] | None = None) -> int:
    """Prepare (unless --reuse), profile every page asked for."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="the database of an earlier run")
    parser.add_argument("--sizes", default="20,200", help="departments of each year")
    parser.add_argument("--only", default="", help="figures whose name contains this")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--callers", default="", help="print the callers of these functions")
    parser.add_argument(
        "--bare", action="store_true", help="the bare app's token POST instead (its own tables)"
    )
    args = parser.parse_args(argv)
    if args.bare:
        os.environ.update(web.environment(0))
        f = bare_token(args.runs, args.top, args.callers)
        print(f"{f['median_ms']:>8.1f} ms {f['cpu_ms']:>8.1f} ms CPU  {f['page']}")
        return 0
    sizes = [int(n) for n in args.sizes.split(",")]
    state = web.OUT / f"profile-{web.DATABASE}.json"
    os.environ.update(web.environment(0))
    web.OUT.mkdir(parents=True, exist_ok=True)
    import django

    if not args.reuse:
        web.recreate_database()
        data = web.prepare(sizes, 2000, 100)
        state.write_text(json.dumps(data))
    else:
        django.setup()
        data = json.loads(state.read_text())
        data["session"] = _login()  # a fresh session: the old one may have idled out
    import gc

    from kaohe.core import memory

    gc.freeze()  # as kaohe/wsgi.py does in a server process
    memory.FREEZE = True
    rows = [r for r in web.pages(sizes) if args.only in r[0]]
    client = _client(data["session"])
    figures = []
    for figure, size, path in rows:
        name = f"{figure} {size} {path}"
        figures.append(
            profile(name, lambda p=path: client.get(p), 200, args.runs, args.top, args.callers)
        )
    if args.only in "ballot submit":
        used = set(json.loads(state.read_text()).get("used", []))
        codes = [c for c in data["codes"] if c not in used]
        needed = 2 * args.runs + 1
        _voter, submit = _ballot_client(codes[:needed], data["departments"])
        figures.append(profile("ballot submit", submit, 302, args.runs, args.top, args.callers))
        state.write_text(json.dumps({**data, "used": sorted(used | set(codes[:needed]))}))
    for f in figures:
        print(
            f"{f['median_ms']:>8.1f} ms {f['cpu_ms']:>8.1f} ms CPU {f['bytes']:>7} B  {f['page']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
