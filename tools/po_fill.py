"""Fill zh_Hans translations from a JSON file of msgid → msgstr, then compile the .mo.

Usage: python tools/po_fill.py translations.json   (after `kaohe makemessages -l zh_Hans`)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "kaohe/locale/zh_Hans/LC_MESSAGES/django.po"


def main(path: str | None) -> int:
    """Fill, report what is still missing, compile."""
    po = polib.pofile(str(PO))
    given = json.loads(Path(path).read_text(encoding="utf-8")) if path else {}
    for entry in po:
        if entry.msgid in given:
            entry.msgstr = given[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.metadata["Language"] = "zh_Hans"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.save()
    po.save_as_mofile(str(PO.with_suffix(".mo")))
    missing = [e.msgid for e in po if not e.msgstr and not e.msgstr_plural]
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else None))
