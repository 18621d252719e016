"""The security settings page on a laptop and a phone: a refused value, a change, its history."""

from __future__ import annotations

import pytest

from tests.browser.conftest import VIEWPORTS, Pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("screen", VIEWPORTS)
def test_the_security_administrator_changes_the_settings(pages: Pages, screen: str) -> None:
    world = pages.world
    page = pages.login(world.secadmin, screen)
    page.click("nav.menu >> text=安全设置")
    page.wait_for_url("**/account/security/")
    assert "尚未修改" in page.inner_text("main")
    assert pages.fits(page)
    pages.shot(page, f"security-policy-{screen}")
    # below the floor: refused in Chinese, nothing stored
    page.fill("#id_password_min_length", "8")
    page.evaluate("document.querySelector('#id_password_min_length').removeAttribute('min')")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "10" in page.inner_text(".has-error")
    assert "尚未修改" in page.inner_text("main")
    pages.shot(page, f"security-policy-refused-{screen}")
    # a longer minimum, a shorter idle timeout, and the leaders added to the second factor
    page.fill("#id_password_min_length", "12")
    page.fill("#id_session_idle_minutes", "15")
    page.check("input[name=second_factor_roles][value=leader]")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/account/security/")
    text = page.inner_text("main")
    assert "安全设置已修改" in text and world.secadmin.username in text
    assert page.input_value("#id_password_min_length") == "12"
    assert page.is_checked("input[name=second_factor_roles][value=leader]")
    assert pages.fits(page)
    pages.shot(page, f"security-policy-changed-{screen}")
