"""The schemes shipped in the package."""

from __future__ import annotations

import json
from pathlib import Path

from kaohe.engine.scheme.model import Scheme
from kaohe.engine.scheme.read import parse_scheme

# The package's data directory, found by path: importlib.resources would add 10 ms to the
# start of every `kaohe compute` (it imports tempfile, random, zipfile …).
_DATA = Path(__file__).parent.parent / "data"


def builtin_scheme_ids() -> list[str]:
    """Ids of the schemes shipped in the package."""
    return sorted(p.name.removesuffix(".json") for p in _DATA.iterdir() if p.name.endswith(".json"))


_BUILTIN_CACHE: dict[str, Scheme] = {}


def builtin_scheme(scheme_id: str) -> Scheme:
    """A shipped scheme by id; KeyError if there is none."""
    if scheme_id not in _BUILTIN_CACHE:
        if scheme_id not in builtin_scheme_ids():
            raise KeyError(scheme_id)
        path = _DATA / f"{scheme_id}.json"
        _BUILTIN_CACHE[scheme_id] = parse_scheme(json.loads(path.read_text(encoding="utf-8")))
    return _BUILTIN_CACHE[scheme_id]
