"""The second factor on a laptop and a phone: the assessment office enrols after the password
(QR code, a code computed as the phone would, the recovery codes shown once), then logs in again
with password and code; the lockout page and the login records."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.conftest import VIEWPORTS, Pages
from tests.web.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code(device: TOTPDevice, offset: int = 0) -> str:
    return str(totp(device.bin_key, device.step, device.t0, device.digits, offset)).zfill(6)


def password_step(pages: Pages, user: Any, screen: str) -> Any:
    page = pages.open(screen)
    page.goto(f"{pages.base}/login/")
    assert "动态口令" in page.inner_text("main")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("form.form button[type=submit]")
    return page


@pytest.mark.parametrize("screen", VIEWPORTS)
def test_the_office_enrols_and_logs_in_with_a_code(
    pages: Pages, screen: str, monkeypatch: Any
) -> None:
    monkeypatch.setattr(settings, "KAOHE_OTP_REQUIRED", True)
    office = pages.world.office
    page = password_step(pages, office, screen)
    page.wait_for_url("**/account/second-factor/")
    assert "请先启用" in page.inner_text("main")
    page.click("button[name=start]")
    page.wait_for_selector("img.qr")
    assert pages.fits(page)
    pages.shot(page, f"otp-enrol-{screen}")
    device = TOTPDevice.objects.get(user=office, confirmed=False)
    page.fill("#id_token", code(device))
    page.click("main form.form button[type=submit]")
    page.wait_for_selector("#recovery-codes")
    assert page.locator("#recovery-codes li").count() == 10
    pages.shot(page, f"otp-recovery-codes-{screen}")
    page.click("text=继续")
    page.wait_for_url(f"{pages.base}/")
    # a new login: the password, then the code
    page = password_step(pages, office, screen)
    page.wait_for_url("**/account/second-factor/verify/")
    page.fill("#id_token", "000000")
    page.click("main form.form button[type=submit]")
    assert "验证码错误" in page.inner_text("main")
    assert pages.fits(page)
    pages.shot(page, f"otp-verify-{screen}")
    device.refresh_from_db()
    page.wait_for_timeout(1100)  # django-otp waits a second after a wrong code
    page.fill("#id_token", code(device, 1))
    page.click("main form.form button[type=submit]")
    page.wait_for_url(f"{pages.base}/")
    assert "考核" in page.inner_text("main")


@pytest.mark.parametrize("screen", VIEWPORTS)
def test_the_lockout_page_and_the_login_records(
    pages: Pages, screen: str, monkeypatch: Any
) -> None:
    monkeypatch.setattr(settings, "AXES_ENABLED", True)
    monkeypatch.setattr(settings, "KAOHE_LOCKOUT_FAILURES", 2)
    monkeypatch.setattr(settings, "KAOHE_LOCKOUT_ADDRESS_FAILURES", 2)
    page = pages.open(screen)
    for _n in range(3):
        page.goto(f"{pages.base}/login/")
        page.fill("#id_username", "=cmd|' /C calc'!A0")
        page.fill("#id_password", "wrong")
        page.click("form.form button[type=submit]")
    assert "已被锁定" in page.inner_text("main")
    assert pages.fits(page)
    pages.shot(page, f"lockout-{screen}")
    monkeypatch.setattr(settings, "AXES_ENABLED", False)
    admin = pages.login(pages.world.secadmin, screen)
    admin.click("nav.menu >> text=登录锁定")
    assert "=cmd" in admin.inner_text("main")
    assert pages.fits(admin)
    pages.shot(admin, f"lockouts-{screen}")
    auditor = pages.login(pages.world.auditadmin, screen)
    auditor.click("nav.menu >> text=登录记录")
    assert "已锁定" in auditor.inner_text("main")
    assert pages.fits(auditor)
    pages.shot(auditor, f"login-records-{screen}")
