"""`kaohe remind` run several times at once (two timers, a manual run beside cron) sends each
reminder once: the sent-log's unique row is inserted before anything is sent, on PostgreSQL
with real threads (issue 11.4); and the office's deadlines saved at once.

DATABASE_URL=postgres://postgres@127.0.0.1:5432/kaohe_r11 .venv/bin/pytest tests/web/test_reminders_race.py
"""

from __future__ import annotations

import datetime
from typing import Any

from kaohe.accounts.models import Notification
from kaohe.assessment import reminders
from kaohe.audit.models import AuditEvent
from kaohe.years import actions as year_actions
from kaohe.years.models import Deadline, ReminderSent
from tests.web.conftest import World
from tests.web.threads import RACES, in_threads

pytestmark = RACES
TIMES = 6


def test_reminders_sent_by_runs_at_once_go_once_each(
    world: World, settings: Any, mailoutbox: list[Any]
) -> None:
    settings.EMAIL_HOST = "smtp.example.gov.cn"
    for user in (world.head_js, world.liaison_js, world.head_xx, world.office):
        user.email = f"{user.username}@example.gov.cn"
        user.save(update_fields=["email"])

    def run() -> list[tuple[str, str]]:
        sent = reminders.reminders_send(by=None, asof=datetime.date(2016, 1, 28), days_before=3)
        return [(r.user.username, r.step.step) for r in sent]

    answers = in_threads([run for _ in range(TIMES)])
    sent = [pair for answer in answers for pair in answer]
    assert len(sent) == len(set(sent)) == 4  # every reminder once, by whichever run got there
    assert ReminderSent.objects.count() == 4
    assert Notification.objects.count() == 4
    assert AuditEvent.objects.filter(action="reminder_send").count() == 4
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        u.email for u in (world.head_js, world.liaison_js, world.head_xx, world.office)
    )


def test_deadlines_saved_at_once_keep_one_row_per_step(world: World) -> None:
    def save(day: int) -> Any:
        def job() -> str:
            year_actions.deadlines_set(
                by=world.office, year=world.year, dates={"targets": datetime.date(2016, 2, day)}
            )
            return "ok"

        return job

    assert set(in_threads([save(day) for day in range(1, TIMES + 1)])) == {"ok"}
    assert Deadline.objects.filter(step="targets").count() == 1
    events = list(AuditEvent.objects.filter(action="deadlines_set").order_by("sequence"))
    assert len(events) == TIMES
    # one after the other: each save's "before" is what the previous one stored
    assert events[0].before == {"targets": "2016-01-31"}
    assert all(b.before == a.after for a, b in zip(events, events[1:], strict=False))
