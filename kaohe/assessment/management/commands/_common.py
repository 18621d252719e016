"""Shared helpers of the year commands."""

from __future__ import annotations

import sys

from django.core.management.base import CommandError

from kaohe.engine.problems import InvalidInput


def report_invalid(exc: InvalidInput) -> None:
    """Print every problem and exit 2, as `kaohe compute` does."""
    for problem in exc.problems:
        sys.stderr.write(f"error: {problem}\n")
    sys.stderr.write(f"{len(exc.problems)} error(s); nothing was imported.\n")
    raise SystemExit(2)


__all__ = ["CommandError", "report_invalid"]
