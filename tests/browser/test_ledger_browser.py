"""The ledger in a real browser: a clerk records and submits, the office confirms, the department
head objects, the office decides the objection. Screenshots (desktop and phone) go to $KAOHE_SHOTS.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from kaohe.ledger.models import Entry, EntryStatus, Objection, ObjectionStatus
from tests.browser.conftest import Pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def a_pdf(tmp_path: Path, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(PDF)
    return str(path)


def fill_entry(page: Any, base: str, evidence: str) -> None:
    """Fill the record form as a clerk of 综合处 would, watching the amount preview."""
    from playwright.sync_api import expect

    page.goto(f"{base}/ledger/2016/entries/new/")
    page.select_option("#id_department", "JS")
    Pages.settled(page)
    page.select_option("#id_item", "1")
    Pages.settled(page)
    # the rule list is narrowed to item 1 by htmx
    expect(page.locator("#id_rule option[value='2.topic_unmet']")).to_have_count(0)
    page.select_option("#id_rule", "1.report_missed")
    Pages.settled(page)
    expect(page.locator("#amount-preview")).to_have_text("填写次数后显示分值。")
    page.select_option("#id_period", "H1")
    page.fill("#id_count", "2")
    expect(page.locator("#amount-preview")).to_have_text("扣 0.40 分")
    page.fill("#id_description", "上半年完成情况未按时报送两次。")
    page.set_input_files("#id_evidence_files", evidence)


def test_record_confirm_object_resolve(pages: Pages, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    w, base = pages.world, pages.base
    evidence = a_pdf(tmp_path, "督查系统截图.pdf")

    # the clerk's form, on a phone first (not submitted), then recorded on a laptop
    phone = pages.login(w.clerk_zh, "phone")
    fill_entry(phone, base, evidence)
    pages.shot(phone, "01-record-phone")
    clerk = pages.login(w.clerk_zh)
    fill_entry(clerk, base, evidence)
    pages.shot(clerk, "01-record-desktop")
    clerk.click("button[value=submit]")
    expect(clerk.locator(".messages")).to_contain_text("已提交审核")
    pages.shot(clerk, "02-entry-submitted-desktop")
    entry = Entry.objects.get()
    assert (entry.status, entry.count) == (EntryStatus.SUBMITTED, 2)
    assert entry.evidence.get().original_name == "督查系统截图.pdf"

    # the assessment office confirms it from the review queue
    office = pages.login(w.office)
    office.goto(f"{base}/ledger/2016/review/")
    pages.shot(office, "03-review-desktop")
    office_phone = pages.login(w.office, "phone")
    office_phone.goto(f"{base}/ledger/2016/review/")
    pages.shot(office_phone, "03-review-phone")
    row = office.locator("#to-confirm tr", has_text=entry.ref)
    row.get_by_role("button", name="确认").click()
    expect(office.locator(".outcomes")).to_contain_text("已确认 1 条，未处理 0 条。")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.CONFIRMED

    # the head of JS sees it in the ledger and objects, with a file
    head = pages.login(w.head_js, "phone")
    head.goto(f"{base}/ledger/2016/entries/")
    pages.shot(head, "04-ledger-phone")
    head.get_by_role("link", name=entry.ref).click()
    head.locator("summary", has_text="提出异议").click()
    head.fill("#id_object-reason", "第二次已于7月3日补报,见附件。")
    head.set_input_files("#id_object-evidence_files", a_pdf(tmp_path, "补报记录.pdf"))
    head.get_by_role("button", name="提交异议").click()
    expect(head.locator(".messages")).to_contain_text("异议已提交考核办")
    pages.shot(head, "05-objection-phone")
    objection = Objection.objects.get()
    assert objection.evidence.count() == 1

    # the office decides: upheld, the count corrected to 1
    office.goto(f"{base}/ledger/2016/review/")
    office.locator("#objections").get_by_role("link", name="处理异议").click()
    expect(office).to_have_url(re.compile(rf"/ledger/entries/{entry.pk}/"))
    office.check("input[name=resolve-outcome][value=correct]")
    office.fill("#id_resolve-corrected_count", "1")
    office.fill("#id_resolve-resolution", "核实第二次已补报,按少报一次计。")
    office.get_by_role("button", name="提交处理意见").click()
    expect(office.locator(".messages")).to_contain_text("异议已处理")
    expect(office.locator(".amount")).to_have_text("扣 0.20 分")
    pages.shot(office, "06-resolved-desktop")
    office_phone.goto(f"{base}/ledger/entries/{entry.pk}/")
    pages.shot(office_phone, "06-resolved-phone")
    objection.refresh_from_db()
    entry.refresh_from_db()
    assert (objection.status, entry.count) == (ObjectionStatus.UPHELD, 1)

    # the head sees the outcome
    head.goto(f"{base}/ledger/entries/{entry.pk}/")
    expect(head.locator(f"#objection-{objection.pk}")).to_contain_text("异议成立")
    expect(head.locator(".amount")).to_have_text("扣 0.20 分")


def test_form_errors_on_a_phone(pages: Pages) -> None:
    from playwright.sync_api import expect

    clerk = pages.login(pages.world.clerk_zh, "phone")
    clerk.goto(f"{pages.base}/ledger/2016/entries/new/")
    clerk.select_option("#id_rule", "1.report_missed")
    Pages.settled(clerk)
    clerk.fill("#id_description", "缺期间和次数")
    clerk.click("button[value=submit]")
    expect(clerk.locator("#field-period .field-error")).to_have_text("这个字段是必填项。")
    expect(clerk.locator("#id_description")).to_have_value("缺期间和次数")
    pages.shot(clerk, "07-errors-phone")
    assert not Entry.objects.exists()


def test_batch_entry_shows_every_rows_problems_on_a_phone(pages: Pages, tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from playwright.sync_api import expect

    clerk = pages.login(pages.world.clerk_zh, "phone")
    clerk.goto(f"{pages.base}/ledger/2016/batch/")
    pages.shot(clerk, "08-batch-phone")
    with clerk.expect_download() as download:
        clerk.get_by_role("link", name="综合处").click()
    template = tmp_path / "模板.xlsx"
    download.value.save_as(template)
    wb = load_workbook(template)
    wb.worksheets[0].append(["JS", "1.report_missed", "上半年", 2, None, None, None, None, "未报"])
    wb.worksheets[0].append(["QQ", "1.report_missed", "明年", 1, None, None, None, None, ""])
    wb.save(template)
    clerk.set_input_files("#id_file", str(template))
    clerk.get_by_role("button", name="检查文件").click()
    expect(clerk.locator(".errors")).to_contain_text("未保存任何记录")
    pages.shot(clerk, "09-batch-problems-phone")
    assert not Entry.objects.exists()


def test_a_voided_entry_says_so_first_and_its_office_is_told(pages: Pages) -> None:
    from playwright.sync_api import expect

    from kaohe.ledger import actions

    w, base = pages.world, pages.base
    entry = actions.entry_record(
        by=w.clerk_zh,
        year=w.year,
        department=w.js,
        rule_id="2.paper_national",
        office="ZH",
        period="H1",
        count=1,
        submit=True,
    )
    actions.entry_confirm(by=w.office, entry=entry)
    actions.entry_void(by=w.office, entry=entry, reason="与 2016-00003 重复录入")
    for viewport in ("desktop", "phone"):
        page = pages.login(w.clerk_zh, viewport)
        expect(page.locator("#wb-voided")).to_contain_text("与 2016-00003 重复录入")
        pages.shot(page, f"10-voided-workbench-{viewport}")
        page.locator("#wb-voided a").first.click()
        expect(page.locator("#voided")).to_contain_text("已作废，本条记录不计分")
        expect(page.locator(".page-head .amount.pos")).to_have_count(0)
        assert pages.fits(page)
        pages.shot(page, f"10-voided-entry-{viewport}")
    # the amount preview refuses a once-a-year rule already used
    actions.entry_record(
        by=w.clerk_zh,
        year=w.year,
        department=w.js,
        rule_id="2.topic_unmet",
        office="ZH",
        period="year",
        count=1,
    )
    page = pages.login(w.clerk_zh)
    page.goto(f"{base}/ledger/2016/entries/new/")
    page.select_option("#id_department", "JS")
    Pages.settled(page)
    page.select_option("#id_item", "2")
    Pages.settled(page)
    page.select_option("#id_rule", "2.topic_unmet")
    Pages.settled(page)
    page.fill("#id_count", "1")
    expect(page.locator("#amount-preview")).to_contain_text("无法保存")
    pages.shot(page, "10-preview-once-a-year-desktop")
