"""`kaohe scheme diff A B` where A or B is a year: what changed from A's scheme to B's.

`kaohe` sends `scheme diff` here when an argument is a year (kaohe/cli.py); with files and
built-in ids only, the engine's command answers without Django.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kaohe.engine import parse_scheme
from kaohe.engine.atomic import write_output
from kaohe.engine.bundle import load_json
from kaohe.engine.problems import InvalidInput
from kaohe.engine.scheme import Scheme
from kaohe.engine.schemetext import diff_text
from kaohe.years.actions import scheme_source_document


def scheme_of(ref: str) -> Scheme:
    """A year's scheme (2016), a JSON file, a built-in or a library scheme's id."""
    if ref.isdigit() and not Path(ref).exists():
        source = f"year:{ref}"
    elif Path(ref).exists():
        return parse_scheme(load_json(Path(ref).read_bytes()))
    else:
        source = f"builtin:{ref}"
    try:
        return parse_scheme(scheme_source_document(source)[1])
    except ValidationError:
        if not source.startswith("builtin:"):
            raise
    return parse_scheme(scheme_source_document(f"library:{ref}")[1])


class Command(BaseCommand):
    """Print a line per change from scheme A to scheme B; exit 0."""

    help = "List what changed from scheme A to scheme B (years, JSON files or scheme ids)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("a", help="a year (2016), a JSON file or a scheme id")
        parser.add_argument("b", help="the same, for the newer scheme")

    def handle(self, *args: Any, **options: Any) -> None:
        schemes = []
        for ref in (options["a"], options["b"]):
            try:
                schemes.append(scheme_of(ref))
            except (InvalidInput, OSError) as exc:
                raise CommandError(f"{ref}: {exc}") from exc
            except ValidationError as exc:
                raise CommandError(f"{ref}: no such year, file or scheme") from exc
        write_output(diff_text(schemes[0], schemes[1]), None)
