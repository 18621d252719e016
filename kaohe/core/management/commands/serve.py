"""`kaohe serve`: the production entry point, gunicorn serving kaohe.wsgi with sane defaults.

The settings (KAOHE_BIND, KAOHE_WORKERS, KAOHE_TIMEOUT, KAOHE_ACCESS_LOG, KAOHE_FORWARDED_ALLOW_IPS)
come from the environment like every other (kaohe/settings.py, docs/deploy.md); options given on
the command line win. The system checks run first (`kaohe check`'s, warnings printed); then the
process becomes gunicorn's master (exec), so systemd's signals reach it directly.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


def gunicorn_argv(
    *, bind: str, workers: int, timeout: int, access_log: str, forwarded: str
) -> list[str]:
    """The gunicorn command line that serves kaohe."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "kaohe.wsgi:application",
        f"--bind={bind}",
        f"--workers={workers}",
        f"--timeout={timeout}",
        "--graceful-timeout=30",
        # a worker is replaced after this many requests (what a leak holds is given back)
        "--max-requests=2000",
        "--max-requests-jitter=200",
        f"--access-logfile={access_log}",
        "--error-logfile=-",
        f"--forwarded-allow-ips={forwarded}",
        "--worker-tmp-dir=/dev/shm" if os.path.isdir("/dev/shm") else "--worker-tmp-dir=/tmp",
    ]


class Command(BaseCommand):
    """Serve the application with gunicorn (exec: this process becomes gunicorn's master)."""

    help = "Serve kaohe in production with gunicorn (docs/deploy.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=settings.SERVE_BIND, help="address:port or unix:PATH")
        parser.add_argument("--workers", type=int, default=settings.SERVE_WORKERS)
        parser.add_argument("--timeout", type=int, default=settings.SERVE_TIMEOUT, help="seconds")
        parser.add_argument(
            "--access-log", default=settings.SERVE_ACCESS_LOG, help="file, or - for stdout"
        )
        parser.add_argument("--dry-run", action="store_true", help="print the command, do not run")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.DEBUG:
            self.stderr.write("warning: KAOHE_DEBUG is on; set KAOHE_DEBUG=0 in production")
        argv = gunicorn_argv(
            bind=options["bind"],
            workers=max(1, options["workers"]),
            timeout=max(1, options["timeout"]),
            access_log=options["access_log"],
            forwarded=settings.SERVE_FORWARDED_ALLOW_IPS,
        )
        if options["dry_run"]:
            self.stdout.write(" ".join(argv[1:]))
            return
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(sys.executable, argv)
