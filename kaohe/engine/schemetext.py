"""A scheme as readable Chinese text, for `kaohe scheme show`."""

from __future__ import annotations

from kaohe.engine.numbers import plain
from kaohe.engine.scheme import KINDS, Rule, Scheme, scheme_diff
from kaohe.engine.vocabulary import RuleKind

TYPE_NAMES = {"service": "业务部门", "general": "综合部门"}
KIND_NAMES = {
    RuleKind.EACH: "按次",
    RuleKind.RANGE: "区间(考核办评议)",
    RuleKind.SHORTFALL: "按缺额",
}
PERIOD_NAMES = {"H1": "上半年", "H2": "下半年", "year": "年度"}


def rule_amount_text(rule: Rule) -> str:
    """The amount of a rule in words, e.g. '每人次扣0.2分' or '每起扣1–5分'."""
    verb = "加" if rule.is_bonus else "扣"
    if rule.kind == RuleKind.RANGE:
        return f"每{rule.unit}{verb}{plain(rule.min or 0)}–{plain(rule.max or 0)}分"
    if rule.kind == RuleKind.SHORTFALL:
        quotas = "、".join(f"{TYPE_NAMES[t]}{q}{rule.unit}" for t, q in rule.quota.items())
        return f"每半年定额({quotas}),每少1{rule.unit}{verb}{plain(rule.amount or 0)}分"
    return f"每{rule.unit}{verb}{plain(rule.amount or 0)}分"


def scheme_text(scheme: Scheme) -> str:
    """The whole scheme: categories, items, rules, evaluation, honors, vetoes."""
    lines = [
        f"{scheme.name}",
        f"方案编号:{scheme.id}" + (f"  年度:{scheme.year}" if scheme.year else ""),
        "",
    ]
    lines += _content_lines(scheme)
    lines.append("")
    lines += _evaluation_lines(scheme)
    lines += _results_lines(scheme)
    return "\n".join(lines) + "\n"


def _content_lines(scheme: Scheme) -> list[str]:
    """一、考核内容: each category, its items and their rules."""
    total = sum((c.points for c in scheme.categories), 0)
    lines = [f"一、考核内容({plain(total)}分)"]
    for c in scheme.categories:
        lines.append(f"  【{c.name}】{plain(c.points)}分(扣分以本类分值为限,加分不封顶)")
        for item in c.items:
            offices = "、".join(scheme.offices[o] for o in item.offices)
            lines.append(f"    {item.number}、{item.title}({offices}负责)")
            lines += [
                f"      - {r.name}:{rule_amount_text(r)} {_extras(r)}  [{r.id}]" for r in item.rules
            ]
    return lines


def _extras(rule: Rule) -> str:
    """A rule's modifiers and once-a-year mark, bracketed (or nothing)."""
    extras = []
    if rule.modifiers:
        extras.append(";".join(f"{m.name}×{plain(m.factor)}" for m in rule.modifiers.values()))
    if rule.once_a_year:
        extras.append("每年至多一次")
    return f"〔{';'.join(extras)}〕" if extras else ""


def _evaluation_lines(scheme: Scheme) -> list[str]:
    """二、综合测评: each kind's points, voters and rounds, the grades and the options."""
    lines = ["二、综合测评"]
    for code in KINDS:
        k = scheme.kinds[code]
        pts = ",".join(f"{TYPE_NAMES[t]}{plain(p)}分" for t, p in k.points.items())
        rounds = "、".join(f"{PERIOD_NAMES[r.period]}(权重{plain(r.weight)})" for r in k.rounds)
        lines.append(f"  {k.name}:{pts};测评人:{k.voters};轮次:{rounds}")
    grades = "、".join(f"{g.name}{plain(g.coefficient)}" for g in scheme.grades.values())
    lines.append(f"  等次系数:{grades}")
    o = scheme.options
    least = o.drop_extremes_min_grades
    lines.append(
        "  去掉一个最高分和一个最低分:" + (f"每轮票数不少于{least}时" if least else "不适用")
    )
    share = o.excellent_max_share
    cap = "不限" if share is None else f"超过所评处室的{plain(share)}为废票"
    lines.append("  优秀票比例上限:" + cap)
    return lines


def _results_lines(scheme: Scheme) -> list[str]:
    """三、结果运用: the honors' sizes and the veto reasons."""
    h = scheme.honors
    return [
        "",
        "三、结果运用",
        f"  先进处室前{h.advanced}名,其中推荐{h.recommended}名;第{h.advanced + 1}–{h.advanced + h.praised}名表扬;"
        f"争先进位{h.progress}名;末{h.bottom}名",
        "  一票否决:" + ";".join(scheme.veto_reasons.values()),
    ]


def diff_text(a: Scheme, b: Scheme) -> str:
    """What changed from scheme a to scheme b, a line per change, for `kaohe scheme diff`."""
    changes = scheme_diff(a, b)
    lines = [f"{a.id} -> {b.id}: {len(changes)} change(s)"]
    lines += [f"  {c.text}" for c in changes]
    return "\n".join(lines) + "\n"
