"""The account pages on a laptop and a phone: the list, an account, and the password shown once."""

from __future__ import annotations

import pytest

from tests.browser.conftest import VIEWPORTS, Pages
from tests.web.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("screen", VIEWPORTS)
def test_the_administrators_manage_an_account_and_its_roles(pages: Pages, screen: str) -> None:
    world = pages.world
    UserFactory(username="wangwu", first_name="王五", is_active=False)
    # the system administrator: the list, a new account, its password shown once
    page = pages.login(world.sysadmin, screen)
    page.click("nav.menu >> text=账号管理")
    page.wait_for_url("**/account/users/")
    assert "王五" in page.inner_text("main") and "已停用" in page.inner_text("main")
    assert pages.fits(page)
    pages.shot(page, f"accounts-list-{screen}")
    page.click("text=新建账号")
    page.fill("#id_username", f"li-{screen}")
    page.fill("#id_full_name", "李四")
    page.click("main form button[type=submit]")
    assert "仅显示这一次" in page.inner_text("main")
    pages.shot(page, f"accounts-password-shown-{screen}")
    page.click("text=返回账号")
    assert "下次登录时须修改" in page.inner_text("main")
    assert pages.fits(page)
    pages.shot(page, f"accounts-detail-sysadmin-{screen}")
    # the security administrator: grants the new account a role on the same page
    page = pages.login(world.secadmin, screen)
    page.click("nav.menu >> text=账号管理")
    page.fill("#id_q", f"li-{screen}")
    page.click("form[role=search] button")
    page.click(f"text=li-{screen}")
    page.select_option("#id_kind", "department_head")
    page.select_option("#id_department", label=str(world.js))
    page.click("form[action$='/roles/'] button[type=submit]")
    page.wait_for_load_state()
    assert "已授予角色" in page.inner_text("main")
    assert "停用账号" not in page.inner_text("main")
    assert pages.fits(page)
    pages.shot(page, f"accounts-detail-secadmin-{screen}")
