"""The common case, fast: a valid bundle whose text repeats no key, decoded in C.

Decoding with a hook on every object (jsondoc.load_json) costs a third of a large bundle's
reading; it is needed only to see repeated keys, which are ruled out here by counting colons.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import Any

from kaohe.engine.bundle.jsondoc import Float, load_json, reject_constant
from kaohe.engine.bundle.model import Bundle
from kaohe.engine.bundle.read import BundleReader, parse_bundle
from kaohe.engine.problems import Problems

_ITEM_LISTS = ("departments", "entries", "ballots", "adjustments", "vetoes")
_FEW = ("departments", "ballots", "adjustments", "vetoes")


def parse_bundle_bytes(data: bytes | str, *, keep: list[object] | None = None) -> Bundle:
    """Parse and validate a bundle from its JSON text; the decoded document is added to `keep`,
    if given, for a process that ends without freeing it."""
    bundle = _parse_valid_unique(data, keep)
    if bundle is not None:
        return bundle
    # Bad input, or a key may be repeated: decode again, watching every object, and report.
    return parse_bundle(load_json(data))


def _parse_valid_unique(data: bytes | str, keep: list[object] | None) -> Bundle | None:
    """The bundle if it is valid and its text repeats no key, else None.

    When this gives a bundle, the watchful decoding would have given the very same document,
    and so the same bundle.
    """
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        doc = json.loads(text, parse_float=Float, parse_constant=reject_constant)
    except (ValueError, RecursionError):  # not UTF-8 or not JSON: reported by the slow path
        return None
    # Searched in the UTF-8 bytes where given: an ASCII byte there is always that character, and
    # a search in them is quicker than in a text that holds one character beyond Latin-1.
    source = data if isinstance(data, bytes) else text
    # Most bundles escape nothing; a one-character search is ten times quicker than one for "\\u".
    escapes = _has(source, "\\") and _has(source, "\\u")
    unique = type(doc) is dict and _no_repeated_key(source, doc, escapes)
    # Strict UTF-8 cannot encode a lone surrogate: only an escape \\ud800–\\udfff could make one.
    surrogate_free = isinstance(data, bytes) and not (
        escapes and (_has(source, "\\ud") or _has(source, "\\uD"))
    )
    del text  # a second copy of the whole bundle, no longer needed while it is checked
    if keep is not None:
        keep.append(doc)
    problems = Problems()
    bundle = BundleReader(problems, surrogate_free=surrogate_free).read(doc)
    if problems or bundle is None or not unique:
        return None
    return bundle


def _has(source: bytes | str, ascii_text: str) -> bool:
    """Whether the JSON text, or its UTF-8 bytes, holds `ascii_text`."""
    if isinstance(source, bytes):
        return ascii_text.encode() in source
    return ascii_text in source


def _count(source: bytes | str, ascii_text: str) -> int:
    """How many times the JSON text, or its UTF-8 bytes, holds `ascii_text`."""
    if isinstance(source, bytes):
        return source.count(ascii_text.encode())
    return source.count(ascii_text)


def _no_repeated_key(source: bytes | str, doc: dict[str, Any], escapes: bool) -> bool:
    """Whether no object of the JSON text `source` (or its UTF-8 bytes; with \\u `escapes` or
    not) repeats a key; `doc` is what it decodes to.

    Outside strings a colon only separates a member, so: colons in the text = members + colons
    written within strings >= keys kept in the decoded objects + colons within decoded strings,
    equal only if no key repeats. Counting some of the kept keys and of the strings' colons gives
    lower bounds, so equality with those still proves it; they are counted from the cheapest
    (the bundle's own objects, no colon in any string) to all of them. A colon escaped as \\u003a
    is within a decoded string but not in the text: then the question stays open (False).
    """
    colons = _count(source, ":")
    keys = _bundle_keys(doc)
    if colons == keys:
        return True
    if escapes and (_has(source, "\\u003a") or _has(source, "\\u003A")):
        return False
    # Colons within strings are most likely in the few free-text items; the entries are many.
    inside = _colons(doc.values()) + _colons(_item_values(doc, _FEW))
    if colons == keys + inside:
        return True
    if colons == keys + inside + _colons(_item_values(doc, ("entries",))):
        return True
    return colons == sum(_keys_and_colons(doc))


def _bundle_keys(doc: dict[str, Any]) -> int:
    """Keys kept in the bundle's objects, wherever a valid bundle has objects."""
    keys = len(doc) + sum(map(len, _objects(doc, _ITEM_LISTS)))
    grades = [b.get("grades") for b in _objects(doc, ("ballots",))]
    keys += sum(len(g) for g in grades if type(g) is dict)
    if type(doc.get("previous_ranks")) is dict:
        keys += len(doc["previous_ranks"])
    decisions = doc.get("decisions")
    if type(decisions) is dict:
        keys += len(decisions) + (len(ties) if type(ties := decisions.get("ties")) is dict else 0)
    if type(doc.get("scheme")) is dict:
        keys += _keys_and_colons(doc["scheme"])[0]
    return keys


def _objects(doc: dict[str, Any], names: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    """The objects in the bundle's lists `names`."""
    lists = [doc[name] for name in names if type(doc.get(name)) is list]
    return filter(dict.__instancecheck__, chain.from_iterable(lists))


def _item_values(doc: dict[str, Any], names: tuple[str, ...]) -> Iterator[object]:
    """The values of the objects in the bundle's lists `names` (a ballot's grades: one value)."""
    return chain.from_iterable(map(dict.values, _objects(doc, names)))


def _colons(values: Iterable[object]) -> int:
    """Colons within those of `values` that are strings."""
    return "\0".join([v for v in values if isinstance(v, str)]).count(":")


def _keys_and_colons(doc: object) -> tuple[int, int]:
    """All keys kept in the document's objects, and the colons within all its strings and keys."""
    keys = colons = 0
    stack = [doc]
    while stack:
        value = stack.pop()
        if type(value) is dict:
            keys += len(value)
            colons += "\0".join(value).count(":")
            stack.extend(value.values())
        elif type(value) is list:
            stack.extend(value)
        elif isinstance(value, str):
            colons += value.count(":")
    return keys, colons
