"""The engine's problems in Chinese: one sentence per problem code (kaohe/engine/problems.py).

The engine words its problems in English for `kaohe compute`; every page words them here, by
code and parameters, never by reading the English. tests/web/test_problem_messages.py checks
that every code the engine can give has its sentence.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaohe.engine.problems import Problem

MESSAGES: Mapping[str, Promise] = {
    # JSON's shape, in any document
    "not_utf8": gettext_lazy("is not UTF-8 text (byte %(byte)s)"),
    "not_json": gettext_lazy("is not valid JSON: %(detail)s"),
    "not_object": gettext_lazy("must be a JSON object"),
    "not_list": gettext_lazy("must be a list"),
    "not_string": gettext_lazy("must be a text"),
    "not_text": gettext_lazy("must be a non-empty text"),
    "not_unicode": gettext_lazy("contains a character that is not Unicode text"),
    "field_twice": gettext_lazy("field “%(key)s” appears twice"),
    "field_missing": gettext_lazy("missing field “%(key)s”"),
    "field_unknown": gettext_lazy("unknown field “%(key)s”"),
    "nested_too_deeply": gettext_lazy("is nested too deeply"),
    # the bundle
    "bundle_format": gettext_lazy("must be %(expected)s, not %(got)s"),
    "bundle_year": gettext_lazy("must be a year from %(min)s to %(max)s, not %(got)s"),
    "scheme_unknown": gettext_lazy("unknown scheme %(scheme)s (built in: %(known)s)"),
    "scheme_reference": gettext_lazy("must be a scheme id or a scheme object"),
    "department_twice": gettext_lazy("department %(department)s appears twice"),
    "department_type": gettext_lazy("must be 'service' or 'general', not %(got)s"),
    "department_unknown": gettext_lazy("unknown department %(got)s"),
    "previous_rank_unknown": gettext_lazy(
        "department %(department)s is not assessed this year (leave it out)"
    ),
    "previous_rank": gettext_lazy("must be a rank from 1 to %(max)s, not %(got)s"),
    # an entry (the entry form words them for its fields)
    "entry_rule_unknown": gettext_lazy("unknown rule %(got)s in scheme %(scheme)s"),
    "entry_period": gettext_lazy("Choose a period."),
    "entry_count": gettext_lazy("Enter a count of 1 or more."),
    "entry_count_max": gettext_lazy("At most %(max)s."),
    "entry_modifiers": gettext_lazy("must be a list of at most one modifier, not %(got)s"),
    "entry_strings": gettext_lazy("must be a list of texts"),
    "entry_amount_missing": gettext_lazy("Enter the decided amount."),
    "entry_amount_range": gettext_lazy("The decided amount must lie between %(min)s and %(max)s."),
    "entry_amount_not_range": gettext_lazy("Only range rules take a decided amount."),
    "entry_half_year": gettext_lazy(
        "This rule is assessed per half-year: choose the first or second half-year."
    ),
    "entry_actual_missing": gettext_lazy(
        "Enter the number actually submitted in the half-year (0 or more)."
    ),
    "entry_actual": gettext_lazy(
        "Enter the number actually submitted in the half-year (0 or more)."
    ),
    "entry_actual_max": gettext_lazy("At most %(max)s."),
    "entry_actual_not_shortfall": gettext_lazy("Only shortfall rules take an actual count."),
    "entry_count_shortfall": gettext_lazy("A shortfall entry has no count."),
    "entry_shortfall_twice": gettext_lazy(
        "This department already has a shortfall entry for this half-year."
    ),
    "entry_modifier": gettext_lazy("This rule does not allow that modifier."),
    "entry_same_work_deduction": gettext_lazy("A same-work key is only for bonuses."),
    "entry_once_count": gettext_lazy("This rule counts at most once a year: the count must be 1."),
    "entry_persons_count": gettext_lazy(
        "This rule counts person-times: %(names)s person-times named for a count of %(count)s."
    ),
    "entry_once_twice": gettext_lazy("This department already has this once-a-year entry."),
    "entry_office": gettext_lazy("Office %(office)s does not record rule %(rule)s."),
    "entry_decided_not_range": gettext_lazy("Only range amounts are decided."),
    "entry_decided_by": gettext_lazy("must be %(methods)s, not %(got)s"),
    # ballots, adjustments, vetoes
    "ballot_kind": gettext_lazy("must be 'democratic', 'style' or 'leader', not %(got)s"),
    "ballot_round": gettext_lazy("the scheme has no round %(got)s of this evaluation"),
    "ballot_grades": gettext_lazy("must map department codes to grades"),
    "ballot_graded_twice": gettext_lazy("department %(department)s is graded twice"),
    "ballot_department_unknown": gettext_lazy("unknown department %(department)s"),
    "ballot_department_not_rated": gettext_lazy(
        "department %(department)s is not rated in this evaluation"
    ),
    "ballot_grade": gettext_lazy("unknown grade %(got)s (grades: %(grades)s)"),
    "adjustment_amount": gettext_lazy("must be a signed decimal in quotes, such as “-1.5”"),
    "adjustment_range": gettext_lazy("must lie between -%(max)s and %(max)s points"),
    "adjustment_reason": gettext_lazy("must give the party group's reason"),
    "veto_reason": gettext_lazy("must be one of %(reasons)s"),
    # the party group's decisions
    "decision_ties": gettext_lazy("must map tiers to department codes"),
    "decision_tier": gettext_lazy("unknown tier %(tier)s"),
    "decision_codes": gettext_lazy("must be a list of department codes"),
    "decision_unknown_department": gettext_lazy("%(department)s is not assessed this year."),
    "decision_repeated": gettext_lazy("%(department)s is chosen twice."),
    "decision_no_tie": gettext_lazy("%(tier)s: no tied group straddles this boundary any more."),
    "decision_not_in_group": gettext_lazy("%(tier)s: %(department)s is not in the tied group."),
    "decision_too_few": gettext_lazy(
        "%(tier)s: %(left)s places were left for the tied group; choose at least %(left)s (choosing all keeps the tie)."
    ),
    "recommended_not_advanced": gettext_lazy(
        "Recommended: %(department)s is not an advanced department."
    ),
    "recommended_count": gettext_lazy(
        "Recommended: choose %(count)s among the advanced departments (%(given)s chosen)."
    ),
    # the scheme
    "scheme_format": gettext_lazy("must be '%(codes)s'"),
    "number": gettext_lazy("must be a decimal in quotes, such as “0.5”, not %(got)s"),
    "number_positive": gettext_lazy("must be greater than 0, not %(got)s"),
    "number_negative": gettext_lazy("must not be negative, not %(got)s"),
    "integer": gettext_lazy("must be a whole number of at least %(min)s, not %(got)s"),
    "office_codes": gettext_lazy("must list at least one office code"),
    "office_unknown": gettext_lazy("unknown office “%(code)s”"),
    "office_twice": gettext_lazy("lists an office twice"),
    "named_map": gettext_lazy("must map codes to names"),
    "empty_code": gettext_lazy("has an empty code"),
    "department_types": gettext_lazy("must name exactly %(codes)s"),
    "veto_reasons": gettext_lazy("must name exactly %(codes)s"),
    "categories": gettext_lazy("must be a non-empty list"),
    "code_twice": gettext_lazy("“%(code)s” appears twice"),
    "item_twice": gettext_lazy("item %(code)s appears twice"),
    "rule_direction": gettext_lazy("must be 'deduct' or 'bonus'"),
    "rule_kind": gettext_lazy("must be 'each', 'range' or 'shortfall'"),
    "rule_needs": gettext_lazy("a %(kind)s rule needs “%(key)s”"),
    "rule_must_not_have": gettext_lazy("a %(kind)s rule must not have “%(key)s”"),
    "rule_min_max": gettext_lazy("min must not exceed max"),
    "boolean": gettext_lazy("must be true or false"),
    "shortfall_once": gettext_lazy("a shortfall rule counts per half-year, not once a year"),
    "shortfall_modifiers": gettext_lazy("a shortfall rule takes no modifiers"),
    "modifiers_map": gettext_lazy("must map codes to {name, factor}"),
    "grades": gettext_lazy("must be a non-empty list"),
    "share": gettext_lazy("must lie between 0 and 1"),
    "kind_code": gettext_lazy("must be one of %(codes)s"),
    "kind_missing": gettext_lazy(
        "evaluation kind “%(code)s” is missing (give it 0 points to switch it off)"
    ),
    "rounds": gettext_lazy("must list at least one round"),
    "round_period": gettext_lazy("must be 'H1', 'H2' or 'year'"),
    "excellent_grade": gettext_lazy("needs a grade 'excellent'"),
    "honors_recommended": gettext_lazy("cannot exceed honors.advanced"),
}


def problem_message(problem: Problem, **words: object) -> str:
    """The problem in Chinese, by its code and parameters, `words` in place of some (a
    department's name for its code); the engine's English if it has no code."""
    text = MESSAGES.get(problem.code)
    if text is None:
        return problem.message
    return str(text) % {**problem.params, **words}


def problem_text(problem: Problem) -> str:
    """The problem in Chinese with its location, for a list of problems."""
    message = problem_message(problem)
    if not problem.location:
        return message
    return _("At %(location)s: %(message)s") % {"location": problem.location, "message": message}
