"""The year's deadlines per step, who is done and who is late, and the reminders `kaohe remind`
sends before and after each deadline (issue 11.4), all with a frozen clock (`asof`)."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kaohe.accounts.models import Notification
from kaohe.assessment import progress, reminders
from kaohe.audit.models import AuditEvent
from kaohe.targets import actions as target_actions
from kaohe.targets import selectors as target_selectors
from kaohe.targets.models import HalfYearReport
from kaohe.years import actions as year_actions
from kaohe.years.deadlines import year_deadlines
from kaohe.years.models import Deadline, ReminderSent, SelfAssessment, SelfAssessmentRevision, Step
from tests.web.conftest import World
from tests.web.test_targets_flow import approved_target

D = datetime.date


def at(day: datetime.date) -> datetime.datetime:
    """Noon of a day in the installation's time zone."""
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 12))


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def step(steps: list[progress.StepProgress], name: str) -> progress.StepProgress:
    return next(s for s in steps if s.step == name)


def by_code(s: progress.StepProgress) -> dict[str, progress.Progress]:
    return {r.department.code: r for r in s.rows if r.department is not None}


# --- deadlines --------------------------------------------------------------------------------


def test_each_step_has_its_default_deadline_until_the_office_sets_one(world: World) -> None:
    assert year_deadlines(world.year) == {
        Step.TARGETS: D(2016, 1, 31),
        Step.TARGETS_APPROVAL: D(2016, 1, 31),
        Step.H1_REPORTS: D(2016, 7, 15),
        Step.YEAR_REPORTS: D(2017, 1, 10),
        Step.SELF_ASSESSMENT: D(2017, 1, 10),
    }


def test_the_office_sets_a_deadline_audited_and_the_reports_follow_it(world: World) -> None:
    target = approved_target(world)
    assert target_selectors.report_deadline(world.year, "H1") == D(2016, 7, 15)
    year_actions.deadlines_set(
        by=world.office, year=world.year, dates={"h1_reports": D(2016, 7, 10)}
    )
    assert Deadline.objects.get(year=world.year, step="h1_reports").due == D(2016, 7, 10)
    event = AuditEvent.objects.get(action="deadlines_set")
    assert (event.before, event.after) == (
        {"h1_reports": "2016-07-15"},
        {"h1_reports": "2016-07-10"},
    )
    # the half-year report is missing from 11 July now, not from 16 July
    assert target_selectors.report_deadline(world.year, "H1") == D(2016, 7, 10)
    missing = target_selectors.missing_reports(world.year, D(2016, 7, 11))
    assert [(m.target.pk, m.key, m.deadline) for m in missing] == [
        (target.pk, "H1", D(2016, 7, 10))
    ]
    # saving the same dates again changes nothing and writes no audit row
    year_actions.deadlines_set(
        by=world.office, year=world.year, dates={"h1_reports": D(2016, 7, 10)}
    )
    assert AuditEvent.objects.filter(action="deadlines_set").count() == 1


@pytest.mark.parametrize("who", ["head_js", "leader", "party", "clerk_zh", "sysadmin"])
def test_only_the_office_sets_deadlines(world: World, who: str) -> None:
    with pytest.raises(PermissionDenied):
        year_actions.deadlines_set(
            by=getattr(world, who), year=world.year, dates={"targets": D(2016, 2, 1)}
        )
    assert not Deadline.objects.exists()


def test_a_deadline_outside_the_year_and_the_next_is_refused_in_chinese(world: World) -> None:
    client = logged_in(world.office)
    url = reverse("years:deadlines_edit", args=[2016])
    data = {s: d.isoformat() for s, d in year_deadlines(world.year).items()}
    response = client.post(url, {**data, "targets": "2015-12-31"})
    assert response.status_code == 200
    assert "截止日期须在 2016-01-01 至 2017-12-31 之间" in response.content.decode()
    response = client.post(url, {**data, "self_assessment": "不是日期"})
    assert "有效的日期" in response.content.decode()
    assert not Deadline.objects.exists()
    assert not AuditEvent.objects.filter(action="deadlines_set").exists()
    with pytest.raises(ValidationError):
        year_actions.deadlines_set(by=world.office, year=world.year, dates={"nope": D(2016, 2, 1)})


def test_the_edit_page_saves_the_dates_and_returns_to_the_deadlines(world: World) -> None:
    client = logged_in(world.office)
    data = {s: d.isoformat() for s, d in year_deadlines(world.year).items()}
    response = client.post(
        reverse("years:deadlines_edit", args=[2016]), {**data, "targets": "2016-02-05"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("years:deadlines", args=[2016])
    assert year_deadlines(world.year)[Step.TARGETS] == D(2016, 2, 5)


# --- who is done, who is late ------------------------------------------------------------------


def test_who_is_done_not_yet_or_late_and_by_how_many_days(world: World) -> None:
    target = approved_target(world)  # JS submitted and the leading group approved, today
    report = target_actions.report_submit(
        by=world.head_js, target=target, period="H1", status="on_schedule", done="推进中"
    )
    HalfYearReport.objects.filter(pk=report.pk).update(submitted_at=at(D(2016, 7, 18)))
    form = SelfAssessment.objects.create(year=world.year, department=world.xx, lines={})
    SelfAssessmentRevision.objects.create(form=form, number=1, submitted_at=at(D(2017, 1, 9)))

    steps = progress.year_progress(world.year, D(2017, 1, 12))

    targets = by_code(step(steps, "targets"))
    assert targets["JS"].done and targets["JS"].state in ("done", "done_late")
    assert (targets["XX"].state, targets["XX"].days_late) == ("late", 347)  # 31 Jan → 12 Jan
    # the half-year report: only JS has approved targets; it reported 3 days after 15 July
    h1 = step(steps, "h1_reports")
    assert set(by_code(h1)) == {"JS"}
    js = by_code(h1)["JS"]
    assert (js.state, js.done_on, js.days_late) == ("done_late", D(2016, 7, 18), 3)
    # the year-end report is not in: two days late on 12 January
    year_end = by_code(step(steps, "year_reports"))["JS"]
    assert (year_end.state, year_end.days_late) == ("late", 2)
    forms = by_code(step(steps, "self_assessment"))
    assert (forms["XX"].state, forms["XX"].done_on) == ("done", D(2017, 1, 9))
    assert (forms["JS"].state, forms["JS"].days_late) == ("late", 2)
    # before a deadline, what is not done is not yet late
    early = by_code(step(progress.year_progress(world.year, D(2017, 1, 10)), "self_assessment"))
    assert (early["JS"].state, early["JS"].days_late) == ("pending", 0)
    # the office's own step: every target approved
    approval = step(steps, "targets_approval")
    assert approval.office and approval.rows[0].department is None and approval.rows[0].done


def test_supervision_periods_are_steps_with_their_own_deadlines(world: World) -> None:
    target = approved_target(world)  # in the supervision system
    target_actions.supervision_periods_set(
        by=world.office, year=world.year, periods=[("2016-03", D(2016, 4, 5))]
    )
    steps = progress.year_progress(world.year, D(2016, 4, 8))
    sup = step(steps, "sup:2016-03")
    assert sup.due == D(2016, 4, 5)
    assert [(r.department.code, r.state, r.days_late) for r in sup.rows] == [("JS", "late", 3)]
    assert target.in_supervision


def test_the_page_shows_a_department_its_own_rows_and_readers_every_row(world: World) -> None:
    url = reverse("years:deadlines", args=[2016])
    office = logged_in(world.office).get(url).content.decode()
    assert "信息化推进处" in office and "技术进步处" in office and "考核办" in office
    own = logged_in(world.head_js).get(url).content.decode()
    assert "技术进步处" in own and "信息化推进处" not in own
    assert reverse("years:deadlines_edit", args=[2016]) not in own
    assert reverse("years:deadlines_edit", args=[2016]) in office


# --- reminders ---------------------------------------------------------------------------------


def with_mail(world: World) -> None:
    for user in (world.head_js, world.liaison_js, world.head_xx, world.office):
        user.email = f"{user.username}@example.gov.cn"
        user.save(update_fields=["email"])


def sent_keys() -> set[tuple[str, str, str]]:
    return set(
        ReminderSent.objects.values_list("user__username", "step", "kind").order_by(
            "user__username"
        )
    )


def test_reminders_go_before_the_deadline_to_who_must_act_and_never_twice(
    world: World, settings: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_HOST = "smtp.example.gov.cn"
    with_mail(world)
    # 28 January: the targets are due in 3 days; nobody has submitted any
    with django_capture_on_commit_callbacks(execute=True):
        sent = reminders.reminders_send(by=None, asof=D(2016, 1, 28), days_before=3)
    assert {(r.user.username, r.step.step, r.kind) for r in sent} == {
        (world.head_js.username, "targets", "before"),
        (world.liaison_js.username, "targets", "before"),
        (world.head_xx.username, "targets", "before"),
        (world.office.username, "targets_approval", "before"),
    }
    # BG has no account: nobody to remind; the bell has one notification each
    assert Notification.objects.filter(user=world.head_js, read_at__isnull=True).count() == 1
    assert AuditEvent.objects.filter(action="reminder_send").count() == 4
    assert len(mailoutbox) == 4
    mail = next(m for m in mailoutbox if m.to == [world.head_xx.email])
    assert mail.subject == "[考核] 年度考核目标报送，截止 2016-01-31"
    assert "信息化推进处：年度考核目标报送（2016年）截止于 2016-01-31（还有 3 天）。" in mail.body
    assert "http://127.0.0.1:8000/years/2016/deadlines/" in mail.body
    assert mail.content_subtype == "plain"
    # the second run the same day, or the next day: nothing again
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.reminders_send(by=None, asof=D(2016, 1, 28), days_before=3) == []
        assert reminders.reminders_send(by=None, asof=D(2016, 1, 30), days_before=3) == []
    assert len(mailoutbox) == 4 and ReminderSent.objects.count() == 4


def test_overdue_reminders_go_once_to_those_not_done(
    world: World, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    approved_target(world)  # JS's targets are in and approved
    with_mail(world)
    reminders.reminders_send(by=None, asof=D(2016, 1, 28), days_before=3)
    before = sent_keys()
    with django_capture_on_commit_callbacks(execute=True):
        sent = reminders.reminders_send(by=None, asof=D(2016, 2, 3), days_before=3)
    # JS is done, the office too (every target approved): XX alone is overdue
    assert {(r.user.username, r.step.step, r.kind) for r in sent} == {
        (world.head_xx.username, "targets", "overdue")
    }
    assert (
        sent[0].line() == "信息化推进处：年度考核目标报送（2016年）截止于 2016-01-31，已逾期 3 天。"
    )
    assert reminders.reminders_send(by=None, asof=D(2016, 2, 4), days_before=3) == []
    assert sent_keys() - before == {(world.head_xx.username, "targets", "overdue")}
    assert mailoutbox == []  # no SMTP server configured: the bell only


def test_a_changed_deadline_is_a_new_deadline_to_remind_of(world: World) -> None:
    reminders.reminders_send(by=None, asof=D(2016, 1, 28), days_before=3)
    year_actions.deadlines_set(by=world.office, year=world.year, dates={"targets": D(2016, 2, 10)})
    again = reminders.reminders_send(by=None, asof=D(2016, 2, 8), days_before=3)
    # the departments are reminded of the new date; the office's own step is overdue meanwhile
    assert {(r.step.step, r.step.due, r.kind) for r in again} == {
        ("targets", D(2016, 2, 10), "before"),
        ("targets_approval", D(2016, 1, 31), "overdue"),
    }


def test_nothing_is_reminded_long_before_a_deadline_nor_of_a_published_year(world: World) -> None:
    assert reminders.reminders_send(by=None, asof=D(2016, 1, 10), days_before=3) == []
    assert reminders.reminder_kind(D(2016, 1, 31), D(2016, 1, 31), 3) == "before"
    assert reminders.reminder_kind(D(2016, 1, 31), D(2016, 2, 1), 3) == "overdue"
    assert reminders.reminder_kind(D(2016, 1, 31), D(2016, 1, 27), 3) is None


def test_only_the_command_line_sends_reminders(world: World) -> None:
    with pytest.raises(PermissionDenied):
        reminders.reminders_send(by=world.office, asof=D(2016, 1, 28), days_before=3)


def test_the_command_dry_run_lists_and_writes_nothing_then_sends(world: World) -> None:
    out = StringIO()
    call_command("remind", "--asof", "2016-01-28", "--dry-run", stdout=out)
    assert out.getvalue().splitlines()[-1] == "4 reminders due (dry run) as of 2016-01-28"
    assert not ReminderSent.objects.exists() and not Notification.objects.exists()
    out = StringIO()
    call_command("remind", "--asof", "2016-01-28", stdout=out)
    assert out.getvalue().splitlines()[-1] == "4 reminders sent as of 2016-01-28"
    out = StringIO()
    call_command("remind", "--asof", "2016-01-28", stdout=out)
    assert out.getvalue().strip() == "0 reminders sent as of 2016-01-28"
    out = StringIO()
    call_command("remind", "--asof", "2016-01-20", "--days-before", "11", "--dry-run", stdout=out)
    assert out.getvalue().splitlines()[-1] == "0 reminders due (dry run) as of 2016-01-20"


def test_user_text_in_a_reminder_stays_text(
    world: World, settings: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_HOST = "smtp.example.gov.cn"
    world.xx.name = '=HYPERLINK("http://x")<b>处</b>'
    world.xx.save(update_fields=["name"])
    with_mail(world)
    with django_capture_on_commit_callbacks(execute=True):
        reminders.reminders_send(by=None, asof=D(2016, 1, 28), days_before=3)
    mail = next(m for m in mailoutbox if m.to == [world.head_xx.email])
    assert '=HYPERLINK("http://x")<b>处</b>：' in mail.body
    page = logged_in(world.head_xx).get(reverse("accounts:notifications")).content.decode()
    assert "&lt;b&gt;处&lt;/b&gt;" in page and "<b>处</b>" not in page


# --- the bell and the notifications ------------------------------------------------------------


def test_the_bell_counts_the_unread_with_one_query(world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = logged_in(world.head_js)
    url = reverse("years:detail", args=[2016])
    client.get(url)
    with CaptureQueriesContext(connection) as none:
        page = client.get(url).content.decode()
    assert 'id="bell"' in page and '<span class="count" aria-label="未读">0</span>' in page
    for n in range(5):
        Notification.objects.create(user=world.head_js, text=f"提醒{n}")
    Notification.objects.create(user=world.head_xx, text="别人的")
    with CaptureQueriesContext(connection) as five:
        page = client.get(url).content.decode()
    assert '<span class="count" aria-label="未读">5</span>' in page
    assert len(five) == len(none)
    bell = [q["sql"] for q in five.captured_queries if "accounts_notification" in q["sql"]]
    assert len(bell) == 1


def test_notifications_are_listed_and_marked_read_one_or_all(world: World) -> None:
    mine = [Notification.objects.create(user=world.head_js, text=f"提醒{n}") for n in range(3)]
    theirs = Notification.objects.create(user=world.head_xx, text="别人的")
    client = logged_in(world.head_js)
    page = client.get(reverse("accounts:notifications")).content.decode()
    assert "提醒2" in page and "别人的" not in page
    read = reverse("accounts:notifications_read")
    assert client.post(read, {"id": mine[0].pk}).status_code == 302
    assert client.post(read, {"id": theirs.pk}).status_code == 302  # not theirs to mark
    assert client.post(read, {"id": "x"}).status_code == 302  # not a number: none marked
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert Notification.objects.filter(user=world.head_js, read_at__isnull=True).count() == 2
    client.post(read)
    assert not Notification.objects.filter(user=world.head_js, read_at__isnull=True).exists()
    events = AuditEvent.objects.filter(action="notifications_read").order_by("sequence")
    assert [e.after for e in events] == [
        {"notifications": [mine[0].pk]},
        {"notifications": [mine[1].pk, mine[2].pk]},
    ]


def test_a_supervision_period_reminds_the_departments_with_targets_in_the_system(
    world: World,
) -> None:
    approved_target(world)  # JS, in the supervision system
    target_actions.supervision_periods_set(
        by=world.office, year=world.year, periods=[("2016-03", D(2016, 4, 5))]
    )
    sent = reminders.reminders_send(by=None, asof=D(2016, 4, 3), days_before=3)
    sent = [r for r in sent if r.step.step != "targets"]  # XX's targets are overdue meanwhile
    assert {(r.user.username, r.step.step) for r in sent} == {
        (world.head_js.username, "sup:2016-03"),
        (world.liaison_js.username, "sup:2016-03"),
    }
    assert (
        sent[0].line()
        == "技术进步处：督查系统网上申报2016-03（2016年）截止于 2016-04-05（还有 2 天）。"
    )
