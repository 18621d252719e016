"""The one diff of audit rows: the leaves of before/after that changed, by path, in words.

Used by the audit page and an entry's history; each passes how it words a value.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

MISSING = object()
# How a value is shown: given the field it is of (the path's last name) and the value.
Wording = Callable[[str, Any], str]


@dataclass(frozen=True)
class Change:
    """One changed value: where, what it was, what it became ('' where there was none)."""

    path: str
    before: str
    after: str
    label: str = ""


def _flatten(value: Any, path: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict) and value:
        for key, inner in value.items():
            _flatten(inner, f"{path}.{key}" if path else str(key), out)
    elif isinstance(value, list) and value and any(isinstance(v, dict | list) for v in value):
        for i, inner in enumerate(value):
            _flatten(inner, f"{path}[{i}]", out)
    else:
        out[path] = value


def plain_text(name: str, value: Any) -> str:
    """A value as it is kept: text as it is, a list of texts joined (、), anything else JSON."""
    if value is MISSING or value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "、".join(value)
    return json.dumps(value, ensure_ascii=False)


def _leaf_name(path: str) -> str:
    return path.rsplit(".", 1)[-1].split("[", 1)[0]


def changes(
    before: Any,
    after: Any,
    *,
    wording: Wording = plain_text,
    label: Callable[[str], str] = str,
    hidden: Collection[str] = (),
) -> list[Change]:
    """Every leaf that differs between before and after, in the order the values list them;
    leaves whose field is `hidden` are left out, and an empty value reads as ''."""
    flat_before: dict[str, Any] = {}
    flat_after: dict[str, Any] = {}
    if before is not None:
        _flatten(before, "", flat_before)
    if after is not None:
        _flatten(after, "", flat_after)
    paths = list(flat_before) + [p for p in flat_after if p not in flat_before]
    out = []
    for path in paths:
        name = _leaf_name(path)
        if name in hidden:
            continue
        old, new = (_worded(wording, name, flat.get(path)) for flat in (flat_before, flat_after))
        if old != new:
            out.append(Change(path, old, new, label(path)))
    return out


def _worded(wording: Wording, name: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return ""
    return wording(name, value)
