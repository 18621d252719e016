"""The scheme's form editor (issue 10, point 13): fields by JSON path, the engine's problems in
Chinese beside their fields, nothing saved unless valid, saved through scheme_update."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kaohe.audit.models import AuditEvent
from kaohe.engine import builtin_scheme
from kaohe.years.models import SchemeDocument
from kaohe.years.schemeform import all_fields, editor_sections
from tests.web.conftest import World

pytestmark = pytest.mark.django_db
URL = "years:scheme_form"


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def library_scheme(scheme_id: str = "cz-jxw-2017") -> SchemeDocument:
    document = builtin_scheme("cz-jxw-2016").copy_document(new_id=scheme_id)
    return SchemeDocument.objects.create(scheme_id=scheme_id, name="2017 方案", document=document)


def form_data(scheme: SchemeDocument, **changes: str) -> dict[str, str]:
    """What the page posts unchanged, with some fields changed (by their JSON path)."""
    data = {f.name: f.value for f in all_fields(editor_sections(scheme.document))}
    assert set(changes) <= set(data) | {k for k in changes if k.startswith("new_")}
    return {**data, **changes}


def errors_beside(body: str, path: str) -> list[str]:
    """The error messages shown in the field block of the field named `path`."""
    block = re.search(
        rf'data-path="{re.escape(html.escape(path))}"[^>]*>(.*?)</div>', body, flags=re.DOTALL
    )
    assert block is not None, path
    return [html.unescape(m) for m in re.findall(r"<li>(.*?)</li>", block.group(1))]


def post(world: World, scheme: SchemeDocument, data: dict[str, str]) -> Any:
    return client_for(world.office).post(reverse(URL, args=[scheme.scheme_id]), data)


def test_the_editor_shows_the_fields_that_change_from_year_to_year(world: World) -> None:
    scheme = library_scheme()
    body = client_for(world.office).get(reverse(URL, args=["cz-jxw-2017"])).content.decode()
    for path in (
        "categories[0].points",
        "categories[0].items[0].title",
        "categories[0].items[0].rules[0].amount",
        "categories[0].items[0].rules[1].max",
        "evaluation.grades[1].coefficient",
        "evaluation.kinds[0].points.general",
        "evaluation.kinds[0].rounds.H1",
        "honors.advanced",
        "offices.ZH",
        "new_rule.kind",
    ):
        assert f'name="{html.escape(path)}"' in body, path
    assert 'value="20"' in body and "业务工作" in body
    assert scheme.document == SchemeDocument.objects.get(pk=scheme.pk).document


def test_editing_a_categorys_points_through_the_form_saves_and_audits(world: World) -> None:
    scheme = library_scheme()
    response = post(world, scheme, form_data(scheme, **{"categories[0].points": "25"}))
    assert response.status_code == 302
    scheme.refresh_from_db()
    assert scheme.document["categories"][0]["points"] == "25"  # a decimal string, not a float
    event = AuditEvent.objects.get(action="scheme_update")
    assert event.before["document"]["categories"][0]["points"] == "20"
    assert event.after["document"]["categories"][0]["points"] == "25"
    # nothing else of the document changed
    expected = builtin_scheme("cz-jxw-2016").copy_document(new_id="cz-jxw-2017")
    expected["categories"][0]["points"] = "25"
    assert scheme.document == expected


@pytest.mark.parametrize(
    ("path", "value", "shown_at", "message"),
    [
        ("categories[1].points", "-5", "categories[1].points", "不能为负数,而不是 -5"),
        (
            "categories[0].items[0].rules[1].min",
            "6",
            "categories[0].items[0].rules[1].max",
            "区间下限(min)不能大于上限(max)",
        ),
        ("honors.advanced", "-1", "honors.advanced", "须为不小于 0 的整数,而不是 -1"),
        ("evaluation.grades[1].coefficient", "1.5", None, "须在 0 到 1 之间"),
        ("categories[0].items[0].rules[0].amount", "abc", None, "须为加引号的小数"),
    ],
)
def test_an_invalid_value_is_shown_in_chinese_beside_its_field_and_nothing_is_saved(
    world: World, path: str, value: str, shown_at: str | None, message: str
) -> None:
    scheme = library_scheme()
    response = post(world, scheme, form_data(scheme, **{path: value}))
    body = response.content.decode()
    assert response.status_code == 200
    assert "未保存" in body
    assert any(message in e for e in errors_beside(body, shown_at or path)), body
    assert SchemeDocument.objects.get(pk=scheme.pk).document == scheme.document
    assert not AuditEvent.objects.exists()


def test_adding_a_rule_to_an_item(world: World) -> None:
    scheme = library_scheme()
    new = {
        "new_rule.item": "3",
        "new_rule.id": "3.wechat_missed",
        "new_rule.name": "政务微信信息未按时报送",
        "new_rule.direction": "deduct",
        "new_rule.kind": "range",
        "new_rule.unit": "次",
        "new_rule.amount": "9",  # not a range rule's: left out
        "new_rule.min": "0.5",
        "new_rule.max": "1",
        "new_rule.offices": "BG ZH",
    }
    response = post(world, scheme, form_data(scheme, **new))
    assert response.status_code == 302
    scheme.refresh_from_db()
    item = next(i for c in scheme.document["categories"] for i in c["items"] if i["number"] == 3)
    assert item["rules"][-1] == {
        "id": "3.wechat_missed",
        "name": "政务微信信息未按时报送",
        "direction": "deduct",
        "kind": "range",
        "unit": "次",
        "min": "0.5",
        "max": "1",
        "offices": ["BG", "ZH"],
    }
    assert AuditEvent.objects.filter(action="scheme_update").count() == 1


def test_a_new_rule_missing_what_its_kind_needs_is_refused_beside_the_field(world: World) -> None:
    scheme = library_scheme()
    new = {
        "new_rule.item": "3",
        "new_rule.id": "3.x",
        "new_rule.name": "某项",
        "new_rule.direction": "deduct",
        "new_rule.kind": "shortfall",
        "new_rule.unit": "条",
        "new_rule.amount": "0.2",
        "new_rule.quota.service": "x",
        "new_rule.quota.general": "2",
        "new_rule.offices": "QQ",
    }
    body = post(world, scheme, form_data(scheme, **new)).content.decode()
    assert any("整数" in e for e in errors_beside(body, "new_rule.quota.service"))
    assert any("未知的处室代码“QQ”" in e for e in errors_beside(body, "new_rule.offices"))
    assert SchemeDocument.objects.get(pk=scheme.pk).document == scheme.document


def test_rounds_are_held_where_a_weight_is_given(world: World) -> None:
    scheme = library_scheme()
    data = form_data(scheme, **{"evaluation.kinds[0].rounds.H2": "1", "honors.advanced": "6"})
    assert post(world, scheme, data).status_code == 302
    scheme.refresh_from_db()
    periods = [r["period"] for r in scheme.document["evaluation"]["kinds"][0]["rounds"]]
    assert periods == ["H1", "H2", "year"]
    assert scheme.document["honors"]["advanced"] == 6


def test_a_too_long_value_is_refused_before_the_engine(world: World) -> None:
    scheme = library_scheme()
    data = form_data(scheme, **{"categories[0].name": "长" * 501})
    body = post(world, scheme, data).content.decode()
    assert "最多 500 个字符" in " ".join(errors_beside(body, "categories[0].name"))
    assert SchemeDocument.objects.get(pk=scheme.pk).document == scheme.document


def test_a_built_in_scheme_is_read_only_in_the_form_editor(world: World) -> None:
    document = dict(builtin_scheme("cz-jxw-2016").document)
    scheme = SchemeDocument.objects.create(scheme_id="cz-jxw-2016", name="内置", document=document)
    office = client_for(world.office)
    body = office.get(reverse(URL, args=["cz-jxw-2016"])).content.decode()
    assert "内置方案不能修改" in body and "保存</button>" not in body
    response = post(world, scheme, form_data(scheme, **{"categories[0].points": "25"}))
    assert response.status_code == 403
    assert SchemeDocument.objects.get(pk=scheme.pk).document == document


def test_a_broken_library_document_is_sent_to_the_json_editor(world: World) -> None:
    SchemeDocument.objects.create(scheme_id="draft", name="草案", document={"id": "draft"})
    body = client_for(world.office).get(reverse(URL, args=["draft"])).content.decode()
    assert "请在 JSON 编辑器中修改" in body
    assert "缺少字段“offices”" in body


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("categories[0].name", "业务\x00工作", "请删除其中的控制字符。"),
        ("new_rule.item", "99", "请选择考核项目。"),
        ("new_office.code", "ZH", "该处室已存在。"),
    ],
)
def test_a_value_the_document_cannot_take_is_refused_beside_its_field(
    world: World, path: str, value: str, message: str
) -> None:
    scheme = library_scheme()
    data = form_data(scheme, **{path: value, "new_rule.id": "1.x", "new_rule.kind": "each"})
    body = post(world, scheme, data).content.decode()
    assert message in errors_beside(body, path)
    assert SchemeDocument.objects.get(pk=scheme.pk).document == scheme.document
