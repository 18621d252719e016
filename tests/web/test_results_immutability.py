"""Nothing can alter a published version: every attempt, by model, queryset, action or page."""

from __future__ import annotations

import pytest
from django.db.models.deletion import ProtectedError

from kaohe.results.actions import chart_store
from kaohe.results.charts import publication_chart
from kaohe.results.models import Publication, PublishedChart, PublishedVersionImmutable
from kaohe.results.selectors import publication_bundle
from tests.web.results_support import Demo, publish, published_demo_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(published_demo: tuple[Demo, int]) -> Demo:
    return published_demo[0]


@pytest.fixture
def version(published_demo: tuple[Demo, int]) -> Publication:
    return Publication.objects.get(pk=published_demo[1])


def _row(p: Publication) -> dict:
    return dict(Publication.objects.filter(pk=p.pk).values()[0])


def test_saving_a_published_version_again_is_refused(version: Publication) -> None:
    before = _row(version)
    version.results["departments"][0]["total"] = "999.99"
    with pytest.raises(PublishedVersionImmutable):
        version.save()
    loaded = Publication.objects.get(pk=version.pk)
    loaded.reason = "改一下"
    with pytest.raises(PublishedVersionImmutable):
        loaded.save(update_fields=["reason"])
    assert _row(version) == before


def test_deleting_a_published_version_is_refused(version: Publication) -> None:
    with pytest.raises(PublishedVersionImmutable):
        version.delete()
    with pytest.raises(PublishedVersionImmutable):
        Publication.objects.filter(pk=version.pk).delete()
    with pytest.raises(PublishedVersionImmutable):
        Publication.objects.all().delete()
    assert Publication.objects.filter(pk=version.pk).exists()


def test_bulk_changes_to_published_versions_are_refused(version: Publication) -> None:
    before = _row(version)
    with pytest.raises(PublishedVersionImmutable):
        Publication.objects.filter(pk=version.pk).update(digest="0" * 64)
    version.meeting = "别的会议"
    with pytest.raises(PublishedVersionImmutable):
        Publication.objects.bulk_update([version], ["meeting"])
    assert _row(version) == before


def test_the_year_of_a_published_version_cannot_be_deleted(version: Publication) -> None:
    with pytest.raises(ProtectedError):
        version.year.delete()


def test_a_stored_chart_is_never_replaced_nor_deleted(version: Publication) -> None:
    scheme = publication_bundle(version).scheme
    png = publication_chart(version, "ranking", scheme)
    assert png.startswith(b"\x89PNG")
    assert publication_chart(version, "ranking", scheme) == png  # served as stored
    with pytest.raises(PublishedVersionImmutable):
        chart_store(publication=version, name="ranking", png=b"other")
    chart = PublishedChart.objects.get(publication=version, name="ranking")
    chart.png = b"other"
    with pytest.raises(PublishedVersionImmutable):
        chart.save()
    with pytest.raises(PublishedVersionImmutable):
        chart.delete()
    with pytest.raises(PublishedVersionImmutable):
        PublishedChart.objects.filter(pk=chart.pk).update(png=b"x")
    assert bytes(PublishedChart.objects.get(pk=chart.pk).png) == png


def test_no_page_writes_to_a_published_version(demo: Demo, version: Publication) -> None:
    before = _row(version)
    base = "/results/2016/versions/1/"
    urls = [
        base,
        base + "bundle.json",
        base + "results.xlsx",
        base + "notice.pdf",
        base + "notice.docx",
        base + "sheets/JS.pdf",
        base + "charts/ranking.png",
        "/results/2016/",
        "/results/2016/versions/",
        "/results/2016/versions/1/diff/1/",
    ]
    for user in (demo.office, demo.party):
        client = demo.client(user)
        for url in urls:
            for method in (client.post, client.put, client.patch, client.delete):
                assert method(url).status_code == 405, (method, url)
    assert _row(version) == before


def test_the_admin_does_not_offer_published_versions(demo: Demo, version: Publication) -> None:
    demo.office.is_staff = demo.office.is_superuser = True
    demo.office.save()
    response = demo.client(demo.office).get("/admin/results/publication/")
    assert response.status_code == 404


def test_a_correction_leaves_the_earlier_version_as_it_was(
    demo: Demo, version: Publication
) -> None:
    from decimal import Decimal

    from kaohe.results.actions import adjustment_record, veto_record

    before = _row(version)
    adjustment_record(
        by=demo.office,
        year=demo.year,
        department=demo.js,
        amount=Decimal("5"),
        reason="党组研究加分",
        meeting="党组会",
    )
    veto_record(
        by=demo.office, year=demo.year, department=demo.js, reason="dereliction", facts="失职"
    )
    publish(demo.year, by=demo.party)
    assert _row(version) == before
    assert Publication.objects.count() == 2
