"""The demo year's annual targets, in different states (issue 11): made through the actions by
the demo logins, as the office, the department and its supervising leader would."""

from __future__ import annotations

import datetime
from typing import Any

from kaohe.org import actions as org_actions
from kaohe.org.models import Department
from kaohe.targets import actions
from kaohe.targets.models import Target
from kaohe.years.models import Year

T = actions.TargetFields
TARGETS = [
    T(
        "全年完成工业技改投资120亿元",
        "市统计局年报数据",
        datetime.date(2016, 12, 31),
        "task_book",
        True,
        "周处长",
    ),
    T(
        "推动10家企业建成省级智能车间",
        "省经信委认定文件",
        datetime.date(2016, 11, 30),
        "city_project",
        True,
        "吴科员",
    ),
    T(
        "完成两化融合贯标企业30家",
        "国家贯标评定名单",
        datetime.date(2016, 12, 31),
        "modernisation",
        False,
        "吴科员",
    ),
]
LATER = T(
    "组织新一代信息技术专题培训2期",
    "培训通知及签到表",
    datetime.date(2016, 10, 31),
    "duties",
    False,
    "周处长",
)


def demo_targets(year: Year, department: Department, users: dict[str, Any]) -> None:
    """Three approved targets (one with a half-year report and supervision periods) and one
    submitted, awaiting the supervising leader; nothing if the department has targets already."""
    if Target.objects.filter(year=year, department=department).exists():
        return
    office, head, leader = users["kaoheban"], users["chuzhang"], users["lingdao"]
    if department.supervising_leader_id is None:
        department = org_actions.department_update(
            by=office, department=department, supervising_leader=leader
        )
    drafted = [
        actions.target_draft(by=head, year=year, department=department, fields=f, submit=True)
        for f in TARGETS
    ]
    for target in drafted:
        actions.target_review(by=leader, target=target, approve=True, comment="同意")
    actions.targets_compile(by=office, year=year)
    actions.targets_approve(
        by=office,
        year=year,
        meeting="考核领导小组2016年第1次会议",
        meeting_date=datetime.date(2016, 1, 28),
        document_no="常经信考〔2016〕1号",
    )
    actions.report_submit(
        by=users["lianluo"],
        target=drafted[0],
        period="H1",
        status="on_schedule",
        done="上半年完成技改投资65亿元，占全年目标54%。",
    )
    actions.supervision_periods_set(by=office, year=year)
    actions.target_draft(by=head, year=year, department=department, fields=LATER, submit=True)
