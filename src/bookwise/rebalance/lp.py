"""A small builder of HiGHS models from (row, column, value) triplets (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class Builder:
    cost: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    integer: list[bool] = field(default_factory=list)
    row_lower: list[float] = field(default_factory=list)
    row_upper: list[float] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    cols: list[int] = field(default_factory=list)
    values: list[float] = field(default_factory=list)

    def column(self, cost: float, upper: float = 1.0, integer: bool = True) -> int:
        self.cost.append(cost)
        self.upper.append(upper)
        self.integer.append(integer)
        return len(self.cost) - 1

    def row(
        self, terms: Mapping[int, float] | Sequence[tuple[int, float]], lower: float, upper: float
    ) -> int:
        index = len(self.row_lower)
        self.row_lower.append(lower)
        self.row_upper.append(upper)
        items = terms.items() if isinstance(terms, Mapping) else terms
        for col, value in items:
            self.rows.append(index)
            self.cols.append(col)
            self.values.append(value)
        return index

    def model(self, relax: bool = False) -> Any:
        import highspy

        lp = highspy.HighsLp()
        n = len(self.cost)
        lp.num_col_, lp.num_row_ = n, len(self.row_lower)
        lp.col_cost_ = np.array(self.cost, dtype=float)
        lp.col_lower_ = np.zeros(n)
        lp.col_upper_ = np.array(self.upper, dtype=float)
        lp.row_lower_ = np.array(self.row_lower, dtype=float)
        lp.row_upper_ = np.array(self.row_upper, dtype=float)
        cols = np.array(self.cols, dtype=np.int64)
        order = np.argsort(cols, kind="stable")
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = np.searchsorted(cols[order], np.arange(n + 1)).astype(np.int32)
        lp.a_matrix_.index_ = np.array(self.rows, dtype=np.int32)[order]
        lp.a_matrix_.value_ = np.array(self.values, dtype=float)[order]
        lp.sense_ = highspy.ObjSense.kMinimize
        if not relax:
            kinds = (highspy.HighsVarType.kInteger, highspy.HighsVarType.kContinuous)
            lp.integrality_ = [kinds[0] if i else kinds[1] for i in self.integer]
        return lp


def run(
    model: Any,
    time_limit: float,
    gap: float,
    start: Sequence[float] | None = None,
    stop_at: float | None = None,
) -> Any:
    """Solve with HiGHS (quiet, one thread); `start` is a feasible warm start; `stop_at`: stop
    once a solution this good is found (a bound proven elsewhere says it is close enough)."""
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("mip_rel_gap", gap)
    h.setOptionValue("time_limit", max(0.1, time_limit))
    h.passModel(model)
    if start is not None:
        solution = highspy.HighsSolution()
        solution.col_value = list(start)
        solution.value_valid = True
        h.setSolution(solution)
    if stop_at is not None:
        h.cbMipInterrupt.subscribe(
            lambda e: e.interrupt() if e.data_out.mip_primal_bound <= stop_at else None
        )
    h.run()
    return h


def has_solution(h: Any) -> bool:
    return bool(h.getInfo().primal_solution_status == 2)


def dual_bound(h: Any, relaxed: bool = False) -> float | None:
    """HiGHS's proven lower bound (minimisation), None when it has none: a linear program's
    only when solved to optimality (an unfinished simplex bounds nothing), a MIP's dual bound."""
    import highspy

    info = h.getInfo()
    if relaxed:
        optimal = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
        return float(info.objective_function_value) if optimal else None
    value = float(info.mip_dual_bound)
    return value if np.isfinite(value) else None
