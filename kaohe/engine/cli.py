"""`kaohe compute` and `kaohe scheme`: the engine's commands, run without Django.

Exit status: 0 success, 2 bad input (every problem listed on standard error), 1 unexpected failure.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path

from kaohe.engine.atomic import write_output
from kaohe.engine.bundle import load_json, parse_bundle_bytes
from kaohe.engine.compute import compute
from kaohe.engine.output import render_csv, render_json, render_table
from kaohe.engine.problems import InvalidInput
from kaohe.engine.scheme import Scheme, builtin_scheme, builtin_scheme_ids, parse_scheme
from kaohe.engine.schemetext import diff_text, scheme_text

EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(EXIT_BAD_INPUT)


def build_parser() -> argparse.ArgumentParser:
    """Argument parser for the engine's subcommands."""
    parser = _Parser(prog="kaohe", description="kaohe scoring engine commands")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    c = sub.add_parser("compute", help="compute a year's results from a bundle (docs/bundle.md)")
    c.add_argument("bundle", help="bundle JSON file, or - for standard input")
    c.add_argument("--format", choices=["json", "table", "csv"], default="json")
    c.add_argument("-o", "--output", help="write to this file instead of standard output")
    s = sub.add_parser("scheme", help="show or check an assessment scheme")
    ssub = s.add_subparsers(dest="action", required=True, parser_class=_Parser)
    show = ssub.add_parser("show", help="print a scheme readably (default: cz-jxw-2016)")
    show.add_argument(
        "scheme", nargs="?", default="cz-jxw-2016", help="a built-in id or a JSON file"
    )
    check = ssub.add_parser("check", help="validate a scheme file")
    check.add_argument("file")
    diff = ssub.add_parser("diff", help="list what changed from scheme A to scheme B")
    diff.add_argument("a", help="a built-in id, a JSON file or (with the database) a year")
    diff.add_argument("b", help="the same, for the newer scheme")
    return parser


def main(argv: list[str], *, whole_process: bool = False) -> int:
    """Run an engine subcommand; argv starts with the subcommand name. In a `whole_process`,
    a computation ends the process once its output is written."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "compute":
            return _compute(args.bundle, args.format, args.output, whole_process)
        if args.action == "show":
            write_output(scheme_text(_load_scheme(args.scheme)), None)
            return 0
        if args.action == "diff":
            write_output(diff_text(_load_scheme(args.a), _load_scheme(args.b)), None)
            return 0
        scheme = _load_scheme(args.file)
        print(f"{args.file}: scheme {scheme.id} is valid ({len(scheme.rules)} rules)")
        return 0
    except InvalidInput as exc:
        for problem in exc.problems:
            sys.stderr.write(f"error: {problem}\n")
        sys.stderr.write(f"{len(exc.problems)} error(s); nothing was computed or written.\n")
        return EXIT_BAD_INPUT
    except OSError as exc:
        sys.stderr.write(f"error: {exc.strerror or exc}: {exc.filename or ''}\n")
        return EXIT_BAD_INPUT


def _read(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    return Path(path).read_bytes()


def _load_scheme(ref: str) -> Scheme:
    if ref in builtin_scheme_ids() and not Path(ref).exists():
        return builtin_scheme(ref)
    doc = load_json(_read(ref))
    return parse_scheme(doc)


def _compute(path: str, fmt: str, output: str | None, whole_process: bool) -> int:
    # A one-shot process whose millions of decoded objects form no cycles: the cyclic collector's
    # repeated passes over them would cost a quarter of the run and free nothing.
    gc.disable()
    kept: list[object] = []
    bundle = parse_bundle_bytes(_read(path), keep=kept if whole_process else None)
    results = compute(bundle, trail=False)
    if fmt == "json":
        text = render_json(results)
    elif fmt == "csv":
        text = render_csv(results, bundle.scheme)
    else:
        text = render_table(results, bundle.scheme)
    write_output(text, output)
    if whole_process:
        # Freeing the decoded bundle object by object would cost a twentieth of the run; the
        # system takes the process's memory back whole.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
    return 0
