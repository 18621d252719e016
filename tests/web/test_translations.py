"""The Chinese catalogues: the .po files are the source, up to date with the code, fully translated,
and each .mo compiled from its .po."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import messages  # noqa: E402 - tools/ is not a package

PACKAGE = ROOT / "kaohe"
CATALOGUES = [p for p in messages.catalogues(PACKAGE) if p.exists()]


def test_every_app_with_translated_text_has_a_catalogue() -> None:
    names = {p.relative_to(PACKAGE).parts[0] for p in CATALOGUES}
    assert {"locale", "core", "accounts", "org", "years", "ledger", "ballots", "results"} <= names


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_message_is_translated(po_path: Path) -> None:
    po = polib.pofile(str(po_path))
    assert [e.msgid for e in po if not e.msgstr and not any(e.msgstr_plural.values())] == []
    assert not [e.msgid for e in po if "fuzzy" in e.flags]


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_compiled_catalogue_matches_the_po_file(po_path: Path) -> None:
    po = polib.pofile(str(po_path))
    mo = polib.mofile(str(po_path.with_suffix(".mo")))
    compiled = {e.msgid: e.msgstr for e in mo}
    assert {e.msgid: e.msgstr for e in po if e.msgstr} == {k: v for k, v in compiled.items() if k}


def test_makemessages_leaves_the_catalogues_unchanged() -> None:
    assert messages.changed_by_update(PACKAGE) == []


def test_the_check_sees_a_string_added_to_an_app(tmp_path: Path) -> None:
    copy = tmp_path / "kaohe"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    template = copy / "ledger/templates/ledger/entries.html"
    template.write_text(
        template.read_text(encoding="utf-8") + '{% translate "A string nobody translated" %}\n',
        encoding="utf-8",
    )
    assert messages.changed_by_update(copy) == ["kaohe/ledger/locale/zh_Hans/LC_MESSAGES/django.po"]


def test_a_message_in_several_catalogues_reads_the_same_in_each() -> None:
    """Django merges the catalogues, so one msgid has one translation, whichever app it is in."""
    seen: dict[tuple[str, str], dict[str, set[str]]] = {}
    for po_path in CATALOGUES:
        for e in polib.pofile(str(po_path)):
            if e.msgstr:
                where = seen.setdefault((e.msgctxt or "", e.msgid), {})
                where.setdefault(e.msgstr, set()).add(str(po_path.relative_to(PACKAGE)))
    assert {key: found for key, found in seen.items() if len(found) > 1} == {}
