"""What the results pages share: the sub-menu and the layout of a ranking."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from kaohe.access import results as result_access
from kaohe.engine.scheme import KINDS, Scheme
from kaohe.results.models import Publication
from kaohe.years.models import Year


def results_context(
    request: HttpRequest, year: Year, scheme: Scheme, *, published: bool | None = None, **extra: Any
) -> dict[str, Any]:
    """The context every results page has: the year, the menu rights, the table's columns
    (`published`: whether the year has a published version, looked up when not given)."""
    user = request.user
    if published is None:
        published = Publication.objects.filter(year=year).exists()
    return {
        "year": year,
        "scheme": scheme,
        "category_names": [c.name for c in scheme.categories],
        "kind_names": [scheme.kinds[k].name for k in KINDS],
        "may_see_proposal": result_access.may_see_proposal(user),
        "published": published,
        "may_see_live": result_access.may_see_live_results(user, published=published),
        "may_record": result_access.may_record_results_inputs(user),
        "may_confirm": result_access.may_confirm_results(user),
        "may_see_objections": result_access.may_see_publicity_objections(user),
        **extra,
    }
