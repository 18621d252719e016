"""Regenerate the zh_Hans catalogue: makemessages, fill from the translation files, compile.

Translations live in one JSON file per app, `kaohe/<app>/i18n_zh.json` (msgid → msgstr), so that
several people can add strings without editing the same file. Usage: `python tools/po_fill.py`.
It prints every msgid still without a translation and exits 1 if there is any.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "kaohe/locale/zh_Hans/LC_MESSAGES/django.po"


def translations() -> dict[str, str]:
    """All msgid → msgstr pairs of every app's i18n_zh.json."""
    merged: dict[str, str] = {}
    for path in sorted((ROOT / "kaohe").glob("**/i18n_zh.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def main() -> int:
    """Regenerate, fill, report what is still missing, compile."""
    kaohe = ROOT / ".venv/bin/kaohe"
    subprocess.run(
        [str(kaohe), "makemessages", "-l", "zh_Hans", "--no-obsolete", "--no-location"],
        cwd=ROOT / "kaohe",
        check=True,
        capture_output=True,
    )
    po = polib.pofile(str(PO))
    given = translations()
    for entry in po:
        if entry.msgid in given:
            entry.msgstr = given[entry.msgid]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            if entry.msgid not in given:
                entry.msgstr = ""
    po.metadata.update(
        {
            "Language": "zh_Hans",
            "Content-Type": "text/plain; charset=UTF-8",
            "Plural-Forms": "nplurals=1; plural=0;",
            "POT-Creation-Date": "",
        }
    )
    po.save()
    po.save_as_mofile(str(PO.with_suffix(".mo")))
    missing = [e.msgid for e in po if not e.msgstr]
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
