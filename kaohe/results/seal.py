"""The seal of a published version: SHA-256 over its whole canonical record, chained per year.

docs/verify.md is the human-readable form of this module: the record is one JSON object with a
key per column of the version's row (the columns listed in `SEAL_V1.sealed`, each written as
its encoder says), in the canonical JSON text the inputs' digest uses; the seal is the SHA-256 of
that text. `previous_seal` is one of the columns: the seal of the year's version before, or
GENESIS for version 1, so altering an earlier version breaks every later link.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

# The previous seal of every year's first version: 64 zeros.
GENESIS = "0" * 64
# How many hex digits of the seal a printed copy carries (64 bits).
PRINTED = 16


def canonical_json(doc: Any) -> str:
    """The canonical JSON text of a document: sorted keys, no spaces, UTF-8 characters kept."""
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def digest_of(doc: Any) -> str:
    """SHA-256 of the document's canonical JSON text (UTF-8): the digest of a version's inputs."""
    return hashlib.sha256(canonical_json(doc).encode("utf-8")).hexdigest()


# --- how each column is written into the record ----------------------------------------------


def as_stored(value: Any) -> Any:
    """Text, integers and JSON documents: written as they are."""
    return value


def iso_date(value: datetime.date | None) -> str | None:
    """A date as YYYY-MM-DD, or null."""
    return None if value is None else value.isoformat()


def utc_time(value: datetime.datetime) -> str:
    """A moment in UTC with microseconds: 2017-01-20T01:30:00.000000Z."""
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def year_number(year: Any) -> int:
    """The assessment year by its number (2016), not by a row id."""
    return int(year.year)


def login_name(user: Any) -> str:
    """A person by login name, as the audit trail names them."""
    return str(user.username)


@dataclass(frozen=True)
class RecordFormat:
    """One definition of the canonical record; a released format never changes its sealed
    columns (a later column either joins a new format or is listed as excluded)."""

    name: str
    sealed: Mapping[str, Callable[[Any], Any]]
    excluded: Mapping[str, str]

    def record(self, publication: Any) -> dict[str, Any]:
        """The version's canonical record in this format."""
        return {name: encode(getattr(publication, name)) for name, encode in self.sealed.items()}

    def seal(self, publication: Any) -> str:
        """SHA-256 of the record's canonical JSON text."""
        return digest_of(self.record(publication))

    def unlisted(self, model: Any) -> set[str]:
        """Columns of the model neither sealed nor excluded, and listed columns it lacks."""
        names = {f.name for f in model._meta.concrete_fields}
        return (names ^ set(self.sealed)) - set(self.excluded)


SEAL_V1 = RecordFormat(
    name="kaohe-seal/1",
    sealed={
        "seal_format": as_stored,
        "year": year_number,
        "number": as_stored,
        "bundle": as_stored,
        "digest": as_stored,
        "results": as_stored,
        "honors": as_stored,
        "decisions": as_stored,
        "reason": as_stored,
        "meeting": as_stored,
        "notice_number": as_stored,
        "publicity_start": iso_date,
        "publicity_end": iso_date,
        "confirmed_by": login_name,
        "confirmed_at": utc_time,
        "previous_seal": as_stored,
    },
    excluded={
        "id": "the database's row number: not part of what was published",
        "seal": "the seal itself, computed over the record",
    },
)
FORMATS = {f.name: f for f in (SEAL_V1,)}
CURRENT = SEAL_V1


def seal_of(publication: Any) -> str | None:
    """The seal the stored record gives, in the format it names (None: an unknown format)."""
    found = FORMATS.get(publication.seal_format)
    return None if found is None else found.seal(publication)


def seal_publication(publication: Any, *, previous: Any | None) -> None:
    """Seal a new version in the current format, linked to the year's version before it."""
    unlisted = CURRENT.unlisted(type(publication))
    if unlisted:  # a column added without deciding whether it is sealed: never a silent gap
        raise ImproperlyConfigured(
            f"{CURRENT.name}: columns neither sealed nor excluded: {sorted(unlisted)}"
        )
    publication.seal_format = CURRENT.name
    publication.previous_seal = GENESIS if previous is None else previous.seal
    publication.seal = CURRENT.seal(publication)


# --- checking a year's chain ------------------------------------------------------------------


@dataclass(frozen=True)
class SealProblem:
    """One way a published version's record fails its seal or the chain."""

    year: int
    number: int
    publication_id: int
    kind: str  # "record", "format", "link" or "missing"
    stored: str  # the stored seal / format / link, or the first number after the gap
    found: str  # what the record gives / the previous seal / the number expected

    def audit_values(self) -> dict[str, Any]:
        """What the audit keeps of the detection (and tells one detection from the next)."""
        return {
            "version": self.number,
            "problem": self.kind,
            "stored": self.stored,
            "found": self.found,
        }

    # Over 40 lines by nature: one sentence per kind of broken seal.
    def text(self) -> str:
        """The problem in a plain sentence (Chinese on the pages, English in the CLI)."""
        values = {
            "year": self.year,
            "n": self.number,
            "stored": self.stored[:PRINTED],
            "found": self.found[:PRINTED],
        }
        if self.kind == "record":
            return (
                _(
                    "Version %(n)s of %(year)s was altered after publication: its stored record gives "
                    "the seal %(found)s…, not its own seal %(stored)s…."
                )
                % values
            )
        if self.kind == "format":
            return (
                _("Version %(n)s of %(year)s names an unknown seal format (%(stored)s).") % values
            )
        if self.kind == "missing":
            return (
                _(
                    "Version %(found)s of %(year)s is missing from the database (the versions jump "
                    "to version %(n)s)."
                )
                % values
            )
        if self.found == GENESIS:
            return (
                _(
                    "Version %(n)s of %(year)s does not start the chain: it was sealed after the seal "
                    "%(stored)s…, not after the starting value."
                )
                % values
            )
        return (
            _(
                "The chain of %(year)s is broken at version %(n)s: it was sealed after the seal "
                "%(stored)s…, but the version before it now has the seal %(found)s…."
            )
            % values
        )


def _problem(p: Any, kind: str, stored: str, found: str) -> SealProblem:
    return SealProblem(p.year.year, p.number, p.pk, kind, stored, found)


def chain_problems(
    versions: Sequence[Any], seal: Callable[[Any], str | None] | None = None
) -> list[SealProblem]:
    """Every problem of one year's versions (oldest first): each seal, each link, no gaps
    (`seal`: what each record's seal is found to be, when the caller checked it already)."""
    found_seal = seal_of if seal is None else seal
    problems: list[SealProblem] = []
    previous: Any | None = None
    for p in versions:
        expected = 1 if previous is None else previous.number + 1
        if p.number != expected:
            gap = str(expected) if p.number == expected + 1 else f"{expected}–{p.number - 1}"
            problems.append(_problem(p, "missing", "", gap))
        computed = found_seal(p)
        if computed is None:
            problems.append(_problem(p, "format", p.seal_format, ""))
        elif computed != p.seal:
            problems.append(_problem(p, "record", p.seal, computed))
        link = GENESIS if previous is None else previous.seal
        if p.previous_seal != link:
            problems.append(_problem(p, "link", p.previous_seal, link))
        previous = p
    return problems


class SealBroken(Exception):
    """Published versions whose stored record fails its seal: never served as official."""

    def __init__(self, problems: Iterable[SealProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(f"{p.year} v{p.number} {p.kind}" for p in self.problems))
