"""The realistic demo year: a whole 2016 bundle of the commission, for trying the product.

`year2016.json` is a year bundle (docs/bundle.md) written by tools/make_demo_year.py: twenty
departments, entries for every item 1–18, the four kinds of ballots, one party-group adjustment,
one veto and last year's ranks. No Django here: the engine, the CLI and the web app all load it.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from kaohe.engine.bundle import Bundle, parse_bundle

DEMO_FILE = "year2016.json"


def demo_bundle_text() -> str:
    """The demo bundle's JSON text, as shipped in the package."""
    return resources.files(__name__).joinpath(DEMO_FILE).read_text(encoding="utf-8")


def demo_bundle_document() -> dict[str, Any]:
    """The demo bundle as a decoded JSON document, a fresh copy on every call."""
    doc: dict[str, Any] = json.loads(demo_bundle_text())
    return doc


def demo_bundle() -> Bundle:
    """The demo bundle parsed and validated by the engine."""
    return parse_bundle(demo_bundle_document())
