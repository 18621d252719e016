"""The assessment office's members per year, and their secret ballots on range amounts (§八.2).

Anonymity is a property of these tables, as for the evaluation ballots (docs/ballots.md): a code is
kept only as a keyed hash with `used` (and, when it was delivered to a member's account, that
account); a cast vote has a random id, its vote and the amounts, and nothing else: no time, no
code, no user.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OfficeMember(models.Model):
    """A member of the year's assessment office (seed §七): an office's head, or the directing leader."""

    year = models.ForeignKey("years.Year", on_delete=models.PROTECT, related_name="office_members")
    name = models.CharField(_("person's name"), max_length=50)
    post = models.CharField(_("post"), max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("account"),
    )
    directs = models.BooleanField(_("directs the office"), default=False)

    class Meta:
        ordering = ["-directs", "id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "name"], name="office_member_unique"),
            models.UniqueConstraint(
                fields=["year"], condition=Q(directs=True), name="office_member_one_director"
            ),
            models.UniqueConstraint(
                fields=["year", "user"],
                condition=Q(user__isnull=False),
                name="office_member_one_account",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year_id} {self.name}"


class RangeVoteStatus(models.TextChoices):
    """A secret ballot is open for votes, then closed (decided, or without enough votes)."""

    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class RangeVote(models.Model):
    """A secret ballot of the office's members on the amounts of pending range entries."""

    year = models.ForeignKey("years.Year", on_delete=models.PROTECT, related_name="range_votes")
    meeting = models.CharField(_("meeting"), max_length=200)
    step = models.DecimalField(_("amount step"), max_digits=4, decimal_places=2)
    status = models.CharField(
        _("status"), max_length=16, choices=RangeVoteStatus.choices, default=RangeVoteStatus.OPEN
    )
    # Frozen at opening: how many members the office had, so how many codes were made.
    members = models.PositiveSmallIntegerField(_("members"))
    # Written once, at closing: whether it was valid and each entry's count (exact as strings).
    outcome = models.JSONField(_("outcome"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Set by the closing rewrite, cleared once VACUUM has removed the old row versions it left
    # behind (actions/votes.py); while set, the database files still hold the link.
    vacuum_pending = models.BooleanField(_("cleanup pending"), default=False)

    class Meta:
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return f"{self.year_id} {self.meeting}"

    @property
    def is_open(self) -> bool:
        """Whether members may still vote."""
        return self.status == RangeVoteStatus.OPEN


class RangeVoteItem(models.Model):
    """An entry put to the vote, with its rule's [min, max] frozen at opening."""

    vote = models.ForeignKey(RangeVote, on_delete=models.PROTECT, related_name="items")
    entry = models.ForeignKey("ledger.Entry", on_delete=models.PROTECT, related_name="vote_items")
    low = models.DecimalField(_("minimum"), max_digits=12, decimal_places=4)
    high = models.DecimalField(_("maximum"), max_digits=12, decimal_places=4)

    class Meta:
        ordering = ["vote", "id"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "entry"], name="range_vote_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.vote_id} {self.entry_id}"


class RangeVoteCode(models.Model):
    """A member's one-time code, kept as a keyed hash; `holder` is the account it was delivered to
    (None for a printed slip). No time of use, no link to the vote cast with it."""

    vote = models.ForeignKey(RangeVote, on_delete=models.PROTECT, related_name="codes")
    number = models.PositiveSmallIntegerField(_("number of the slip"))
    digest = models.CharField(max_length=64, unique=True)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    used = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vote", "number"], name="range_vote_code_number"),
            models.UniqueConstraint(
                fields=["vote", "holder"],
                condition=Q(holder__isnull=False),
                name="range_vote_code_one_per_account",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vote_id}#{self.number}"


class RangeVoteCast(models.Model):
    """One member's anonymous vote: a random id, the vote, the amounts; no time, no code, no user."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(RangeVote, on_delete=models.PROTECT, related_name="casts")
    # {str(entry id): "2.5" or "abstain"}, one key for every entry of the vote.
    amounts = models.JSONField(_("amounts"))

    def __str__(self) -> str:
        return str(self.id)
