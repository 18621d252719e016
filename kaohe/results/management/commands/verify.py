"""`kaohe verify [--year Y]`: check every published version's seal, chain and figures."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from kaohe.engine.atomic import write_output
from kaohe.results.actions import seal_breach_record
from kaohe.results.models import Publication
from kaohe.results.seal import CURRENT, FORMATS, SealBroken, canonical_json
from kaohe.results.verify import VersionCheck, guards_missing, version_checks, versions_gone


class Command(BaseCommand):
    """Exit 0 when every version holds (a line per version), 2 listing each broken one."""

    help = (
        "Check every published version: its seal over the stored record, the chain of its "
        "year, and the engine's results for its stored inputs (docs/verify.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="only this year's versions")
        parser.add_argument(
            "--record",
            type=int,
            metavar="N",
            help="write version N's canonical record instead (with --year): its SHA-256 is the seal",
        )
        parser.add_argument("-o", "--output", help="with --record: write it to this file")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override("en"):
            if options["record"] is not None:
                self._record(options["year"], options["record"], options.get("output"))
                return
            if not self._verify(options["year"]):
                raise SystemExit(2)

    def _verify(self, year: int | None) -> bool:
        checks = version_checks(year)
        for check in checks:
            self._report(check)
        missing = guards_missing()
        for problem in missing:
            self.stderr.write(f"error: database guard {problem}")
        gone = versions_gone(year)
        for year_number, number in gone:
            self.stderr.write(
                f"error: {year_number} version {number}: published (audit trail) but no longer stored"
            )
        broken = [c for c in checks if not c.holds] + gone
        seal_problems = [p for c in checks for p in c.seal_problems]
        if seal_problems:
            seal_breach_record(by=None, broken=SealBroken(seal_problems))
        if not checks:
            self.stdout.write("no published version" + (f" of {year}" if year else ""))
        self.stdout.write(
            f"{len(checks)} version(s) checked, {len(broken)} broken; "
            f"database guards {'missing' if missing else 'in place'}"
        )
        return not broken and not missing

    def _report(self, check: VersionCheck) -> None:
        p = check.publication
        where = f"{p.year.year} version {p.number}"
        if check.holds:
            departments = len(p.results["departments"])
            self.stdout.write(f"{where}: ok, seal {p.seal}, {departments} departments recomputed")
            return
        self.stdout.write(f"{where}: BROKEN")
        for problem in check.seal_problems:
            self.stderr.write(f"error: {where}: {problem.text()}")
        for text in check.problems:
            self.stderr.write(f"error: {where}: {text}")

    def _record(self, year: int | None, number: int, output: str | None) -> None:
        versions = Publication.objects.select_related("year", "confirmed_by")
        p = None if year is None else versions.filter(year__year=year, number=number).first()
        if p is None:
            self.stderr.write(f"error: no version {number} of {year} in this database")
            raise SystemExit(2)
        record = FORMATS.get(p.seal_format, CURRENT).record(p)
        text = canonical_json(record)
        if output is None:
            self.stdout.write(text, ending="")
        else:
            write_output(text, output)
