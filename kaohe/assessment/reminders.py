"""Reminders of the year's deadlines (issue 11.4), sent by `kaohe remind`: before a deadline
(KAOHE_REMIND_DAYS_BEFORE days, 3 by default) and once it has passed, to whoever must act and has
not — each department's head and liaison, the office for its own steps — in the bell and, when
an SMTP server is configured, by e-mail. A unique sent-log row per account, step, deadline and
kind is inserted before anything is sent: a second run, or two at once, sends nothing twice."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from kaohe.access import years as year_access
from kaohe.accounts.actions import notification_add
from kaohe.assessment.progress import Progress, StepProgress, year_progress
from kaohe.audit.actions import audit_record
from kaohe.audit.choices import AuditAction, AuditTarget
from kaohe.results.selectors import latest_publication
from kaohe.years.models import ReminderKind, ReminderSent, Year

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reminder:
    """One account to remind of one step's deadline in a year."""

    user: Any
    year: Year
    step: StepProgress
    rows: tuple[Progress, ...]  # the departments (or the office) not done
    kind: str  # a ReminderKind
    asof: datetime.date

    @property
    def key(self) -> tuple[int, int, str, datetime.date, str]:
        return (self.user.pk, self.year.pk, self.step.step, self.step.due, self.kind)

    def who(self) -> str:
        """The departments the reminder is about, or the assessment office."""
        names = [r.department.name if r.department else _("Assessment office") for r in self.rows]
        return "、".join(names)

    def line(self) -> str:
        """The reminder in one sentence (the bell's text, the e-mail's first line)."""
        values = {
            "who": self.who(),
            "year": self.year.year,
            "step": self.step.label,
            "due": self.step.due.isoformat(),
        }
        if self.kind == ReminderKind.BEFORE:
            days = (self.step.due - self.asof).days
            return _("%(who)s: %(step)s (%(year)s) is due by %(due)s (%(days)s days left).") % {
                **values,
                "days": days,
            }
        days = (self.asof - self.step.due).days
        return _("%(who)s: %(step)s (%(year)s) was due by %(due)s and is %(days)s days late.") % {
            **values,
            "days": days,
        }

    def path(self) -> str:
        return reverse("years:deadlines", args=[self.year.year])


def reminder_kind(due: datetime.date, asof: datetime.date, days_before: int) -> str | None:
    """Before the deadline (within `days_before` days of it, the day itself included), after
    it (overdue), or no reminder yet."""
    if asof > due:
        return ReminderKind.OVERDUE
    if (due - asof).days <= days_before:
        return ReminderKind.BEFORE
    return None


def reminders_due(asof: datetime.date, *, days_before: int) -> list[Reminder]:
    """Every reminder due on `asof` in the years not yet published, those already sent left out."""
    out: list[Reminder] = []
    for year in Year.objects.order_by("year"):
        if latest_publication(year) is not None:
            continue  # a published year asks nothing more of anyone
        out += _year_reminders(year, asof, days_before)
    sent = set(
        ReminderSent.objects.filter(year__in={r.year.pk for r in out}).values_list(
            "user_id", "year_id", "step", "due", "kind"
        )
    )
    return [r for r in out if r.key not in sent]


def _year_reminders(year: Year, asof: datetime.date, days_before: int) -> list[Reminder]:
    steps = year_progress(year, asof)
    departments = {r.department.pk for s in steps for r in s.rows if r.department is not None}
    members, office = year_access.reminder_recipients(departments)
    out = []
    for step in steps:
        kind = reminder_kind(step.due, asof, days_before)
        if kind is None:
            continue
        by_user: dict[int, tuple[Any, list[Progress]]] = {}
        for row in step.rows:
            if row.done:
                continue
            users = office if row.department is None else members[row.department.pk]
            for user in users:
                by_user.setdefault(user.pk, (user, []))[1].append(row)
        for user, rows in by_user.values():
            out.append(Reminder(user, year, step, tuple(rows), kind, asof))
    return out


def reminder_send(*, by: Any, reminder: Reminder) -> bool:
    """Send one reminder: its sent-log row first (a row already there, or inserted by a run at
    the same moment, means it was sent: nothing is), then the bell's notification, the audit
    row, and the e-mail once committed. Whether it was sent."""
    if not year_access.may_send_reminders(by):
        raise PermissionDenied
    with transaction.atomic():
        try:
            with transaction.atomic():
                ReminderSent.objects.create(
                    user=reminder.user,
                    year=reminder.year,
                    step=reminder.step.step,
                    due=reminder.step.due,
                    kind=reminder.kind,
                )
        except IntegrityError:
            return False
        line = reminder.line()
        notification_add(reminder.user, line, reminder.path())
        audit_record(
            by=by,
            action=AuditAction.REMINDER_SEND,
            target_type=AuditTarget.YEAR,
            target_id=reminder.year.year,
            year=reminder.year.year,
            after={
                "user": reminder.user.get_username(),
                "step": reminder.step.step,
                "due": reminder.step.due.isoformat(),
                "kind": reminder.kind,
                "e-mail": bool(mail_configured() and reminder.user.email),
            },
        )
        if mail_configured() and reminder.user.email:
            transaction.on_commit(lambda: _mail(reminder, line))
    return True


def reminders_send(*, by: Any, asof: datetime.date, days_before: int) -> list[Reminder]:
    """Send every reminder due on `asof` that was not sent before; those sent."""
    if not year_access.may_send_reminders(by):
        raise PermissionDenied
    return [
        r for r in reminders_due(asof, days_before=days_before) if reminder_send(by=by, reminder=r)
    ]


def mail_configured() -> bool:
    """Whether reminders also go by e-mail: an SMTP server is named (KAOHE_EMAIL_HOST)."""
    return bool(settings.EMAIL_HOST)


def mail_body(reminder: Reminder, line: str) -> str:
    """The e-mail, plain text in Chinese: whom, what, by when, where to do it."""
    name = reminder.user.get_full_name() or reminder.user.get_username()
    url = settings.KAOHE_PUBLIC_URL + reminder.path()
    return "\n".join(
        [
            _("Dear %(name)s,") % {"name": name},
            "",
            line,
            "",
            _("The deadlines and who is done: %(url)s") % {"url": url},
            "",
            _("Sent by the assessment system; please do not reply to this message."),
            "",
        ]
    )


def _mail(reminder: Reminder, line: str) -> None:
    """Send the e-mail; a failing server is logged, the bell has the reminder anyway."""
    subject = _("[Assessment] %(step)s, deadline %(due)s") % {
        "step": reminder.step.label,
        "due": reminder.step.due.isoformat(),
    }
    try:
        send_mail(subject, mail_body(reminder, line), None, [reminder.user.email])
    except OSError:
        log.exception("reminder e-mail to %s failed", reminder.user.email)
