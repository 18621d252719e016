"""Unicode text in JSON: a lone surrogate escape decodes to a string no UTF-8 output can carry."""

from __future__ import annotations

from typing import Any

NOT_UNICODE = "is not Unicode text: it has a lone surrogate escape such as \\ud800"


def is_unicode_text(value: str) -> bool:
    """Whether a decoded JSON string is real Unicode text (a `\\ud800` escape decodes to a lone
    surrogate, which no UTF-8 output can carry)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


JsonProblem = tuple[str, str, str, dict[str, Any]]


def json_problems(doc: object) -> list[JsonProblem]:
    """(location, message, code, parameters) for every key a JSON object repeats (load_json marks them in
    `duplicates`) and every key or string that is not Unicode text, anywhere in the document."""
    found: list[JsonProblem] = []
    stack: list[tuple[str, object]] = [("", doc)]
    while stack:  # not recursive: a hostile document may nest deeply
        path, value = stack.pop()
        if isinstance(value, dict):
            found.extend(
                (path, f"field {k!r} appears twice", "field_twice", {"key": k})
                for k in getattr(value, "duplicates", ())
            )
            for k, v in value.items():
                if not is_unicode_text(k):
                    found.append((path, f"a field name {NOT_UNICODE}", "not_unicode", {}))
                    continue
                stack.append((f"{path}.{k}" if path else k, v))
        elif isinstance(value, list):
            stack.extend((f"{path}[{i}]", v) for i, v in enumerate(value))
        elif isinstance(value, str) and not is_unicode_text(value):
            found.append((path, NOT_UNICODE, "not_unicode", {}))
    return sorted(found, key=lambda problem: problem[:2])
