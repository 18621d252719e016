"""Reading the bundle's ballots, adjustments and vetoes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kaohe.engine.bundle.base import ReaderBase
from kaohe.engine.bundle.jsondoc import describe, not_unicode
from kaohe.engine.bundle.model import (
    ADJUSTMENT_KEYS,
    BALLOT_KEYS,
    VETO_KEYS,
    Adjustment,
    Ballot,
    Department,
    Veto,
)
from kaohe.engine.limits import MAX_ADJUSTMENT
from kaohe.engine.numbers import parse_number, plain
from kaohe.engine.scheme import DEPARTMENT_TYPES, NOT_UNICODE, Scheme


class ItemReader(ReaderBase):
    """Reads the few items of a bundle besides its entries."""

    def ballots(
        self, raws: list[Any], scheme: Scheme, codes: Mapping[str, Department]
    ) -> tuple[Ballot, ...]:
        """The ballots, each of a round of the scheme, grading departments that kind rates."""
        out: list[Ballot] = []
        rated = {
            k: {c for c, d in codes.items() if d.type in DEPARTMENT_TYPES and kind.rates(d.type)}
            for k, kind in scheme.kinds.items()
        }
        for i, b in enumerate(raws):
            path = f"ballots[{i}]"
            if self.obj(b, path, BALLOT_KEYS, {"kind", "round", "grades"}) is None:
                continue
            ok = self.ballot_round(b, path, scheme) & self.texts(b, path, ("id", "group"))
            grades = b.get("grades")
            if type(grades) is not dict:
                if not isinstance(grades, dict):
                    got = describe(grades)
                    message = f"must be an object of department code → grade, got {got}"
                    self.p.add(f"{path}.grades", message, "ballot_grades", got=got)
                    continue
                for key in grades.duplicates:  # type: ignore[attr-defined]
                    message = f"department {key!r} graded twice"
                    self.p.add(f"{path}.grades", message, "ballot_graded_twice", department=key)
                ok = False
            kind = scheme.kinds.get(b["kind"]) if isinstance(b.get("kind"), str) else None
            if kind is not None:
                ok &= self.graded(grades, path, kind.code, rated[kind.code], codes)
            ok &= self.grades(grades, path, scheme)
            if ok:
                out.append(Ballot(b["kind"], b["round"], grades, b.get("id"), b.get("group")))
        return tuple(out)

    def ballot_round(self, b: dict[str, Any], path: str, scheme: Scheme) -> bool:
        """Whether the ballot's kind and round are the scheme's (else reported)."""
        kind_code, period = b.get("kind"), b.get("round")
        kind = scheme.kinds.get(kind_code) if isinstance(kind_code, str) else None
        if kind is None:
            got = describe(kind_code)
            message = f"must be 'democratic', 'style' or 'leader', got {got}"
            self.p.add(f"{path}.kind", message, "ballot_kind", got=got)
            return False
        if isinstance(period, str) and kind.round(period) is not None:
            return True
        listed, got = ", ".join(r.period for r in kind.rounds), describe(period)
        message = (
            f"{kind_code} evaluation has no round {got} in scheme {scheme.id} (rounds: {listed})"
        )
        params = {"kind": kind_code, "got": got, "scheme": scheme.id, "rounds": listed}
        self.p.add(f"{path}.round", message, "ballot_round", **params)
        return False

    def texts(self, d: dict[str, Any], path: str, keys: tuple[str, ...]) -> bool:
        """Whether those of `keys` that `d` has are Unicode strings (else reported)."""
        ok = self.strings(d, path, keys)
        for key in not_unicode(d, keys):
            self.p.add(f"{path}.{key}", NOT_UNICODE, "not_unicode")
            ok = False
        return ok

    def graded(
        self,
        grades: dict[str, Any],
        path: str,
        kind: str,
        rated: set[str],
        codes: Mapping[str, Department],
    ) -> bool:
        """Whether every graded department is one the kind of evaluation rates."""
        if grades.keys() <= rated:
            return True
        for code in sorted(grades.keys() - rated):
            if code not in codes:
                message = f"unknown department {code!r}"
                self.p.add(
                    f"{path}.grades.{code}", message, "ballot_department_unknown", department=code
                )
            else:
                message = f"department not rated in {kind} evaluation {code!r}"
                params = {"department": code, "kind": kind}
                self.p.add(
                    f"{path}.grades.{code}", message, "ballot_department_not_rated", **params
                )
        return False

    def grades(self, grades: dict[str, Any], path: str, scheme: Scheme) -> bool:
        """Whether every grade given is one of the scheme's."""
        try:
            if set(scheme.grades).issuperset(grades.values()):
                return True
        except TypeError:  # a list or object given as a grade
            pass
        listed = ", ".join(scheme.grades)
        for code, grade in grades.items():
            if type(grade) is not str or grade not in scheme.grades:
                got = describe(grade)
                message = f"unknown grade {got} (grades: {listed})"
                self.p.add(f"{path}.grades.{code}", message, "ballot_grade", got=got, grades=listed)
        return False

    def adjustments(
        self, raws: list[Any], codes: Mapping[str, Department]
    ) -> tuple[Adjustment, ...]:
        """The party group's adjustments: a signed amount within the limit, and a reason."""
        out = []
        for i, a in enumerate(raws):
            path = f"adjustments[{i}]"
            if self.obj(a, path, ADJUSTMENT_KEYS, {"department", "amount", "reason"}) is None:
                continue
            amount = self.adjustment_amount(a, path)
            self.department(a, path, codes)
            reason = a.get("reason")
            if "reason" in a and (type(reason) is not str or not reason.strip()):
                message = "must be a non-empty string: the party group's reason"
                self.p.add(f"{path}.reason", message, "adjustment_reason")
            self.strings(a, path, ("meeting", "id"))
            for key in not_unicode(a, ("reason", "meeting", "id")):
                self.p.add(f"{path}.{key}", NOT_UNICODE, "not_unicode")
            if amount is not None and not self.p:
                out.append(
                    Adjustment(a["department"], amount, reason, a.get("meeting"), a.get("id"))
                )
        return tuple(out)

    def adjustment_amount(self, a: dict[str, Any], path: str) -> Any:
        """The adjustment's amount, if it is a signed decimal within the limit (else reported)."""
        amount = parse_number(a.get("amount"))
        if "amount" in a and amount is None:
            got = describe(a.get("amount"))
            message = f'must be a signed decimal string such as "-1.5", got {got}'
            self.p.add(f"{path}.amount", message, "adjustment_amount", got=got)
        elif amount is not None and abs(amount) > MAX_ADJUSTMENT:
            limit = plain(MAX_ADJUSTMENT)
            message = f"must lie between -{limit} and {limit} points, got {a['amount']}"
            self.p.add(f"{path}.amount", message, "adjustment_range", max=limit, got=a["amount"])
            return None
        return amount

    def department(self, d: dict[str, Any], path: str, codes: Mapping[str, Department]) -> None:
        """The item's department is one of the year's (else reported)."""
        dep = d.get("department")
        if "department" in d and (type(dep) is not str or dep not in codes):
            got = describe(dep)
            self.p.add(
                f"{path}.department", f"unknown department {got}", "department_unknown", got=got
            )

    def vetoes(
        self, raws: list[Any], scheme: Scheme, codes: Mapping[str, Department]
    ) -> tuple[Veto, ...]:
        """The year's one-vote-veto events, each for one of the scheme's reasons."""
        out = []
        for i, v in enumerate(raws):
            path = f"vetoes[{i}]"
            if self.obj(v, path, VETO_KEYS, {"department", "reason"}) is None:
                continue
            self.department(v, path, codes)
            reason = v.get("reason")
            if "reason" in v and (type(reason) is not str or reason not in scheme.veto_reasons):
                reasons, got = ", ".join(scheme.veto_reasons), describe(reason)
                message = f"must be one of {reasons}, got {got}"
                self.p.add(f"{path}.reason", message, "veto_reason", reasons=reasons, got=got)
            self.strings(v, path, ("note", "id"))
            for key in not_unicode(v, ("note", "id")):
                self.p.add(f"{path}.{key}", NOT_UNICODE, "not_unicode")
            if not self.p:
                out.append(Veto(v["department"], v["reason"], v.get("note"), v.get("id")))
        return tuple(out)
