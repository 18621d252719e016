"""Writes the database may refuse: its constraints have the last word over a check made earlier.

An action checks first, to word the problem in Chinese beside the field; a unique constraint then
makes the check hold under concurrency (two requests that both passed the check). The constraint's
refusal is turned into the same words, so that a racing request sees a message, not a 500.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction


@contextmanager
def refused_as(problems: Any) -> Iterator[None]:
    """Run the block in a savepoint; if a constraint refuses it, raise ValidationError(problems)."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        raise ValidationError(problems) from None
