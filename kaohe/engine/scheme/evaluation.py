"""Reading a scheme's evaluation (grades, kinds, rounds, options) and its honors."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kaohe.engine.scheme.base import ReaderBase
from kaohe.engine.scheme.model import (
    DEPARTMENT_TYPES,
    HONOR_KEYS,
    KINDS,
    PERIODS,
    EvaluationKind,
    Grade,
    HonorSizes,
    Options,
    Round,
)


class EvaluationReader(ReaderBase):
    """Reads the scheme's evaluation part and its honors."""

    def evaluation(
        self, value: object
    ) -> tuple[dict[str, Grade], dict[str, EvaluationKind], Options]:
        e = self.obj(value, "evaluation", {"grades", "kinds"}, {"options"})
        empty = Options(None, None)
        if e is None:
            return {}, {}, empty
        grades: dict[str, Grade] = {}
        raw_grades = e.get("grades")
        if not isinstance(raw_grades, list) or not raw_grades:
            self.p.add(self.loc("evaluation.grades"), "must be a non-empty list", "grades")
            raw_grades = []
        for gi, raw in enumerate(raw_grades):
            path = f"evaluation.grades[{gi}]"
            g = self.obj(raw, path, {"code", "name", "coefficient"})
            if g is None:
                continue
            code = self.text(g.get("code"), f"{path}.code")
            if code in grades:
                message = f"grade {code!r} appears twice"
                self.p.add(self.loc(f"{path}.code"), message, "code_twice", code=code)
            coefficient = self.number(g.get("coefficient"), f"{path}.coefficient")
            if coefficient > 1:
                self.p.add(self.loc(f"{path}.coefficient"), "must lie between 0 and 1", "share")
            grades[code] = Grade(code, self.text(g.get("name"), f"{path}.name"), coefficient)
        kinds = self.kinds(e.get("kinds"))
        options = self.options(e.get("options", {}), grades)
        return grades, kinds, options

    def kinds(self, value: object) -> dict[str, EvaluationKind]:
        if not isinstance(value, list):
            self.p.add(self.loc("evaluation.kinds"), "must be a list", "not_list")
            return {}
        kinds: dict[str, EvaluationKind] = {}
        for ki, raw in enumerate(value):
            path = f"evaluation.kinds[{ki}]"
            k = self.obj(raw, path, {"code", "name", "points", "rounds"}, {"voters"})
            if k is None:
                continue
            code = k.get("code")
            if code not in KINDS:
                codes = ", ".join(KINDS)
                self.p.add(
                    self.loc(f"{path}.code"), f"must be one of {codes}", "kind_code", codes=codes
                )
                continue
            if code in kinds:
                message = f"kind {code!r} appears twice"
                self.p.add(self.loc(f"{path}.code"), message, "code_twice", code=code)
            kinds[code] = self.kind(code, k, path)
        for code in KINDS:
            if code not in kinds:
                self.p.add(
                    self.loc("evaluation.kinds"),
                    f"kind {code!r} is missing (give it 0 points to switch it off)",
                    "kind_missing",
                    code=code,
                )
        return kinds

    def kind(self, code: str, k: dict[str, Any], path: str) -> EvaluationKind:
        """One evaluation kind: its points per department type, name, voters and rounds."""
        pts = self.obj(k.get("points"), f"{path}.points", set(DEPARTMENT_TYPES)) or {}
        points = {
            t: self.number(pts.get(t), f"{path}.points.{t}") for t in DEPARTMENT_TYPES if t in pts
        }
        return EvaluationKind(
            code=code,
            name=self.text(k.get("name"), f"{path}.name"),
            voters=self.text(k.get("voters", "-"), f"{path}.voters"),
            points=points,
            rounds=self.rounds(k.get("rounds"), f"{path}.rounds"),
        )

    def rounds(self, value: object, path: str) -> tuple[Round, ...]:
        if not isinstance(value, list) or not value:
            self.p.add(self.loc(path), "must be a non-empty list of rounds", "rounds")
            return ()
        rounds: list[Round] = []
        for ri, raw in enumerate(value):
            r = self.obj(raw, f"{path}[{ri}]", {"period"}, {"weight"})
            if r is None:
                continue
            period = r.get("period")
            if period not in PERIODS:
                message = "must be 'H1', 'H2' or 'year'"
                self.p.add(self.loc(f"{path}[{ri}].period"), message, "round_period")
            elif any(x.period == period for x in rounds):
                message = f"round {period!r} appears twice"
                self.p.add(self.loc(f"{path}[{ri}].period"), message, "code_twice", code=period)
            weight = self.number(r.get("weight", 1), f"{path}[{ri}].weight", positive=True)
            rounds.append(Round(str(period), weight))
        return tuple(rounds)

    def options(self, value: object, grades: Mapping[str, Grade]) -> Options:
        path = "evaluation.options"
        o = self.obj(value, path, set(), {"drop_extremes_min_grades", "excellent_max_share"})
        if o is None:
            return Options(None, None)
        n = o.get("drop_extremes_min_grades")
        if n is not None:
            n = self.integer(n, f"{path}.drop_extremes_min_grades", minimum=3)
        share = o.get("excellent_max_share")
        if share is not None:
            share = self.number(share, f"{path}.excellent_max_share")
            if share > 1:
                self.p.add(
                    self.loc(f"{path}.excellent_max_share"), "must lie between 0 and 1", "share"
                )
            if "excellent" not in grades:
                message = "needs a grade 'excellent'"
                self.p.add(self.loc(f"{path}.excellent_max_share"), message, "excellent_grade")
        return Options(n, share)

    def honors(self, value: object) -> HonorSizes:
        h = self.obj(value, "honors", set(HONOR_KEYS))
        if h is None:
            return HonorSizes(0, 0, 0, 0, 0)
        sizes = {k: self.integer(h.get(k), f"honors.{k}") for k in HONOR_KEYS if k in h}
        if sizes.get("recommended", 0) > sizes.get("advanced", 0):
            self.p.add(
                self.loc("honors.recommended"),
                "cannot exceed honors.advanced",
                "honors_recommended",
            )
        return HonorSizes(**{k: sizes.get(k, 0) for k in HONOR_KEYS})
