"""The one model of a kept upload, the base of ledger Evidence and results Attachment.

Abstract, so that each kept file is a row of its owner's app with real foreign keys to what it
documents (an entry, an objection, an adjustment, a veto) and the access checks of that app.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar, Protocol, Self

from django.conf import settings
from django.core.files import File
from django.db import models
from django.http import FileResponse
from django.utils import timezone

from kaohe.core.downloads import open_stored, stored_download


class Checked(Protocol):
    """An upload that passed the content checks (kaohe.ledger.evidence.CheckedFile)."""

    @property
    def upload(self) -> File[Any]: ...
    @property
    def name(self) -> str: ...
    @property
    def content_type(self) -> str: ...
    @property
    def size(self) -> int: ...
    @property
    def sha256(self) -> str: ...


def stored_path(instance: StoredFile, filename: str) -> str:
    """Stored under an unguessable name in the model's directory; the original name is in the row."""
    return f"{instance.DIRECTORY}/{instance.id.hex[:2]}/{instance.id.hex}"


class StoredFile(models.Model):
    """A kept upload: its bytes under an unguessable name, its checked type, size and digest."""

    # The directory under MEDIA_ROOT the model's files are kept in.
    DIRECTORY: ClassVar[str]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    file = models.FileField(upload_to=stored_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name

    @classmethod
    def keep(cls, checked: Checked, *, by: Any, **owner: Any) -> Self:
        """Store a checked upload for its owner (entry=…, veto=…) and save the row."""
        kept = cls(
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=by,
            **owner,
        )
        kept.file.save(kept.id.hex, checked.upload, save=False)
        kept.save()
        return kept

    def download(self) -> FileResponse:
        """The file as a download under its original name made safe; missing on disk: 404."""
        return stored_download(open_stored(self.file), self.content_type, self.original_name)


class InputsVersion(models.Model):
    """The version of the inputs to a year's live computation, bumped by every action that
    changes one, in that action's transaction (kaohe.core.inputs); a stored result keyed by it
    is never stale. `key` is a year's number, or 0 for what every year reads (departments'
    names and parents). Here, below every app, so that each app's actions can bump it."""

    key = models.PositiveIntegerField(primary_key=True)
    version = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"
