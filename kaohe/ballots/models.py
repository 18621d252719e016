"""Evaluation rounds, their voter groups and one-time codes, and the anonymous ballots.

Anonymity is a property of these tables (docs/ballots.md): a ballot has a random id, its round, the
voter group and the grades, and nothing else; a code has no time of use and no link to a ballot.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kaohe.constants import Kind, Period
from kaohe.engine import bundle as engine


class RoundStatus(models.TextChoices):
    """A round is open for voting, then closed; only closed rounds feed results."""

    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Round(models.Model):
    """One evaluation round of a year: a kind held in a period, frozen when it opens."""

    year = models.ForeignKey("years.Year", on_delete=models.PROTECT, related_name="rounds")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    period = models.CharField(_("period"), max_length=4, choices=Period.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    title = models.CharField(_("title"), max_length=120, blank=True)
    # Frozen at opening: [{"code", "name", "type"}] of the departments this kind rates.
    departments = models.JSONField(_("rated departments"), default=list, blank=True)
    # Frozen at opening: [{"code", "name", "coefficient"}], the scheme's grade scale.
    grades = models.JSONField(_("grade scale"), default=list, blank=True)
    # Frozen at opening: the scheme's ballot options and the kind's points per department type.
    options = models.JSONField(_("options"), default=dict, blank=True)
    points = models.JSONField(_("points by department type"), default=dict, blank=True)
    # Written once, at closing: the tally made by the engine (exact values as strings).
    tally = models.JSONField(_("tally"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Set by the closing rewrite, cleared once VACUUM has removed the old row versions it left
    # behind (kaohe/ballots/sealing.py); while set, the database files still hold the link.
    vacuum_pending = models.BooleanField(_("cleanup pending"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "kind", "period"], name="round_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display()} {self.get_period_display()}"

    @property
    def is_open(self) -> bool:
        """Whether voters may still submit."""
        return self.status == RoundStatus.OPEN


class VoterGroup(models.Model):
    """A group of voters of a round (e.g. 中层正职) and how many codes it gets."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(_("voter group"), max_length=50)
    size = models.PositiveIntegerField(_("number of codes"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["round", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "name"], name="voter_group_unique")]

    def __str__(self) -> str:
        return self.name


class BallotCode(models.Model):
    """A one-time code, kept only as a keyed hash; no time of use, no link to its ballot."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="codes")
    group = models.ForeignKey(VoterGroup, on_delete=models.PROTECT, related_name="codes")
    number = models.PositiveIntegerField(_("slip number"))
    digest = models.CharField(max_length=64, unique=True)
    # A paper form's short code, as a keyed hash of the round and the code (kaohe.core.codes);
    # NULL for a slip, which has none: NULLs never collide in the unique (round, short_digest).
    short_digest = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    used = models.BooleanField(default=False)
    revoked = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="ballot_code_number_unique"),
            models.UniqueConstraint(
                fields=["round", "short_digest"], name="ballot_code_short_unique"
            ),
        ]
        indexes = [models.Index(fields=["group", "used"], name="ballot_code_turnout")]

    def __str__(self) -> str:
        return f"{self.round_id}#{self.number}"


class Ballot(models.Model):
    """One anonymous ballot: a random id, the voter group, the grades; no time, no code, no user."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="ballots")
    group = models.CharField(_("voter group"), max_length=50, blank=True)
    grades = models.JSONField(_("grades"))

    def __str__(self) -> str:
        return str(self.id)

    def to_engine(self, round: Round | None = None) -> engine.Ballot:
        """The ballot as the engine takes it; pass its round when already loaded to save a query."""
        round = round or self.round
        return ballot_to_engine(round.kind, round.period, self.grades, self.id, self.group)


def ballot_to_engine(
    kind: str, period: str, grades: dict[str, str], id: uuid.UUID, group: str
) -> engine.Ballot:
    """A ballot as the engine takes it, from its round's kind and period and its own fields
    (the year's bundle reads them with values_list): the one mapping of a ballot."""
    return engine.Ballot(kind, period, dict(grades), str(id), group or None)


class GuessCount(models.Model):
    """Refused codes sharing one printed group at one place: a keyed hash, a count, its end.

    The guessing throttle (kaohe/ballots/throttle.py) keeps one row per pattern, in the database so
    that every worker process shares it; no address, no code, no time beyond the window's end.
    """

    key = models.CharField(max_length=32, primary_key=True)
    count = models.PositiveIntegerField()
    # Seconds since the epoch: compared in SQL the same way on SQLite and PostgreSQL.
    expires = models.BigIntegerField(db_index=True)

    def __str__(self) -> str:
        return self.key


class PaperEntryStatus(models.TextChoices):
    """A hand-entered paper form waits for its second entry, or for a third person's decision."""

    WAITING = "waiting", _("Waiting for the second entry")
    DISPUTED = "disputed", _("The two entries differ")


class PaperEntry(models.Model):
    """A paper form entered by hand, until it becomes a ballot: then deleted, and at closing.

    It links a code to the clerks who entered it and to its grades, which a clerk holding the form
    sees anyway; the link lasts only while the form is unresolved (docs/ballots.md). No times.
    """

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="paper_entries")
    code = models.OneToOneField(BallotCode, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=16, choices=PaperEntryStatus.choices, default=PaperEntryStatus.WAITING
    )
    first = models.JSONField()  # department → grade, abstentions left out
    first_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    second = models.JSONField(null=True, blank=True)
    second_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.round_id}#{self.code_id}"

    def entered_by(self, user: object) -> bool:
        """Whether the user made one of the two entries."""
        pk = getattr(user, "pk", None)
        return pk is not None and pk in (self.first_by_id, self.second_by_id)


class PaperScan(models.Model):
    """A scanned page a person must decide: the deskewed image, what was read, and why not counted.

    Kept only until decided, and deleted when the round closes (docs/ballots.md). The image shows
    the form's code and marks, as the paper does; no uploader, no time, no file name.
    """

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="paper_scans")
    code = models.ForeignKey(
        BallotCode, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    image = models.BinaryField()  # PNG, grey
    # {"grades": {department: grade}, "doubtful": [department], "problems": [Problem values]}
    reading = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"{self.round_id}/scan {self.pk}"
