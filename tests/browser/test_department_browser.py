"""The department's page and the overview in a real browser, on a laptop and on a phone.

On the realistic demo year; screenshots go to $KAOHE_SHOTS (tests/browser/conftest.py).
"""

from __future__ import annotations

from typing import Any

import pytest

from kaohe.assessment.bundle_io import year_import
from kaohe.demo import demo_bundle_document
from kaohe.engine import parse_bundle
from kaohe.engine.numbers import fmt2
from kaohe.org.models import Department
from kaohe.results.bundle import year_results
from kaohe.years.models import Year
from tests.browser.conftest import VIEWPORTS, Pages
from tests.web.factories import RoleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo() -> dict[str, Any]:
    """The demo year 2016, the assessment office, and the head of 产业发展处 (CY)."""
    year_import(by=None, bundle=parse_bundle(demo_bundle_document()))
    cy = Department.objects.get(code="CY")
    return {
        "year": Year.objects.get(year=2016),
        "office": RoleFactory(kind="assessment_office").user,
        "head": RoleFactory(kind="department_head", department=cy).user,
    }


@pytest.mark.parametrize("screen", VIEWPORTS)
def test_the_department_page_explains_its_numbers(
    pages: Pages, demo: dict[str, Any], screen: str
) -> None:
    result = year_results(demo["year"]).get("CY")
    page = pages.login(demo["head"], screen)
    # the head finds the department's page from the workbench
    page.click("#wb-department a")
    page.wait_for_selector("#summary")
    assert page.inner_text("#summary [data-col=total]") == fmt2(result.total)
    assert f"第 {result.rank} 名" in page.inner_text("#summary")
    # 作风建设 of CY is cut by the cap: the trail says so in words
    conduct = page.inner_text("#category-conduct")
    assert "(以本类分值为限,扣至 0)" in conduct
    assert page.is_visible("#kind-democratic") and page.is_visible("#objections")
    assert pages.fits(page)
    pages.shot(page, f"department-{screen}")


@pytest.mark.parametrize("screen", VIEWPORTS)
def test_the_overview_lists_every_department_and_links_to_each(
    pages: Pages, demo: dict[str, Any], screen: str
) -> None:
    results = year_results(demo["year"])
    page = pages.login(demo["office"], screen)
    page.goto(f"{pages.base}/years/2016/overview/")
    rows = page.locator("table.overview tbody tr")
    assert rows.count() == len(results.departments)
    first = results.departments[0]
    assert page.inner_text(f"tr[data-code='{first.code}'] [data-col=total]") == fmt2(first.total)
    assert pages.fits(page)
    pages.shot(page, f"overview-{screen}")
    # the name links to the department's page
    page.click(f"tr[data-code='{first.code}'] a")
    page.wait_for_selector("#summary")
    assert page.inner_text("#summary [data-col=total]") == fmt2(first.total)
