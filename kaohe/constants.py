"""Choices shared across apps, with translated labels."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DepartmentType(models.TextChoices):
    """rules.md §1: whether a department serves the public."""

    SERVICE = "service", _("Business department serving the public")
    GENERAL = "general", _("Comprehensive department without external service")


class Period(models.TextChoices):
    """When an entry or a round belongs."""

    H1 = "H1", _("First half-year")
    H2 = "H2", _("Second half-year")
    YEAR = "year", _("Whole year")


class Kind(models.TextChoices):
    """The three evaluation kinds (rules.md §2)."""

    DEMOCRATIC = "democratic", _("Democratic evaluation")
    STYLE = "style", _("Style evaluation")
    LEADER = "leader", _("Leader evaluation")


class VetoReason(models.TextChoices):
    """One-vote-veto reasons (rules.md §5)."""

    STAFF_INVESTIGATED = (
        "staff_investigated",
        _("Staff investigated for breaking law or discipline"),
    )
    CRITICISED = "criticised", _("Criticised in a circular")
    ACT_REVOKED = "act_revoked", _("Administrative act revoked or found unlawful")
    DERELICTION = "dereliction", _("Other dereliction of duty")
