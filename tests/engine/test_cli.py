"""`kaohe compute` (bundle.md): exit status, stdout, stderr, -o, formats; bad input never a traceback."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kaohe.engine.cli import main
from tests.engine.builders import ballot, bundle, department, entry, printed

Doc = dict[str, Any]


def good() -> Doc:
    """A small valid bundle."""
    return bundle(
        [department("ZH", "general", "综合处"), department("JS", "service", "技术进步处")],
        entries=[entry("JS", "2.paper_national", "H1", modifiers=["short"])],
        ballots=[ballot("leader", "year", {"ZH": "good", "JS": "excellent"})],
    )


def bad() -> Doc:
    """A bundle with three errors, one of them the bundle.md example."""
    doc = good()
    doc["entries"] = [entry("JS", "4.study_absence", "H1") for _ in range(12)]
    doc["entries"].append(entry("JS", "1.target_unmet", "year", amount="7"))
    doc["ballots"].append(ballot("democratic", "H2", {"ZH": "good"}))
    doc["vetoes"] = [{"department": "JS", "reason": "late"}]
    return doc


def write(tmp_path: Path, doc: Doc | bytes, name: str = "bundle.json") -> Path:
    path = tmp_path / name
    data = doc if isinstance(doc, bytes) else json.dumps(doc, ensure_ascii=False).encode("utf-8")
    path.write_bytes(data)
    return path


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the engine's command line in this process."""
    try:
        status = main(list(args))
    except SystemExit as exc:  # argparse errors
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def kaohe(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run `kaohe` as its own process."""
    return subprocess.run(
        [sys.executable, "-m", "kaohe.cli", *args], input=stdin, capture_output=True, check=False
    )


def test_compute_prints_the_results_document(tmp_path: Path, capsys: Any) -> None:
    # given a valid bundle file
    path = write(tmp_path, good())
    # when computed as JSON
    status, out, err = run_cli(capsys, "compute", str(path), "--format", "json")
    # then exit 0 and exactly the results document on stdout
    assert status == 0, err
    assert json.loads(out) == printed(good())
    assert json.loads(out)["format"] == "kaohe-results/1"


def test_compute_defaults_to_json(tmp_path: Path, capsys: Any) -> None:
    # given a valid bundle / when computed without --format / then JSON
    status, out, _ = run_cli(capsys, "compute", str(write(tmp_path, good())))
    assert status == 0
    assert json.loads(out) == printed(good())


def test_compute_writes_to_the_output_file(tmp_path: Path, capsys: Any) -> None:
    # given a valid bundle and -o
    target = tmp_path / "results.json"
    # when computed
    status, out, _ = run_cli(capsys, "compute", str(write(tmp_path, good())), "-o", str(target))
    # then the file holds the document and stdout is empty
    assert status == 0
    assert out == ""
    assert json.loads(target.read_text(encoding="utf-8")) == printed(good())


def test_compute_reads_standard_input() -> None:
    # given a valid bundle on standard input
    data = json.dumps(good(), ensure_ascii=False).encode("utf-8")
    # when computed from -
    proc = kaohe("compute", "-", "--format", "json", stdin=data)
    # then the results
    assert proc.returncode == 0, proc.stderr.decode()
    assert json.loads(proc.stdout) == printed(good())


@pytest.mark.parametrize("fmt", ["table", "csv"])
def test_compute_other_formats(tmp_path: Path, capsys: Any, fmt: str) -> None:
    # given a valid bundle / when computed as table or CSV
    status, out, _ = run_cli(capsys, "compute", str(write(tmp_path, good())), "--format", fmt)
    # then exit 0 with the departments' names and totals
    assert status == 0
    assert "综合处" in out and "技术进步处" in out
    for row in printed(good())["departments"]:
        assert row["total"] in out


# OWASP CSV injection: a cell starting with one of these is a formula to a spreadsheet.
CSV_PAYLOADS = [
    "=1+1",
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example/")',
    "+1+1",
    "-1+1",
    "@SUM(1)",
    "\tx",
    "\rx",
]


@pytest.mark.parametrize("payload", CSV_PAYLOADS)
def test_csv_writes_user_text_after_an_apostrophe(
    tmp_path: Path, capsys: Any, payload: str
) -> None:
    # given a department whose code and name start like a formula
    doc = good()
    doc["departments"][0]["name"] = payload
    doc["departments"][0]["code"] = payload
    doc["ballots"][0]["grades"] = {payload: "good", "JS": "excellent"}
    # when computed as CSV
    status, out, err = run_cli(capsys, "compute", str(write(tmp_path, doc)), "--format", "csv")
    # then both cells start with an apostrophe, and no cell of the file starts like a formula
    assert status == 0, err
    rows = list(csv.reader(io.StringIO(out, newline="")))
    row = next(r for r in rows if r[1] != "JS" and r[1] != "代码")
    assert row[1:3] == ["'" + payload, "'" + payload]
    starts = ("=", "+", "@", "\t", "\r")
    assert not [cell for r in rows for cell in r if cell.startswith(starts)]


def test_csv_quotes_a_carriage_return_within_a_name(tmp_path: Path, capsys: Any) -> None:
    # given a name with a bare CR inside (a reader would take it for the end of a line)
    doc = good()
    doc["departments"][0]["name"] = "综合\r处"
    status, out, _ = run_cli(capsys, "compute", str(write(tmp_path, doc)), "--format", "csv")
    # then it is quoted, and the file still reads as a header and two rows
    assert status == 0
    assert '"综合\r处"' in out
    assert len(list(csv.reader(io.StringIO(out, newline="")))) == 3


def test_csv_keeps_the_products_negative_numbers(tmp_path: Path, capsys: Any) -> None:
    # given an adjustment that makes a negative figure
    doc = good()
    doc["adjustments"] = [{"department": "ZH", "amount": "-1.5", "reason": "党组研究决定"}]
    status, out, _ = run_cli(capsys, "compute", str(write(tmp_path, doc)), "--format", "csv")
    # then the product's number is written as the number it is
    assert status == 0
    zh = next(r for r in csv.reader(io.StringIO(out, newline="")) if r[1] == "ZH")
    assert zh[-4] == "-1.50"


def test_bad_bundle_exits_2_and_lists_every_error(tmp_path: Path, capsys: Any) -> None:
    # given a bundle with three errors
    path = write(tmp_path, bad())
    # when computed
    status, out, err = run_cli(capsys, "compute", str(path), "--format", "json")
    # then exit 2, nothing on stdout, every error on stderr with its location
    assert status == 2
    assert out == ""
    assert "entries[12]: rule 1.target_unmet needs an amount between 1 and 5, got 7" in err
    assert "ballots[1].round" in err
    assert "vetoes[0].reason" in err
    assert "3 error(s)" in err


def test_bad_bundle_writes_nothing_with_output(tmp_path: Path, capsys: Any) -> None:
    # given a bad bundle and an output path, new or existing
    new = tmp_path / "new.json"
    old = tmp_path / "old.json"
    old.write_text("previous results", encoding="utf-8")
    path = write(tmp_path, bad())
    # when computed into each
    for target in (new, old):
        status, out, _ = run_cli(capsys, "compute", str(path), "-o", str(target))
        # then exit 2 and nothing written
        assert status == 2
        assert out == ""
    assert not new.exists()
    assert old.read_text(encoding="utf-8") == "previous results"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bundle.json", "old.json"]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\xff\xfe\x00garbage",
        b"{",
        b"[]",
        b"null",
        b'{"format": "kaohe-bundle/1"}',
        b'{"departments": [{"code": "\\ud800", "type": "general"}], "format": "kaohe-bundle/1", '
        b'"year": 2016, "scheme": "cz-jxw-2016"}',
        b"[" * 50_000,
        bytes(range(256)),
    ],
    ids=[
        "empty",
        "not-utf8",
        "not-json",
        "array",
        "null",
        "incomplete",
        "surrogate",
        "deep",
        "all-bytes",
    ],
)
def test_garbage_exits_2_without_traceback(tmp_path: Path, data: bytes) -> None:
    # given bytes that are not a valid bundle
    path = write(tmp_path, data)
    target = tmp_path / "out.json"
    # when computed as a process
    proc = kaohe("compute", str(path), "--format", "json", "-o", str(target))
    # then exit 2, an error line, no traceback, nothing written
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 2, err
    assert "Traceback" not in err
    assert "error:" in err
    assert not target.exists()


def test_lone_surrogate_in_a_department_name_is_bad_input(tmp_path: Path) -> None:
    # given a valid bundle whose department name is a lone surrogate escape
    text = json.dumps(good(), ensure_ascii=False).replace("综合处", "\\udc00", 1)
    path = write(tmp_path, text.encode("utf-8"))
    # when computed as a table (where names are printed)
    proc = kaohe("compute", str(path), "--format", "table")
    # then exit 2 naming the field
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 2, err
    assert "departments[0].name" in err
    assert "Traceback" not in err


def test_missing_file_exits_2(tmp_path: Path, capsys: Any) -> None:
    # given a path with no file / when computed / then exit 2 with an error
    status, out, err = run_cli(capsys, "compute", str(tmp_path / "nope.json"))
    assert status == 2
    assert out == ""
    assert "error" in err


def test_directory_as_bundle_exits_2(tmp_path: Path, capsys: Any) -> None:
    # given a directory / when computed / then exit 2
    status, _, err = run_cli(capsys, "compute", str(tmp_path))
    assert status == 2
    assert "error" in err


def test_unknown_format_option_exits_2(tmp_path: Path, capsys: Any) -> None:
    # given --format xml / when run / then exit 2
    status, out, _ = run_cli(capsys, "compute", str(write(tmp_path, good())), "--format", "xml")
    assert status == 2
    assert out == ""


def test_bundle_md_example_errors_as_a_process(tmp_path: Path) -> None:
    # given the bad bundle / when computed as a process
    proc = kaohe("compute", str(write(tmp_path, bad())), "--format", "json")
    # then every error line starts with its location and no traceback appears
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 2
    assert proc.stdout == b""
    lines = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(lines) == 3
    assert "error: entries[12]: rule 1.target_unmet needs an amount between 1 and 5, got 7" in lines
    assert "Traceback" not in err


def test_scheme_show_prints_the_builtin_scheme(capsys: Any) -> None:
    # given the built-in scheme / when shown / then its name and items appear
    status, out, _ = run_cli(capsys, "scheme", "show")
    assert status == 0
    assert "常州市经信委机关内设机构考核(试行)办法" in out
    assert "获先进集体、先进个人等荣誉" in out
