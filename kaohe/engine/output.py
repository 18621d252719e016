"""Rendering results: the JSON of bundle.md, a Chinese table for a terminal, CSV."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from json.encoder import encode_basestring as _encode_str  # C; ensure_ascii=False

from kaohe.engine.numbers import fmt2
from kaohe.engine.results import Results, results_document
from kaohe.engine.scheme import KINDS, Scheme

HONOR_NAMES = {
    "advanced": "先进处室",
    "recommended": "推荐市级机关优秀处室",
    "praised": "表扬",
    "progress": "争先进位",
    "bottom": "末两名",
}
# OWASP CSV injection: a spreadsheet opening the CSV runs a cell that starts with one of these
# as a formula (`=HYPERLINK(...)`, `@SUM(...)`, `-2+3`). User text (codes, names) starting with
# one is written after an apostrophe; the product's own numbers (such as -1.50) are not touched.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FLAG_NAMES = {
    "tie": "并列",
    "boundary_tie": "临界并列",
    "tie_settled": "临界并列已决定",
    "no_grades:democratic": "无民主测评票",
    "no_grades:style": "无作风评议票",
    "no_grades:leader": "无领导评价票",
}


def render_json(results: Results) -> str:
    """Results as JSON text."""
    return _indented(results_document(results), "") + "\n"


def _indented(value: object, pad: str) -> str:
    """json.dumps(value, ensure_ascii=False, indent=2), its lines after the first indented by
    `pad`: the same text, made without the pure-Python encoder that indenting takes (a
    city's results are 90,000 values)."""
    if type(value) is str:
        return _encode_str(value)
    kind = type(value)
    if kind is int:
        return int.__repr__(value)
    if kind is bool or value is None:
        return "null" if value is None else "true" if value else "false"
    inner = pad + "  "
    if type(value) is dict and value and all(type(k) is str for k in value):
        items = [f"{_encode_str(k)}: {_indented(v, inner)}" for k, v in value.items()]
        return "{\n" + inner + f",\n{inner}".join(items) + "\n" + pad + "}"
    if type(value) is list or type(value) is tuple:
        items = [_indented(v, inner) for v in value]
        return "[\n" + inner + f",\n{inner}".join(items) + "\n" + pad + "]" if items else "[]"
    # Anything else as json.dumps writes it (a newline in its text is one between two lines).
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + pad)


def _header(scheme: Scheme) -> list[str]:
    return [
        "名次",
        "代码",
        "处室",
        *(c.name for c in scheme.categories),
        "考核内容",
        *(scheme.kinds[k].name for k in KINDS),
        "党组加减分",
        "总分",
        "荣誉",
        "标记",
    ]


def _rows(results: Results, scheme: Scheme) -> list[list[str]]:
    rows = []
    for d in results.departments:
        rows.append(
            [
                str(d.rank),
                d.code,
                d.name,
                *(fmt2(d.categories[c.code]) for c in scheme.categories),
                fmt2(d.content),
                *(
                    fmt2(d.evaluation[k]) if scheme.kinds[k].points[d.type] > 0 else "—"
                    for k in KINDS
                ),
                fmt2(d.adjustment),
                fmt2(d.total),
                "、".join(HONOR_NAMES[h] for h in d.honors) + ("(一票否决)" if d.vetoed else ""),
                "、".join(FLAG_NAMES.get(f, f) for f in d.flags),
            ]
        )
    return rows


def csv_text(text: str) -> str:
    """User text as a CSV cell no spreadsheet reads as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def render_csv(results: Results, scheme: Scheme) -> str:
    """Results as CSV with a Chinese header row; the scheme's names, codes and department names
    (user text) neutralised."""
    out, row = io.StringIO(), io.StringIO()
    # Fields are quoted when they hold a delimiter, a quote or a character of the line
    # terminator: "\r\n" so that a bare CR in a name is quoted too; lines then end in "\n".
    writer = csv.writer(row, lineterminator="\r\n")

    def line(cells: list[str]) -> None:
        row.seek(0)
        row.truncate()
        writer.writerow(cells)
        out.write(row.getvalue()[:-2] + "\n")

    line([csv_text(h) for h in _header(scheme)])
    for cells in _rows(results, scheme):
        cells[1], cells[2] = csv_text(cells[1]), csv_text(cells[2])
        line(cells)
    return out.getvalue()


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def render_table(results: Results, scheme: Scheme) -> str:
    """Results as an aligned table for a terminal (CJK characters count double width)."""
    header = _header(scheme)
    rows = _rows(results, scheme)
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    numeric = set(range(3, len(header) - 2)) | {0}

    def line(cells: list[str]) -> str:
        out = []
        for i, cell in enumerate(cells):
            pad = " " * (widths[i] - _width(cell))
            out.append(pad + cell if i in numeric else cell + pad)
        return "  ".join(out).rstrip()

    title = f"{results.year}年度考核结果({scheme.name},方案 {scheme.id})"
    return "\n".join([title, line(header), *(line(r) for r in rows)]) + "\n"
