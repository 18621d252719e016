"""Choices shared across apps, with translated labels."""

from __future__ import annotations

from collections.abc import Iterable

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


class Honor(models.TextChoices):
    """The honors of rules.md §7, in the results' order (kaohe.engine.vocabulary.HONORS)."""

    ADVANCED = "advanced", _("Advanced department")
    RECOMMENDED = "recommended", _("Recommended as an excellent department of the city's organs")
    PRAISED = "praised", _("Praised")
    PROGRESS = "progress", _("Striving to advance")
    BOTTOM = "bottom", _("Last two")


class Flag(models.TextChoices):
    """The marks a department's result carries (kaohe.engine.vocabulary.FLAGS)."""

    TIE = "tie", _("Tied")
    BOUNDARY_TIE = "boundary_tie", _("Tied at a boundary")
    TIE_SETTLED = "tie_settled", _("Boundary tie decided")
    NO_GRADES_DEMOCRATIC = "no_grades:democratic", _("No democratic evaluation ballots")
    NO_GRADES_STYLE = "no_grades:style", _("No style evaluation ballots")
    NO_GRADES_LEADER = "no_grades:leader", _("No leader evaluation ballots")


class EntryStatus(models.TextChoices):
    """draft → submitted → confirmed, or returned with a reason; voided keeps the entry."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CONFIRMED = "confirmed", _("Confirmed")
    RETURNED = "returned", _("Returned")
    VOIDED = "voided", _("Voided")


class DecisionMethod(models.TextChoices):
    """How the assessment office decided a range amount (rules.md §3); a bundle writes it as
    kaohe.engine.vocabulary.DECISION_WORDS says."""

    COLLECTIVE = "collective", _("Collective deliberation")
    BALLOT = "ballot", _("Secret ballot")


class ObjectionStatus(models.TextChoices):
    """An objection is open until the assessment office upholds or rejects it."""

    OPEN = "open", _("Open")
    UPHELD = "upheld", _("Upheld")
    REJECTED = "rejected", _("Rejected")


class PublicityAnswer(models.TextChoices):
    """How the assessment office answers an objection raised in the publicity (公示异议)."""

    OPEN = "open", _("Not answered yet")
    REPLIED = "replied", _("Answered")
    REJECTED = "rejected", _("Rejected")
    UPHELD = "upheld", _("Upheld by a correction version")


class RoleKind(models.TextChoices):
    """What a person does in the assessment."""

    ASSESSMENT_OFFICE = "assessment_office", _("Assessment office")
    OFFICE_CLERK = "office_clerk", _("Responsible-office clerk")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    DEPARTMENT_LIAISON = "department_liaison", _("Department liaison")
    LEADER = "leader", _("Leader")
    PARTY_GROUP = "party_group", _("Party group member")
    # 三员分立: three administrators, none able to do another's job (kaohe/access/accounts.py).
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")


def honor_name(code: str) -> str:
    """An honor's name; an unknown code as it is."""
    return str(Honor(code).label) if code in Honor.values else code


def honor_names(codes: Iterable[str]) -> str:
    """Honors' names joined as Chinese lists them (、)."""
    return "、".join(honor_name(c) for c in codes)


def flag_names(codes: Iterable[str]) -> str:
    """Flags' names joined as Chinese lists them (、); an unknown code as it is."""
    return "、".join(str(Flag(c).label) if c in Flag.values else c for c in codes)


ONCE_A_YEAR = _("at most once a year")


def period_label(period: str) -> str:
    """上半年 / 下半年 / 全年."""
    return str(Period(period).label) if period in Period.values else period
