"""The `kaohe` command: the project's manage.py, with the engine's commands served without Django.

`kaohe compute` and `kaohe scheme` run the framework-free engine directly, so that computing a
city-scale bundle does not pay for Django's start-up; every other subcommand is Django's, and so is
`kaohe scheme diff` when it names a year (2016 2017), whose scheme is in the database.
"""

from __future__ import annotations

import gc
import os
import sys

ENGINE_COMMANDS = {"compute", "scheme"}


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `kaohe` console script."""
    args = list(sys.argv if argv is None else argv)
    if _diff_of_years(args):
        # A year's scheme is in the database: Django's `scheme_diff` reads it.
        args = [args[0], "scheme_diff", *args[3:]]
    elif len(args) > 1 and args[1] in ENGINE_COMMANDS:
        if argv is None and args[1] == "compute":
            # As kaohe.engine.cli does for the computation: its imports form no cycles to collect.
            gc.disable()
        from kaohe.engine.cli import main as engine_main

        return engine_main(args[1:], whole_process=argv is None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaohe.settings")
    from kaohe.files import restrict_umask

    restrict_umask()  # the database, evidence and logs this process writes: not world-readable
    _ensure_data_dir()
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)
    return 0


def _diff_of_years(args: list[str]) -> bool:
    """Whether the command is `kaohe scheme diff A B` with a year (not a file) for A or B."""
    from pathlib import Path

    if args[1:3] != ["scheme", "diff"]:
        return False
    return any(a.isdigit() and not Path(a).exists() for a in args[3:5])


def _ensure_data_dir() -> None:
    """Create the default data directory so a first run needs no configuration."""
    from pathlib import Path

    data_dir = Path(os.environ.get("KAOHE_DATA_DIR", str(Path.cwd() / "var")))
    data_dir.mkdir(mode=0o750, parents=True, exist_ok=True)


if __name__ == "__main__":
    sys.exit(main())
