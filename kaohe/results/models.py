"""The party group's adjustments, the year's vetoes, and the published versions of the results."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaohe.constants import PublicityAnswer, VetoReason
from kaohe.core.models import StoredFile, stored_path
from kaohe.core.numbers import to_fraction
from kaohe.engine import bundle as engine
from kaohe.engine.decisions import Decisions
from kaohe.years.counters import reference_shown


class YearMeasure(models.Model):
    """What an adjustment and a veto share: a department's year, a reference, who recorded it."""

    ref = models.CharField(max_length=40, blank=True)
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "ref"], condition=~Q(ref=""), name="%(class)s_ref_unique"
            )
        ]

    @property
    def number(self) -> str:
        """The reference as pages show it (党组加减分 2016-00001), one numbering with the entries'."""
        return reference_shown(self.ref)


class Adjustment(YearMeasure):
    """A signed amount the party group decided (党组研究加减分), with its reason and meeting."""

    year = models.ForeignKey("years.Year", on_delete=models.PROTECT, related_name="adjustments")
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=4)
    reason = models.TextField(_("reason"))
    meeting = models.CharField(_("meeting"), max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.department} {self.amount}"

    def to_engine(self) -> engine.Adjustment:
        """The adjustment as the engine takes it (load `department` first)."""
        return engine.Adjustment(
            self.department.code,
            to_fraction(self.amount),
            self.reason,
            self.meeting or None,
            self.ref or None,
        )


class Veto(YearMeasure):
    """A one-vote-veto event (一票否决): the department can receive no honor that year."""

    year = models.ForeignKey("years.Year", on_delete=models.PROTECT, related_name="vetoes")
    reason = models.CharField(_("reason"), max_length=32, choices=VetoReason.choices)
    note = models.TextField(_("facts"), blank=True)

    def __str__(self) -> str:
        return f"{self.department} {self.get_reason_display()}"

    def to_engine(self) -> engine.Veto:
        """The veto as the engine takes it (load `department` first)."""
        return engine.Veto(self.department.code, self.reason, self.note or None, self.ref or None)


# Named by migration 0002; files are placed by StoredFile.DIRECTORY now.
attachment_path = stored_path


class Attachment(StoredFile):
    """A file documenting an adjustment or a veto (minutes, circular); served to readers only."""

    DIRECTORY = "results"

    adjustment = models.ForeignKey(
        Adjustment, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    veto = models.ForeignKey(
        Veto, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )


# --- published versions: written once, never changed ---------------------------------------


class PublishedVersionImmutable(Exception):
    """Raised on any attempt to change or delete a published version or what belongs to it."""


def _refuse(what: object) -> NoReturn:
    raise PublishedVersionImmutable(f"{what}: a published version cannot be changed or deleted")


class ImmutableQuerySet(models.QuerySet[Any]):
    """Refuses bulk changes: update, delete and bulk_update would bypass the model's save()."""

    def update(self, **kwargs: Any) -> int:
        _refuse(self.model.__name__)

    def delete(self) -> tuple[int, dict[str, int]]:
        _refuse(self.model.__name__)

    def _raw_delete(self, using: Any) -> int:
        _refuse(self.model.__name__)

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        _refuse(self.model.__name__)


class ImmutableModel(models.Model):
    """A row written once: save() only inserts, delete() is refused."""

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert the row; any later save is refused."""
        if not self._state.adding:
            _refuse(self)
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Refused."""
        _refuse(self)


class Publication(ImmutableModel):
    """A published version of a year's results, confirmed by the party group; never changed.

    `bundle` is the canonical year bundle the results were computed from, the party group's
    decisions included (rules.md §5.5), and `digest` the SHA-256 of its canonical JSON text
    (seal.canonical_json), so anyone can recompute every figure. `results` is the engine's
    kaohe-results/1 document, exactly what `kaohe compute` prints for `bundle`: the honors it
    announces are those of `results` (selectors.publication_honors).

    `honors` and `decisions` are filled only in versions published before the decisions were
    engine input, whose honors were the web's edits of the engine's output; later versions
    store both empty (`{}`): the bundle holds the decisions and the results the honors.

    `seal` is the SHA-256 of the whole row's canonical record, `previous_seal` the seal of the
    year's version before (a chain per year); kaohe/results/seal.py and docs/verify.md define
    them. The database refuses to change or delete the row (kaohe/results/guards.py).
    """

    year = models.ForeignKey("years.Year", on_delete=models.PROTECT, related_name="publications")
    number = models.PositiveIntegerField(_("version"))
    bundle = models.JSONField(_("inputs"))
    digest = models.CharField(_("digest of the inputs (SHA-256)"), max_length=64)
    results = models.JSONField(_("results"))
    honors = models.JSONField(_("honors"))
    decisions = models.JSONField(_("decisions"))
    reason = models.TextField(_("reason for the correction"), blank=True)
    meeting = models.CharField(_("meeting"), max_length=200, blank=True)
    notice_number = models.CharField(_("document number"), max_length=60, blank=True)
    publicity_start = models.DateField(_("publicity from"), null=True, blank=True)
    publicity_end = models.DateField(_("publicity until"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(default=timezone.now)
    seal_format = models.CharField(_("seal format"), max_length=20)
    previous_seal = models.CharField(_("seal of the version before"), max_length=64)
    seal = models.CharField(_("seal (SHA-256)"), max_length=64)

    class Meta:
        ordering = ["year__year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="publication_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year} v{self.number}"


class PartyDecisions(models.Model):
    """The party group's standing decisions on a year's honors (党组研究决定, rules.md §5.5):
    engine input like the adjustments, in the bundle's canonical form (docs/bundle.md).

    Written when a version is confirmed (the decisions it published, `publication`) and when a
    bundle carrying decisions is imported (`publication` empty); one row per year. The year's
    proposal and export apply those that still fit its ranking.
    """

    year = models.OneToOneField(
        "years.Year", on_delete=models.PROTECT, related_name="party_decisions"
    )
    document = models.JSONField(_("decisions"))
    publication = models.ForeignKey(
        Publication, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.year} decisions"

    def to_engine(self) -> Decisions:
        """The decisions as the engine takes them."""
        doc = self.document
        recommended = doc.get("recommended")
        return Decisions(
            None if recommended is None else tuple(recommended),
            {tier: tuple(codes) for tier, codes in doc.get("ties", {}).items()},
        )


class PublishedChart(ImmutableModel):
    """A chart of a published version, rendered once and kept (PNG)."""

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="charts")
    name = models.CharField(max_length=60)
    png = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["publication", "name"], name="published_chart_unique")
        ]

    def __str__(self) -> str:
        return f"{self.publication} {self.name}"


class PublicityObjection(models.Model):
    """An objection raised against a published version during its publicity period (公示异议)."""

    publication = models.ForeignKey(
        Publication, on_delete=models.PROTECT, related_name="objections"
    )
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("department concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("objection"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The assessment office's answer: a reply, a rejection, or upheld by a correction version.
    status = models.CharField(
        _("answer"), max_length=16, choices=PublicityAnswer.choices, default=PublicityAnswer.OPEN
    )
    answer = models.TextField(_("answer given"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True)
    correction = models.ForeignKey(
        Publication,
        verbose_name=_("correction version"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.publication} {self.created_at:%Y-%m-%d}"


class StoredResult(models.Model):
    """The year's live computation at one inputs version (years.YearInputs), shared by every
    process: the engine's bundle (its JSON document) and the stale decisions (JSON), never a
    pickle. One row a year, the latest version computed; a row of older versions is replaced,
    never a newer one."""

    year = models.OneToOneField(
        "years.Year", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    version = models.PositiveBigIntegerField()  # of the year's inputs (core.InputsVersion)
    shared_version = models.PositiveBigIntegerField()  # of what every year reads
    token = models.UUIDField()  # new with every row written: the per-process memo's key
    previous_id = models.BigIntegerField(null=True)  # last year's version whose ranks it used
    previous_broken = models.BooleanField(default=False)
    data = models.BinaryField()  # the bundle's JSON (UTF-8), as the engine writes it
    stale = models.JSONField(default=list)  # the decisions left out: code, parameters

    def __str__(self) -> str:
        return f"{self.year_id} v{self.version}"


# --- the half-year supervision circular (督查通报, issue 11.3) --------------------------------


class CircularHalf(models.TextChoices):
    """The half-year a supervision circular reports on."""

    H1 = "H1", _("first half-year")
    H2 = "H2", _("second half-year")


class CircularDraft(models.Model):
    """The assessment office's draft of a half-year's circular: its number, date and the words
    around the figures; the figures are computed live until it is published."""

    year = models.ForeignKey("years.Year", on_delete=models.PROTECT, related_name="+")
    half = models.CharField(_("half-year"), max_length=2, choices=CircularHalf.choices)
    number = models.CharField(_("document number"), max_length=60)
    date = models.DateField(_("date of issue"))
    preface = models.TextField(_("preface"))
    conclusion = models.TextField(_("conclusion"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "half"], name="circular_draft_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.half} {self.number}"


class Circular(ImmutableModel):
    """A published supervision circular: what was printed (number, words and the content
    computed at publication, as JSON), kept per year and half-year, never changed."""

    year = models.ForeignKey("years.Year", on_delete=models.PROTECT, related_name="circulars")
    half = models.CharField(_("half-year"), max_length=2, choices=CircularHalf.choices)
    number = models.CharField(_("document number"), max_length=60, unique=True)
    date = models.DateField(_("date of issue"))
    title = models.CharField(_("title"), max_length=200)
    preface = models.TextField(_("preface"))
    conclusion = models.TextField(_("conclusion"))
    content = models.JSONField(_("content"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["year__year", "half"]
        constraints = [models.UniqueConstraint(fields=["year", "half"], name="circular_unique")]

    def __str__(self) -> str:
        return f"{self.year} {self.half} {self.number}"
