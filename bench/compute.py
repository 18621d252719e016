"""Benchmark `kaohe compute` on a city-scale year bundle, as a whole process.

    .venv/bin/python bench/compute.py                       # scale 1, 5 runs
    .venv/bin/python bench/compute.py --scale 0.1,0.5,1,2   # one row per scale, to see linearity

Scale 1 is 1,000 departments, 100,000 entries over every rule of `cz-jxw-2016`, two democratic
rounds of 300 voters (H1 and year end), 100 style voters, 10 leaders, every ballot rating every
department it may. Entries carry the scored fields only, unless --export-fields adds what
`kaohe export` writes besides (id and office on every entry, some descriptions and persons).
Departments and entries grow with the scale; the number of voters does not, so the bundle grows
linearly with the scale. The bundle is written to bench/out/ (git-ignored) and
`kaohe compute BUNDLE --format json` is timed end to end (start-up, reading, validation, computing,
output); peak memory is the child's maximum resident set size, from wait4().
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
KAOHE = ROOT / ".venv" / "bin" / "kaohe"
SCHEME = ROOT / "kaohe" / "engine" / "data" / "cz-jxw-2016.json"

DEPARTMENTS = 1000
ENTRIES = 100_000
VOTERS = {("democratic", "H1"): 300, ("democratic", "year"): 300, ("style", "year"): 100}
LEADERS = 10
GRADES = ("excellent", "good", "fair", "poor")
VETO_REASONS = ("staff_investigated", "criticised", "act_revoked", "dereliction")
# How often a rule is used, relative to the others: lateness and absences are common, leaks rare.
FREQUENT = {"11.late_early": 12, "4.study_absence": 10, "5.training_absence": 8,
            "1.report_missed": 6, "3.news_municipal": 8, "3.news_provincial": 4,
            "12.website_missed": 6, "8.late_material": 6, "14.overdue_item": 5,
            "6.participation": 5, "2.paper_municipal": 3, "2.paper_provincial": 2,
            "11.leave_violation": 3, "18.individual_city": 2, "17.praised_meeting": 2}  # fmt: skip
PERSON_UNITS = {"人次"}


def scheme_rules() -> list[dict[str, Any]]:
    """The rules of the built-in scheme, each with its item number and category."""
    doc = json.loads(SCHEME.read_text(encoding="utf-8"))
    return [
        {**rule, "item": item["number"], "category": category["code"]}
        for category in doc["categories"]
        for item in category["items"]
        for rule in item["rules"]
    ]


def make_bundle(
    *,
    departments: int = DEPARTMENTS,
    entries: int = ENTRIES,
    seed: int = 2016,
    export_fields: bool = False,
) -> dict[str, Any]:
    """A valid year bundle of the given size, the same for the same arguments.

    With `export_fields`, entries also carry what `kaohe export` writes besides the scored
    fields (id and office always, some descriptions and persons); the scores are the same.
    """
    rng = random.Random(seed)
    deps = _departments(rng, departments)
    rules = scheme_rules()
    doc: dict[str, Any] = {
        "format": "kaohe-bundle/1",
        "year": 2016,
        "scheme": "cz-jxw-2016",
        "departments": deps,
        "entries": list(_entries(rng, deps, rules, entries)),
        "ballots": _ballots(rng, deps),
        "adjustments": _adjustments(rng, deps),
        "vetoes": _vetoes(rng, deps),
        "previous_ranks": _previous_ranks(rng, deps),
    }
    if export_fields:
        _add_export_fields(random.Random(seed + 1), doc["entries"], rules)
    return doc


def _departments(rng: random.Random, n: int) -> list[dict[str, Any]]:
    out = []
    for i in range(1, n + 1):
        dep: dict[str, Any] = {
            "code": f"D{i:04d}",
            "name": f"第{i}处",
            "type": "service" if rng.random() < 0.6 else "general",
        }
        if i % 50 == 0:  # the sections of a bureau, like 无线电管理处's
            dep["parent"] = f"D{i - 1:04d}"
        out.append(dep)
    return out


def _entries(
    rng: random.Random, deps: list[dict[str, Any]], rules: list[dict[str, Any]], n: int
) -> Iterator[dict[str, Any]]:
    """Once-a-year and shortfall entries within their limits, then the other rules, weighted."""
    made = 0
    codes = [d["code"] for d in deps]
    limited = [r for r in rules if r.get("once_a_year") or r["kind"] == "shortfall"]
    free = [r for r in rules if r not in limited]
    for code in codes:
        for rule in limited:
            periods = ("H1", "H2") if rule["kind"] == "shortfall" else ("year",)
            for period in periods:
                chance = 0.8 if rule["kind"] == "shortfall" else 0.1
                if made < n and (code == codes[0] or rng.random() < chance):
                    made += 1
                    yield _entry(rng, code, rule, period)
    # Some departments are much busier than others; every rule and modifier is used at least once.
    activity = [rng.paretovariate(2.0) for _ in codes]
    weights = [FREQUENT.get(r["id"], 1) for r in free]
    every = [(r, m) for r in free for m in ("", *sorted(r.get("modifiers", {})))]
    picked_deps = rng.choices(codes, weights=activity, k=n - made)
    more = rng.choices(free, weights=weights, k=max(0, n - made - len(every)))
    picked_rules = [*every, *((r, None) for r in more)][: n - made]
    for code, (rule, modifier) in zip(picked_deps, picked_rules, strict=True):
        made += 1
        yield _entry(rng, code, rule, rng.choice(("H1", "H2", "year")), modifier)


def _entry(
    rng: random.Random,
    code: str,
    rule: dict[str, Any],
    period: str,
    modifier: str | None = None,
) -> dict[str, Any]:
    """One entry; `modifier` "" for none, None for a chance of one."""
    e: dict[str, Any] = {"department": code, "rule": rule["id"], "period": period}
    if rule["kind"] == "shortfall":
        e["actual"] = rng.randint(0, 8)
    elif not rule.get("once_a_year") and rng.random() < 0.3:
        e["count"] = rng.randint(1, 4)
    if rule["kind"] == "range":
        low, high = float(rule["min"]), float(rule["max"])
        steps = int((high - low) * 2)
        value = low + rng.randint(0, steps) / 2
        # Decided amounts as decimal strings, now and then as a JSON integer.
        e["amount"] = int(value) if value.is_integer() and rng.random() < 0.3 else f"{value:g}"
    if modifier is None and rule.get("modifiers") and rng.random() < 0.3:
        modifier = rng.choice(sorted(rule["modifiers"]))
    if modifier:
        e["modifiers"] = [modifier]
    if rule["direction"] == "bonus" and rng.random() < 0.25:
        e["same_work"] = f"work-{rng.randint(1, 20):02d}"
    return e


def _add_export_fields(
    rng: random.Random, entries: list[dict[str, Any]], rules: list[dict[str, Any]]
) -> None:
    """The fields kaohe export adds to each entry: id, the recording office, and now and then
    the persons concerned and a description."""
    by_id = {r["id"]: r for r in rules}
    for serial, e in enumerate(entries, start=1):
        rule = by_id[e["rule"]]
        e["id"] = f"2016-{serial:06d}"
        e["office"] = rng.choice(rule["offices"])
        if rule["unit"] in PERSON_UNITS and rng.random() < 0.2:
            e["persons"] = [f"P{rng.randint(1, 20000):05d}" for _ in range(e.get("count", 1))]
        if rng.random() < 0.1:
            e["description"] = f"{rule['name'][:12]}(第{serial}号记录)"


def _ballots(rng: random.Random, deps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every voter grades every department it may; better departments get better grades."""
    quality = {d["code"]: rng.random() for d in deps}
    ballots = []
    rounds = [*VOTERS.items(), (("leader", "year"), LEADERS)]
    for (kind, period), voters in rounds:
        rated = [d["code"] for d in deps if kind != "style" or d["type"] == "service"]
        for _ in range(voters):
            grades = {code: _grade(rng, quality[code]) for code in rated}
            ballot: dict[str, Any] = {"kind": kind, "round": period, "grades": grades}
            if kind == "style":
                ballot["group"] = rng.choice(("辖市区经信局", "企业代表"))
            ballots.append(ballot)
    return ballots


def _grade(rng: random.Random, quality: float) -> str:
    x = quality + rng.gauss(0, 0.35)
    return GRADES[0 if x > 0.7 else 1 if x > 0.3 else 2 if x > -0.1 else 3]


def _adjustments(rng: random.Random, deps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    chosen = rng.sample(deps, max(1, len(deps) // 30))
    return [
        {
            "department": d["code"],
            "amount": rng.choice(("-2", "-1.5", "-0.5", "0.5", "1", "1.25", "3")),
            "reason": "党组研究决定:重点工作表现",
            "meeting": f"2017年第{rng.randint(1, 6)}次党组会",
        }
        for d in chosen
    ]


def _vetoes(rng: random.Random, deps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    chosen = rng.sample(deps, max(1, len(deps) // 60))
    return [
        {"department": d["code"], "reason": rng.choice(VETO_REASONS), "note": "通报文号见附件"}
        for d in chosen
    ]


def _previous_ranks(rng: random.Random, deps: list[dict[str, Any]]) -> dict[str, int]:
    """Last year's ranks for all but the departments new this year (one in twenty)."""
    old = [d["code"] for d in deps if rng.random() >= 0.05]
    ranks = list(range(1, len(old) + 1))
    rng.shuffle(ranks)
    return dict(zip(old, ranks, strict=True))


def write_bundle(doc: dict[str, Any], path: Path) -> None:
    """Write a bundle as the product writes JSON (UTF-8, Chinese as is, indented by 2)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def kaohe_command() -> list[str]:
    """The `kaohe` console script of the project's .venv, else this Python's kaohe.cli."""
    return [str(KAOHE)] if KAOHE.exists() else [sys.executable, "-m", "kaohe.cli"]


def run_once(bundle: Path, output: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and peak RSS (bytes) of one `kaohe compute BUNDLE --format json`."""
    with output.open("wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [*kaohe_command(), "compute", str(bundle), "--format", "json"],
            stdout=out,
            stderr=subprocess.PIPE,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    assert proc.stderr is not None
    errors = proc.stderr.read().decode()
    proc.stderr.close()
    if proc.returncode != 0:
        raise SystemExit(f"kaohe compute failed with status {proc.returncode}:\n{errors}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024  # Linux: KiB


def check_results(output: Path, summary: dict[str, Any]) -> None:
    """The results are well formed: every department once, in rank order, figures as 2 places."""
    results = json.loads(output.read_text(encoding="utf-8"))
    deps = results["departments"]
    assert results["format"] == "kaohe-results/1" and results["year"] == summary["year"]
    assert len(deps) == summary["departments"], f"{len(deps)} departments in the output"
    assert sorted(d["code"] for d in deps) == summary["codes"]
    ranks = [d["rank"] for d in deps]
    assert ranks == sorted(ranks) and ranks[0] == 1
    for d in deps:
        figures = [*d["categories"].values(), *d["evaluation"].values(), d["total"], d["content"]]
        assert all(len(f.rsplit(".", 1)[1]) == 2 for f in figures), d
    assert sum("advanced" in d["honors"] for d in deps) >= 5


def generate(scale: float, seed: int, path: Path, export_fields: bool) -> dict[str, Any]:
    """Write the bundle of one scale to `path`; a summary of what it holds."""
    doc = make_bundle(
        departments=round(DEPARTMENTS * scale),
        entries=round(ENTRIES * scale),
        seed=seed,
        export_fields=export_fields,
    )
    write_bundle(doc, path)
    return {
        "year": doc["year"],
        "departments": len(doc["departments"]),
        "codes": sorted(d["code"] for d in doc["departments"]),
        "entries": len(doc["entries"]),
        "grades": sum(len(b["grades"]) for b in doc["ballots"]),
    }


def bench(
    scale: float, runs: int, seed: int, out: Path = OUT, export_fields: bool = False
) -> dict[str, Any]:
    """Generate the bundle of one scale in `out` and time `runs` runs of kaohe compute on it."""
    name = f"{scale:g}-export" if export_fields else f"{scale:g}"
    bundle = out / f"bundle-{name}.json"
    # Generated in a child process: forked from a parent holding the whole document, each timed
    # run would start with (and report) hundreds of MiB that are not its own.
    summary = json.loads(
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--generate",
                str(bundle),
                f"--scale={scale}",
                f"--seed={seed}",
                *(["--export-fields"] if export_fields else []),
            ],
            check=True,
            capture_output=True,
        ).stdout
    )
    output = out / f"results-{name}.json"
    times, cpus, peaks, texts = [], [], [], set()
    for _ in range(runs):
        wall, cpu, peak = run_once(bundle, output)
        times.append(wall)
        cpus.append(cpu)
        peaks.append(peak)
        texts.add(output.read_bytes())
    assert len(texts) == 1, "runs gave different results"
    check_results(output, summary)
    return {
        **summary,
        "scale": scale,
        "mb": bundle.stat().st_size / 1e6,
        "median": statistics.median(times),
        "max": max(times),
        "cpu": statistics.median(cpus),
        "peak_mib": max(peaks) / 2**20,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print one line per scale."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="1", help="comma-separated scales, e.g. 0.1,0.5,1,2")
    parser.add_argument("--runs", type=int, default=5, help="runs per scale (default 5)")
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument(
        "--export-fields",
        action="store_true",
        help="entries also carry what kaohe export writes: id, office, some descriptions, persons",
    )
    parser.add_argument("--generate", metavar="PATH", help="only write the bundle to PATH")
    args = parser.parse_args(argv)
    scales = [float(s) for s in args.scale.split(",")]
    if args.generate:
        summary = generate(scales[0], args.seed, Path(args.generate), args.export_fields)
        print(json.dumps(summary))
        return 0
    print(
        f"kaohe compute, {args.runs} runs per scale, {os.cpu_count()} cores, Python"
        f" {sys.version.split()[0]}, load average {os.getloadavg()[0]:.2f}"
        + (", entries with export fields" if args.export_fields else "")
    )
    print(
        f"{'scale':>5} {'depts':>6} {'entries':>8} {'grades':>8} {'MB':>6}"
        f" {'median s':>9} {'max s':>6} {'cpu s':>6} {'peak MiB':>9} {'cpu ms/MB':>10}"
    )
    for scale in scales:
        r = bench(scale, args.runs, args.seed, export_fields=args.export_fields)
        print(
            f"{r['scale']:>5g} {r['departments']:>6} {r['entries']:>8} {r['grades']:>8}"
            f" {r['mb']:>6.1f} {r['median']:>9.3f} {r['max']:>6.3f} {r['cpu']:>6.3f}"
            f" {r['peak_mib']:>9.0f} {1000 * r['cpu'] / r['mb']:>10.1f}",
            flush=True,
        )
    # Other work on the machine slows wall time (and some CPU time): say how busy it was.
    print("load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
