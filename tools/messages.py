"""The Chinese catalogues: one `.po` per app (`kaohe/<app>/locale/`), one for the project.

The `.po` files are the source people edit. `python tools/messages.py` brings every catalogue up
to date with the code (Django's makemessages: new msgids added empty, vanished ones dropped, the
header's creation date blanked so that a run changes nothing when the code did not), compiles the
`.mo` files, and lists every msgid still without a translation (exit 1 if there is any).
`--check` changes nothing: it runs the same on a copy and exits 1 if any `.po` would change.
tests/web/test_translations.py runs the check.

A catalogue holds the strings of its own directory: the project's (`kaohe/locale`) those of
`kaohe/templates` and the modules directly under `kaohe/`. xgettext comes with Debian's gettext.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = "zh_Hans"
CATALOGUE = Path("locale") / LOCALE / "LC_MESSAGES" / "django.po"
HEADER = {
    "Language": LOCALE,
    "Content-Type": "text/plain; charset=UTF-8",
    "Plural-Forms": "nplurals=1; plural=0;",
    "POT-Creation-Date": "",
}


def app_dirs(package: Path) -> list[Path]:
    """The Django apps of the package: the directories with an apps.py."""
    return sorted(p.parent for p in package.glob("*/apps.py"))


def catalogues(package: Path) -> Iterator[Path]:
    """Every catalogue's .po file: the project's first, then each app's."""
    yield package / CATALOGUE
    for app in app_dirs(package):
        yield app / CATALOGUE


def _makemessages(package: Path) -> None:
    """Run makemessages once for the project's own files and once in each app."""
    import django
    from django.core.management import call_command
    from django.test.utils import override_settings

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaohe.settings")
    django.setup()
    options = {"locale": [LOCALE], "no_obsolete": True, "no_location": True, "verbosity": 0}
    apps = app_dirs(package)
    here = Path.cwd()
    try:
        # The project's catalogue: kaohe/templates and kaohe/*.py, not the apps' directories.
        os.chdir(package)
        ignore = [f"{app.name}/*" for app in apps] + ["engine/*", "demo/*", "migrations/*"]
        with override_settings(LOCALE_PATHS=[str(package / "locale")]):
            call_command("makemessages", ignore_patterns=ignore, **options)
        # An app's catalogue: its own directory (LOCALE_PATHS would claim its files first).
        for app in apps:
            (app / CATALOGUE).parent.mkdir(parents=True, exist_ok=True)
            os.chdir(app)
            with override_settings(LOCALE_PATHS=[]):
                call_command("makemessages", ignore_patterns=["migrations/*"], **options)
    finally:
        os.chdir(here)


def _normalise(po_path: Path) -> polib.POFile:
    """Blank the creation date and keep no fuzzy guesses, so that runs are repeatable."""
    po = polib.pofile(str(po_path))
    for entry in po:
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.msgstr = ""
    po.metadata.update(HEADER)
    po.save()
    return po


def update(package: Path) -> list[str]:
    """Update every catalogue of `package` and compile it; the msgids still untranslated."""
    _makemessages(package)
    missing = []
    for path in catalogues(package):
        if not path.exists():
            continue
        po = _normalise(path)
        po.save_as_mofile(str(path.with_suffix(".mo")))
        missing += [f"{path.relative_to(package.parent)}: {e.msgid!r}" for e in po if not e.msgstr]
    return missing


def changed_by_update(package: Path) -> list[str]:
    """The catalogues an update would change (run on a copy of the package; nothing is written)."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / package.name
        shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        update(copy)
        return [
            str(path.relative_to(package.parent))
            for path in catalogues(package)
            if not path.exists()
            or path.read_bytes() != (copy / path.relative_to(package)).read_bytes()
        ]


def main(argv: list[str]) -> int:
    """Update (or with --check, only compare) the catalogues; exit 1 on anything to do."""
    package = ROOT / "kaohe"
    if "--check" in argv:
        changed = changed_by_update(package)
        for name in changed:
            print(f"out of date: {name} (run python tools/messages.py)")
        return 1 if changed else 0
    missing = update(package)
    for line in missing:
        print(f"untranslated: {line}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main(sys.argv[1:]))
