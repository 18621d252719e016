"""A readable diff of an audit row's before/after values: the leaves that changed, by path."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

MISSING = object()


@dataclass(frozen=True)
class Change:
    """One changed value: where, what it was, what it became ('' where there was none)."""

    path: str
    before: str
    after: str


def _flatten(value: Any, path: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict) and value:
        for key, inner in value.items():
            _flatten(inner, f"{path}.{key}" if path else str(key), out)
    elif isinstance(value, list) and value and any(isinstance(v, dict | list) for v in value):
        for i, inner in enumerate(value):
            _flatten(inner, f"{path}[{i}]", out)
    else:
        out[path] = value


def _show(value: Any) -> str:
    if value is MISSING or value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "、".join(value)
    return json.dumps(value, ensure_ascii=False)


def changes(before: Any, after: Any) -> list[Change]:
    """Every leaf that differs between before and after, in the order the values list them."""
    flat_before: dict[str, Any] = {}
    flat_after: dict[str, Any] = {}
    if before is not None:
        _flatten(before, "", flat_before)
    if after is not None:
        _flatten(after, "", flat_after)
    paths = list(flat_before) + [p for p in flat_after if p not in flat_before]
    out = []
    for path in paths:
        old, new = _show(flat_before.get(path, MISSING)), _show(flat_after.get(path, MISSING))
        if old != new:
            out.append(Change(path, old, new))
    return out
