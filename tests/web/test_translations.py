"""Every UI string has a Chinese translation, and the committed .mo matches the .po."""

from __future__ import annotations

from pathlib import Path

import polib

PO = Path(__file__).resolve().parents[2] / "kaohe/locale/zh_Hans/LC_MESSAGES/django.po"


def test_every_message_is_translated() -> None:
    po = polib.pofile(str(PO))
    missing = [e.msgid for e in po if not e.msgstr and not any(e.msgstr_plural.values())]
    assert missing == []
    assert not [e.msgid for e in po if "fuzzy" in e.flags]


def test_compiled_catalogue_matches_the_po_file() -> None:
    po = polib.pofile(str(PO))
    mo = polib.mofile(str(PO.with_suffix(".mo")))
    compiled = {e.msgid: e.msgstr for e in mo}
    assert {e.msgid: e.msgstr for e in po if e.msgstr} == {k: v for k, v in compiled.items() if k}
