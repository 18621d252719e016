"""The named URLs of the project, read from the resolver (for the tests that cover every page)."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver


def url_names(*, skip: Collection[str] = ()) -> dict[str, str]:
    """Every named URL ('namespace:name') with its route, leaving out the namespaces in `skip`."""

    def walk(patterns: list[Any], ns: str, route: str) -> Iterator[tuple[str, str]]:
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace in skip:
                    continue
                inner = f"{ns}{p.namespace}:" if p.namespace else ns
                yield from walk(p.url_patterns, inner, route + str(p.pattern))
            elif isinstance(p, URLPattern) and p.name:
                yield f"{ns}{p.name}", route + str(p.pattern)

    return dict(walk(get_resolver().url_patterns, "", "/"))
