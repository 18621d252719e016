"""The trail in plain Chinese: why each number on a department's page is what it is. Every
sentence of the trail is written here once, for the live page, the published page and exports.

Every sentence goes through the translation machinery; the numbers come from the engine's
trails (kaohe.engine.results) and are printed with `fmt2` (figures) or `plain` (scheme values).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaohe.constants import flag_names, honor_name, period_label
from kaohe.engine.bundle import Entry as BundleEntry
from kaohe.engine.numbers import fmt2, plain
from kaohe.engine.results import DepartmentResult
from kaohe.engine.scheme import Rule, Scheme
from kaohe.engine.vocabulary import RuleKind
from kaohe.results.trails import CategoryStep, EntryStep, KindStep, RoundStep

TYPE_SHORT = {
    "service": gettext_lazy("Business department"),
    "general": gettext_lazy("Comprehensive department"),
}


def honor_labels(codes: tuple[str, ...]) -> list[str]:
    """Honors in Chinese, in the engine's order."""
    return [honor_name(c) for c in codes]


def flag_labels(codes: tuple[str, ...]) -> list[str]:
    """Flags in Chinese."""
    return [flag_names((c,)) for c in codes]


def category_text(step: CategoryStep) -> str:
    """E.g. 业务工作 20 分 − 扣分 25.00(以本类分值为限,扣至 0)+ 加分 3.00 = 3.00."""
    category, trail = step.category, step.trail
    values = {
        "name": category.name,
        "points": plain(trail.points),
        "deductions": fmt2(trail.deductions),
        "bonuses": fmt2(trail.bonuses),
        "score": fmt2(trail.score),
    }
    if trail.capped:
        return (
            _(
                "%(name)s %(points)s points − deductions %(deductions)s (limited to the category's points, down to 0) + bonuses %(bonuses)s = %(score)s"
            )
            % values
        )
    return (
        _(
            "%(name)s %(points)s points − deductions %(deductions)s + bonuses %(bonuses)s = %(score)s"
        )
        % values
    )


def entry_amount_text(
    rule: Rule, entry: BundleEntry, department_type: str, amount: Fraction
) -> str:
    """How one entry's amount is made, from the entry as the figures counted it: unit amount ×
    count (× modifier), or the missing quota."""
    values: dict[str, object] = {
        "unit": rule.unit,
        "amount": fmt2(amount),
        "count": entry.quantity,
    }
    if rule.kind == RuleKind.SHORTFALL:
        quota = rule.quota.get(department_type, 0)
        actual = entry.actual or 0
        values |= {
            "quota": quota,
            "actual": actual,
            "missing": max(0, quota - actual),
            "per": plain(rule.amount or 0),
        }
        return (
            _(
                "quota %(quota)s%(unit)s − submitted %(actual)s%(unit)s = %(missing)s%(unit)s short × %(per)s points = %(amount)s"
            )
            % values
        )
    if rule.kind == RuleKind.RANGE:
        values["per"] = plain(entry.amount or Fraction(0))
        return _("decided %(per)s points/%(unit)s × %(count)s%(unit)s = %(amount)s") % values
    values["per"] = plain(rule.amount or 0)
    modifier = rule.modifiers.get(entry.modifier) if entry.modifier else None
    if modifier is not None:
        values |= {"factor": plain(modifier.factor), "modifier": modifier.name}
        return (
            _(
                "%(per)s points/%(unit)s × %(count)s%(unit)s × %(factor)s (%(modifier)s) = %(amount)s"
            )
            % values
        )
    return _("%(per)s points/%(unit)s × %(count)s%(unit)s = %(amount)s") % values


def same_work_text(key: str, instead: str | None) -> str:
    """Why a bonus of a same-work group counts or not (同一项工作按最高奖项加分, rules.md §3):
    `instead` is the reference of the larger or equal entry that counts in its place, if any."""
    if instead is None:
        return _("Same work (%(key)s): only the highest award counts — this one counts.") % {
            "key": key
        }
    return _(
        "Same work (%(key)s): only the highest award counts — %(ref)s, larger or equal, counts instead, not this one."
    ) % {"key": key, "ref": instead}


def entry_note(step: EntryStep) -> str:
    """What the trail says of an entry beyond its amount: the same-work rule, when it applies."""
    if step.trail.same_work is None:
        return ""
    return same_work_text(step.trail.same_work, step.instead)


def entry_how(step: EntryStep) -> str:
    """How one entry's amount is made (entry_amount_text of the entry as the figures counted it)."""
    return entry_amount_text(step.rule, step.entry, step.department_type, step.trail.amount)


def pending_amount_text(rule: Rule, count: int | None) -> str:
    """What a submitted entry (of `count`) will be worth once confirmed (range: awaiting the
    decision)."""
    if rule.kind == RuleKind.RANGE:
        return _("%(min)s–%(max)s points/%(unit)s × %(count)s%(unit)s, amount to be decided") % {
            "min": plain(rule.min or 0),
            "max": plain(rule.max or 0),
            "unit": rule.unit,
            "count": count or 1,
        }
    return _("awaiting confirmation by the assessment office")


def grades_text(step: RoundStep) -> str:
    """The grades a round received, in the scale's order: 优秀 3、称职 2 (the tables' form)."""
    scheme, grades = step.scheme, step.trail.grades
    return "、".join(f"{scheme.grades[g].name} {grades[g]}" for g in scheme.grades if grades.get(g))


def round_text(step: RoundStep) -> str:
    """One round: the grades received and the points they make."""
    scheme, available, r = step.scheme, step.available, step.trail
    label = period_label(r.period)
    if r.points is None:
        return _("%(round)s: no valid grades; this round does not count.") % {"round": label}
    order = list(scheme.grades)
    counts = sorted(r.grades.items(), key=lambda g: order.index(g[0]) if g[0] in order else 99)
    grades = "、".join(f"{scheme.grades[g].name} {n}" for g, n in counts if g in scheme.grades)
    terms = " + ".join(
        f"{n}×{plain(scheme.grades[g].coefficient)}" for g, n in counts if g in scheme.grades
    )
    text = _(
        "%(round)s: %(grades)s, %(n)s valid grades → %(points)s × (%(terms)s) ÷ %(n)s = %(score)s"
    ) % {
        "round": label,
        "grades": grades,
        "n": r.count,
        "points": plain(available),
        "terms": terms,
        "score": fmt2(r.points),
    }
    if r.dropped:
        high, low = (scheme.grades[g].name if g in scheme.grades else g for g in r.dropped)
        text += _(" (one highest grade, %(high)s, and one lowest, %(low)s, dropped)") % {
            "high": high,
            "low": low,
        }
    return text


def kind_text(step: KindStep) -> str:
    """One evaluation kind: not rated, no grades, or the (weighted) mean of its rounds."""
    kind, trail, department_type = step.kind, step.trail, step.department_type
    values: dict[str, object] = {
        "kind": kind.name,
        "score": fmt2(trail.score),
        "type": TYPE_SHORT[department_type],
    }
    if trail.available == 0:
        return _("%(kind)s: %(type)s is not rated in this kind (0 points).") % values
    held = [r for r in trail.rounds if r.points is not None]
    if not held:
        return _("%(kind)s: no valid grades in any round: 0 points (results incomplete).") % values
    values["n"] = len(held)
    if len(held) == 1:
        return _("%(kind)s = %(score)s") % values
    if len({r.weight for r in held}) == 1:
        return _("%(kind)s = mean of %(n)s rounds = %(score)s") % values
    return _("%(kind)s = weighted mean of %(n)s rounds = %(score)s") % values


def total_text(result: DepartmentResult) -> str:
    """考核内容 + 综合测评 + 党组加减分 = 总分."""
    return _(
        "content %(content)s + evaluation %(evaluation)s + party-group adjustment (%(adjustment)s) = %(total)s"
    ) % {
        "content": fmt2(result.content),
        "evaluation": fmt2(result.evaluation_total),
        "adjustment": fmt2(result.adjustment),
        "total": fmt2(result.total),
    }


def content_text(scores: Mapping[str, Fraction], scheme: Scheme, content: Fraction) -> str:
    """The content part as the sum of its categories."""
    parts = " + ".join(fmt2(scores[c.code]) for c in scheme.categories)
    return _("content = %(parts)s = %(content)s") % {"parts": parts, "content": fmt2(content)}


def rank_text(result: DepartmentResult, count: int) -> str:
    """Rank of the department among all assessed, tied or not."""
    values = {"rank": result.rank, "count": count}
    if "tie" in result.flags:
        return _("rank %(rank)s of %(count)s (tied)") % values
    return _("rank %(rank)s of %(count)s") % values
