"""What every export of a version is built from."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.engine import Bundle, Results
from kaohe.engine.numbers import fmt2
from kaohe.engine.scheme import Scheme
from kaohe.results.models import Publication
from kaohe.results.seal import PRINTED
from kaohe.results.selectors import publication_bundle, publication_honors, publication_results

# Places kept for a value that has no finite decimal form (an evaluation mean such as 28/3).


@dataclass(frozen=True)
class ExportData:
    """A published version's figures, exact, with what is needed to word them."""

    publication: Publication
    year: int
    number: int
    digest: str
    seal: str  # the first digits of the version's seal, as printed (seal.PRINTED)
    scheme: Scheme
    bundle: Bundle
    results: Results
    honors: dict[str, list[str]]
    names: dict[str, str]
    confirmed_on: datetime.date
    organisation: str


def export_data(publication: Publication) -> ExportData:
    """Gather a version for export; PublicationMismatch if its inputs no longer give its figures."""
    results = publication_results(publication)  # checked against what was published
    bundle = publication_bundle(publication)
    return ExportData(
        publication=publication,
        year=publication.year.year,
        number=publication.number,
        digest=publication.digest,
        seal=publication.seal[:PRINTED],
        scheme=bundle.scheme,
        bundle=bundle,
        results=results,
        honors=publication_honors(publication),
        names={d.code: d.name for d in bundle.departments},
        confirmed_on=timezone.localtime(publication.confirmed_at).date(),
        organisation=str(bundle.scheme.document.get("organisation", "")),
    )


def chinese_date(day: datetime.date) -> str:
    """A date as Chinese documents write it: 2017年1月20日."""
    return _("%(y)s-%(m)s-%(d)s") % {"y": day.year, "m": day.month, "d": day.day}


def honored(data: ExportData, honor: str) -> list[str]:
    """Names of the departments holding `honor`, in ranking order."""
    return [data.names[d.code] for d in data.results.departments if honor in data.honors[d.code]]


def figure_headers() -> tuple[str, ...]:
    """The headers of a department's printed figures and honors, in the order every export
    prints them."""
    return (_("content"), _("evaluation"), _("adjustment"), _("total"), _("honors"))


def figures(data: ExportData, code: str) -> dict[str, str]:
    """A department's printed figures."""
    d = data.results.get(code)
    return {
        "content": fmt2(d.content),
        "evaluation": fmt2(d.evaluation_total),
        "adjustment": fmt2(d.adjustment),
        "total": fmt2(d.total),
    }
