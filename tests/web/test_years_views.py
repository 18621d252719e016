"""Years, the scheme library, departments and staff, and the home workbench, through the pages."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kaohe.audit.models import AuditEvent
from kaohe.engine import builtin_scheme
from kaohe.org.models import Department, Person
from kaohe.years.forms import json_near
from kaohe.years.models import SchemeDocument, Year, YearDepartment
from tests.web.conftest import World
from tests.web.factories import DepartmentFactory, add_entry

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def library_scheme(scheme_id: str = "cz-jxw-2017") -> SchemeDocument:
    document = builtin_scheme("cz-jxw-2016").copy_document(new_id=scheme_id)
    return SchemeDocument.objects.create(scheme_id=scheme_id, name="2017 方案", document=document)


# --- creating a year -----------------------------------------------------------------------


def test_a_year_is_created_from_an_earlier_years_scheme_as_a_frozen_copy(world: World) -> None:
    DepartmentFactory(code="OLD", name="已撤销处", active_to=2016)
    office = client_for(world.office)
    response = office.post(reverse("years:new"), {"year": "2017", "source": "year:2016"})
    assert response.status_code == 302
    assert response["Location"] == reverse("years:departments", args=[2017])
    year = Year.objects.get(year=2017)
    assert year.scheme_document == world.year.scheme_document
    assert year.scheme_id == "cz-jxw-2016"
    # the departments active in 2017 are assessed, with their usual type
    assessed = {a.department.code: a.type for a in year.assessed.select_related("department")}
    assert assessed == {"JS": "service", "XX": "service", "BG": "general"}
    # last year's ranks come from the engine's results of 2016 (all tied at the start)
    assert set(year.assessed.values_list("previous_rank", flat=True)) == {1}
    event = AuditEvent.objects.get(action="year_create")
    assert event.actor == world.office and event.after["source"] == "year:2016"


def test_a_years_scheme_does_not_change_when_the_library_copy_is_edited(world: World) -> None:
    scheme = library_scheme()
    office = client_for(world.office)
    office.post(reverse("years:new"), {"year": "2017", "source": "library:cz-jxw-2017"})
    year = Year.objects.get(year=2017)
    assert year.scheme_id == "cz-jxw-2017"
    edited = json.loads(json.dumps(scheme.document))
    edited["categories"][0]["points"] = "25"
    response = office.post(
        reverse("years:scheme_edit", args=["cz-jxw-2017"]),
        {"document": json.dumps(edited, ensure_ascii=False)},
    )
    assert response.status_code == 302
    year.refresh_from_db()
    assert year.scheme_document["categories"][0]["points"] == "20"
    assert SchemeDocument.objects.get(pk=scheme.pk).document["categories"][0]["points"] == "25"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"year": "2016", "source": "builtin:cz-jxw-2016"}, "2016 年度已存在。"),
        ({"year": "1800", "source": "builtin:cz-jxw-2016"}, "2000"),
        ({"year": "", "source": "builtin:cz-jxw-2016"}, "这个字段是必填项。"),
        ({"year": "2017", "source": "library:nope"}, "选择一个有效的选项"),
    ],
)
def test_a_bad_year_is_refused_in_chinese_and_nothing_is_saved(
    world: World, data: dict[str, str], message: str
) -> None:
    response = client_for(world.office).post(reverse("years:new"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Year.objects.count() == 1
    assert not AuditEvent.objects.exists()


def test_choosing_the_assessed_departments_types_and_last_years_ranks(world: World) -> None:
    extra = DepartmentFactory(code="NEW", name="新设处", type="general")
    office = client_for(world.office)
    page = office.get(reverse("years:departments", args=[2016]))
    forms = page.context["formset"].forms
    data = {"form-TOTAL_FORMS": str(len(forms)), "form-INITIAL_FORMS": str(len(forms))}
    for i, f in enumerate(forms):
        d = Department.objects.get(pk=f.initial["department"])
        data[f"form-{i}-department"] = str(d.pk)
        if d.code != "XX":
            data[f"form-{i}-assessed"] = "on"
        data[f"form-{i}-type"] = "service" if d == extra else d.type
        data[f"form-{i}-previous_rank"] = "2" if d.code == "JS" else ""
    response = office.post(reverse("years:departments", args=[2016]), data)
    assert response.status_code == 302
    rows = {a.department.code: a for a in YearDepartment.objects.select_related("department")}
    assert set(rows) == {"JS", "BG", "NEW"}
    assert rows["NEW"].type == "service"
    assert rows["JS"].previous_rank == 2
    assert AuditEvent.objects.get(action="year_departments_set").before["XX"]["type"] == "service"


def test_a_department_with_records_cannot_leave_the_year(world: World) -> None:
    add_entry(world.year, world.xx, "1.report_missed")
    office = client_for(world.office)
    forms = office.get(reverse("years:departments", args=[2016])).context["formset"].forms
    data = {"form-TOTAL_FORMS": str(len(forms)), "form-INITIAL_FORMS": str(len(forms))}
    for i, f in enumerate(forms):
        d = Department.objects.get(pk=f.initial["department"])
        data |= {f"form-{i}-department": str(d.pk), f"form-{i}-type": d.type}
        if d.code != "XX":
            data[f"form-{i}-assessed"] = "on"
    response = office.post(reverse("years:departments", args=[2016]), data)
    assert response.status_code == 200
    assert "信息化推进处 本年度已有加减分" in response.content.decode()
    assert YearDepartment.objects.filter(department=world.xx).exists()


# --- the scheme library --------------------------------------------------------------------


def test_copying_a_built_in_scheme_under_a_new_id(world: World) -> None:
    office = client_for(world.office)
    data = {"source": "builtin:cz-jxw-2016", "new_id": "cz-jxw-2018", "name": "2018 年方案"}
    response = office.post(reverse("years:scheme_copy"), data)
    assert response["Location"] == reverse("years:scheme_form", args=["cz-jxw-2018"])
    copied = SchemeDocument.objects.get(scheme_id="cz-jxw-2018")
    assert copied.document["id"] == "cz-jxw-2018" and copied.document["name"] == "2018 年方案"
    assert copied.document["categories"] == builtin_scheme("cz-jxw-2016").document["categories"]


@pytest.mark.parametrize(
    ("new_id", "message"),
    [
        ("cz-jxw-2016", "已有相同编号的考核方案。"),
        ("有中文", "只能使用字母、数字、点、横线和下划线"),
        ("", "这个字段是必填项。"),
    ],
)
def test_a_bad_copy_is_refused(world: World, new_id: str, message: str) -> None:
    data = {"source": "builtin:cz-jxw-2016", "new_id": new_id, "name": "方案"}
    response = client_for(world.office).post(reverse("years:scheme_copy"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SchemeDocument.objects.exists()


def test_editing_a_scheme_with_every_problem_listed_and_nothing_saved(world: World) -> None:
    scheme = library_scheme()
    bad = json.loads(json.dumps(scheme.document))
    bad["categories"][0]["points"] = 20.5  # a binary float, not a decimal string
    bad["categories"][0]["items"][0]["rules"][0]["offices"] = ["XX"]  # no such office
    del bad["evaluation"]["kinds"][2]  # the leader evaluation is gone
    response = client_for(world.office).post(
        reverse("years:scheme_edit", args=["cz-jxw-2017"]), {"document": json.dumps(bad)}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "未保存:请修改下列问题。" in body
    assert "位置 categories[0].points:须为加引号的小数,如 &quot;0.5&quot;,而不是 20.5" in body
    assert "位置 categories[0].items[0].rules[0].offices[0]:未知的处室代码“XX”" in body
    assert "位置 evaluation.kinds:缺少测评类别“leader”(不参加测评的,分值设为 0)" in body
    assert SchemeDocument.objects.get(pk=scheme.pk).document == scheme.document
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"id": "cz-jxw-2017",', "JSON 格式错误:第 1 行第 22 列,此处:(行尾)"),
        ('{"id": "cz-jxw-2017", oops}', "JSON 格式错误:第 1 行第 23 列,此处:oops}"),
        ('{"id":\n  ]', "JSON 格式错误:第 2 行第 3 列,此处:]"),
        ('{"id": "other"}', "方案的 &quot;id&quot; 必须保持为 cz-jxw-2017"),
        ("", "这个字段是必填项。"),
    ],
)
def test_malformed_scheme_text_is_refused(world: World, text: str, message: str) -> None:
    scheme = library_scheme()
    response = client_for(world.office).post(
        reverse("years:scheme_edit", args=["cz-jxw-2017"]), {"document": text}
    )
    body = response.content.decode()
    assert message in body
    assert "Expecting" not in body  # the JSON decoder's English sentence is not shown
    assert SchemeDocument.objects.get(pk=scheme.pk).document == scheme.document


def test_a_json_error_past_the_last_newline_is_placed_at_the_end_of_the_line() -> None:
    with pytest.raises(json.JSONDecodeError) as caught:
        json.loads('{"id":\n')
    with translation.override("zh-hans"):
        assert json_near(caught.value) == "(行尾)"


def test_a_valid_edit_is_saved_and_audited(world: World) -> None:
    scheme = library_scheme()
    edited = json.loads(json.dumps(scheme.document))
    edited["name"] = "2017 年修订方案"
    edited["categories"][0]["items"][0]["rules"][0]["amount"] = "0.3"
    response = client_for(world.office).post(
        reverse("years:scheme_edit", args=["cz-jxw-2017"]), {"document": json.dumps(edited)}
    )
    assert response.status_code == 302
    scheme.refresh_from_db()
    assert scheme.name == "2017 年修订方案"
    event = AuditEvent.objects.get(action="scheme_update")
    amounts = [
        e["document"]["categories"][0]["items"][0]["rules"][0]["amount"]
        for e in (event.before, event.after)
    ]
    assert amounts == ["0.2", "0.3"]


def test_a_built_in_scheme_in_the_library_is_read_only(world: World) -> None:
    document = dict(builtin_scheme("cz-jxw-2016").document)
    SchemeDocument.objects.create(scheme_id="cz-jxw-2016", name="内置", document=document)
    office = client_for(world.office)
    body = office.get(reverse("years:scheme_edit", args=["cz-jxw-2016"])).content.decode()
    assert "内置方案不能修改,请先复制一份再修改。" in body
    changed = {**document, "name": "改"}
    office.post(
        reverse("years:scheme_edit", args=["cz-jxw-2016"]), {"document": json.dumps(changed)}
    )
    assert SchemeDocument.objects.get(scheme_id="cz-jxw-2016").document == document


def test_the_scheme_page_reads_the_years_scheme(world: World) -> None:
    body = client_for(world.head_js).get(reverse("years:scheme", args=[2016])).content.decode()
    assert "一、考核内容(70 分)" in body
    assert "业务工作" in body and "20 分" in body
    assert "每人次扣0.2分" in body  # 4.study_absence
    assert "每项扣1–5分" in body  # 1.target_unmet
    assert "(组织人事处、机关党委负责)" in body
    assert "中层以上干部" in body and "不参加测评" in body
    assert "较差" in body and "×0.8" in body
    assert "先进处室:前 5 名" in body
    assert "在行政复议、诉讼中被撤销具体行政行为或确认行政行为违法" in body


# --- departments and staff -----------------------------------------------------------------


def test_adding_a_department_keeps_its_unit_years_and_leader(world: World) -> None:
    data = {
        "code": "WX-JC",
        "name": "无线电管理处监测科",
        "type": "service",
        "parent": "无线电管理处",
        "active_from": "2016",
        "active_to": "",
        "supervising_leader": str(world.leader.pk),
    }
    response = client_for(world.office).post(reverse("years:org_new"), data)
    assert response.status_code == 302
    department = Department.objects.get(code="WX-JC")
    assert department.parent == "无线电管理处" and department.supervising_leader == world.leader
    assert AuditEvent.objects.get(action="department_create").after["parent"] == "无线电管理处"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"code": "JS", "name": "重复", "type": "service"}, "已有相同代码的处室。"),
        (
            {"code": "有 空格", "name": "坏代码", "type": "service"},
            "只能使用字母、数字、横线和下划线",
        ),
        (
            {
                "code": "YY",
                "name": "年份",
                "type": "general",
                "active_from": "2018",
                "active_to": "2016",
            },
            "截止年度不能早于起始年度。",
        ),
        ({"code": "ZZ", "name": "", "type": "general"}, "这个字段是必填项。"),
    ],
)
def test_a_bad_department_is_refused(world: World, data: dict[str, str], message: str) -> None:
    response = client_for(world.office).post(reverse("years:org_new"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Department.objects.count() == 3


def test_staff_are_added_and_marked_as_left(world: World) -> None:
    office = client_for(world.office)
    url = reverse("years:org_staff", args=["JS"])
    assert office.post(url, {"op": "add", "name": "王五"}).status_code == 302
    person = Person.objects.get(department=world.js, name="王五")
    duplicate = office.post(url, {"op": "add", "name": "王五"})
    assert "该处室已有同名人员。" in duplicate.content.decode()
    office.post(url, {"op": "toggle", "person": str(person.pk)})
    person.refresh_from_db()
    assert not person.active
    assert AuditEvent.objects.filter(action="person_set_active", target_id=str(person.pk)).exists()
    other = Person.objects.get(department=world.xx, name="XX甲")
    assert office.post(url, {"op": "toggle", "person": str(other.pk)}).status_code == 404


# --- the home workbench --------------------------------------------------------------------


def test_the_office_workbench_counts_what_awaits_review(world: World) -> None:
    add_entry(world.year, world.js, "1.target_unmet", status="submitted")
    add_entry(world.year, world.js, "1.report_missed", status="submitted")
    body = client_for(world.office).get("/").content.decode()
    assert 'id="wb-office"' in body
    assert '<span class="n" data-count="awaiting-review">2</span>' in body
    assert '<span class="n" data-count="awaiting-decision">1</span>' in body


def test_a_clerk_sees_the_offices_drafts_and_returned_entries(world: World) -> None:
    add_entry(world.year, world.js, "1.report_missed", status="draft", office="ZH")
    returned = add_entry(world.year, world.xx, "2.topic_unmet", status="returned", office="ZH")
    returned.status_reason = "证据不足"
    returned.save()
    add_entry(world.year, world.bg, "4.study_absence", status="draft", office="RS")
    body = client_for(world.clerk_zh).get("/").content.decode()
    assert 'id="wb-clerk"' in body
    assert "技术进步处 · 半年度完成情况、督查系统网上申报少报" in body
    assert "证据不足" in body
    assert "无故缺席" not in body


def test_a_department_head_is_sent_to_the_departments_page(world: World) -> None:
    body = client_for(world.head_js).get("/").content.decode()
    assert reverse("years:department", args=[2016, "JS"]) in body
    assert reverse("years:department", args=[2016, "XX"]) not in body
    assert 'id="wb-office"' not in body


@pytest.mark.parametrize("who", ["leader", "party"])
def test_leaders_and_the_party_group_are_sent_to_the_overview(world: World, who: str) -> None:
    body = client_for(getattr(world, who)).get("/").content.decode()
    assert reverse("years:overview", args=[2016]) in body


def test_a_user_without_a_role_is_told_so(world: World) -> None:
    body = client_for(world.outsider).get("/").content.decode()
    assert "您的账户尚未分配考核角色" in body


def test_every_page_names_the_user_and_their_roles(world: World) -> None:
    body = client_for(world.clerk_zh).get(reverse("years:scheme", args=[2016])).content.decode()
    assert world.clerk_zh.first_name in body
    assert "责任处室经办人 ZH" in body
    assert reverse("accounts:password_change") in body


def test_changing_the_password(world: World) -> None:
    client = client_for(world.outsider)
    url = reverse("accounts:password_change")
    assert "修改密码" in client.get(url).content.decode()
    bad = client.post(
        url, {"old_password": "wrong", "new_password1": "x", "new_password2": "y"}
    ).content.decode()
    assert "你的旧密码不正确" in bad
    good = client.post(
        url,
        {
            "old_password": "test-password-123",
            "new_password1": "a-much-longer-pass-2017",
            "new_password2": "a-much-longer-pass-2017",
        },
    )
    assert good["Location"] == reverse("accounts:password_change_done")
    world.outsider.refresh_from_db()
    assert world.outsider.check_password("a-much-longer-pass-2017")
