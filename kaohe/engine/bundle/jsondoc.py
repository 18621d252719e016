"""Decoding a bundle's JSON so that nothing is lost: floats and repeated keys stay visible."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from kaohe.engine.problems import InvalidInput, Problem
from kaohe.engine.scheme import is_unicode_text


class Float(str):
    """A JSON number with a fraction or exponent, kept as text so it can be reported."""


class DupDict(dict[str, Any]):
    """A JSON object that repeated a key; the repeated keys are reported with its location."""

    duplicates: list[str]


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    d = dict(pairs)
    if len(d) == len(pairs):
        return d
    dup = DupDict(d)
    seen: set[str] = set()
    dup.duplicates = [k for k, _ in pairs if k in seen or seen.add(k)]  # type: ignore[func-returns-value]
    return dup


def reject_constant(name: str) -> Float:
    """NaN and Infinity, kept as text: they are reported as floats are."""
    return Float(name)


def load_json(data: bytes | str) -> object:
    """Decode JSON keeping floats and repeated keys visible; InvalidInput if it is not JSON."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError as exc:
        message = f"not UTF-8 text (byte {exc.start})"
        raise InvalidInput([Problem("", message, "not_utf8", {"byte": exc.start})]) from None
    try:
        return json.loads(
            text, object_pairs_hook=_pairs, parse_float=Float, parse_constant=reject_constant
        )
    except json.JSONDecodeError as exc:
        detail = f"{exc.msg} at line {exc.lineno} column {exc.colno}"
        raise InvalidInput([_not_json(detail)]) from None
    except (RecursionError, ValueError) as exc:
        raise InvalidInput([_not_json(str(exc))]) from None


def _not_json(detail: str) -> Problem:
    return Problem("", f"not valid JSON: {detail}", "not_json", {"detail": detail})


def describe(value: object) -> str:
    """A value as the problem shows it: JSON, cut at 60 characters; a float with advice."""
    if isinstance(value, Float):
        return f'{value} (a binary float; write decimals as strings, e.g. "{value}")'
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def not_unicode(d: Mapping[str, Any], keys: tuple[str, ...]) -> list[str]:
    """Those of `keys` whose text (or list of texts) in `d` is not Unicode (a lone surrogate)."""
    bad = []
    for key in keys:
        value = d.get(key)
        values = value if type(value) is list else (value,)
        if any(type(v) is str and not is_unicode_text(v) for v in values):
            bad.append(key)
    return bad


def plain_json(value: Any) -> Any:
    """Turn the reader's marker types back into plain JSON values for the scheme parser."""
    if isinstance(value, dict):
        plain_dict = {k: plain_json(v) for k, v in value.items()}
        if type(value) is DupDict:  # keep repeated keys visible: the scheme reader reports them
            dup = DupDict(plain_dict)
            dup.duplicates = value.duplicates
            return dup
        return plain_dict
    if isinstance(value, list):
        return [plain_json(v) for v in value]
    if isinstance(value, Float):
        return float(value) if value not in {"NaN", "Infinity", "-Infinity"} else None
    return value
