"""A table of tuning results as a report reads it: :class:`TuningTable`, and the checks that
make one from a DataFrame (``tune results``, ``sagemaker results``, a file read back).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..space import BLAZINGTEXT_HYPERPARAMETERS
from ._errors import ReportInputError, writers

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["NON_SCORE_COLUMNS", "OBJECTIVE_K", "RESOURCE_COLUMNS", "TuningTable", "tuning_table"]

LABEL_COLUMNS = ("trial", "training_job_name")
STATE_COLUMNS = ("state", "status")
RESOURCE_COLUMNS = ("steps", "wall_seconds", "cpu_seconds", "words_per_second", "peak_memory_mb", "cost")
"""What each trial spent (``tune results`` of issue 14): not scores, not hyperparameters."""
NON_SCORE_COLUMNS = frozenset(
    {
        "trial",
        "state",
        "objective",
        "objective_std",
        "heldout_objective",
        "seconds",
        "training_job_name",
        "status",
        "billable_seconds",
        "model_artifacts",
        "rescore_error",
        "n_scored",
        "coverage",
        "rankable",
        "note",
        "objective_value",
        "rescored_objective",
        "objective_spec",
        "objective_status",
        "training_start",
        "training_end",
        "failure_reason",
        "pareto_optimal",
        *RESOURCE_COLUMNS,
    }
)
OBJECTIVE_K = re.compile(r"objective_([1-9][0-9]*)")


def _is_bookkeeping(column: str) -> bool:
    """Whether ``column`` is neither a score nor a hyperparameter (``objective_2`` included)."""
    return column in NON_SCORE_COLUMNS or OBJECTIVE_K.fullmatch(column) is not None


@dataclass(frozen=True)
class TuningTable:
    """One table of tuning results, best trial first.

    Attributes
    ----------
    name : str
        How the report names it (the file name, or ``study NAME``).
    frame : pandas.DataFrame
        The rows as read. A single-objective table is sorted by ``objective`` (higher is
        better), NaN last; with a ``rankable`` column (``tune results``, ``sagemaker
        rescore``), rankable rows first. A multi-objective table (``objective_1`` ...
        ``objective_N``, no ``objective``) keeps its writer's order with the
        Pareto-optimal rows (``pareto_optimal``) first.
    label : str
        The column that names a row: ``trial`` (local tuning) or ``training_job_name``
        (SageMaker).
    hyperparameters : tuple of str
        The columns that are BlazingText hyperparameters
        (:data:`w2veval.space.BLAZINGTEXT_HYPERPARAMETERS`), in table order.
    goldsets : tuple of str
        Numeric columns that are neither hyperparameters nor bookkeeping: one score per
        gold set in ``tune results``.
    source : str
        Where it came from.
    objectives : tuple of str
        The objective columns: ``("objective",)``, or ``("objective_1", ..., "objective_N")``.
    objective_names : tuple of str
        How the figures name them: the study's objective names when the table came with
        them (``frame.attrs["objectives"]`` of :func:`w2veval.tune.results`), else the
        column names (a CSV or JSON file does not keep them).
    directions : tuple of str
        ``"maximize"`` or ``"minimize"`` per objective when the table says so
        (``frame.attrs["directions"]``), else empty: not known.
    """

    name: str
    frame: pd.DataFrame = field(repr=False)
    label: str
    hyperparameters: tuple[str, ...]
    goldsets: tuple[str, ...]
    source: str
    objectives: tuple[str, ...] = ("objective",)
    objective_names: tuple[str, ...] = ("objective",)
    directions: tuple[str, ...] = ()

    @property
    def multi(self) -> bool:
        """True for a multi-objective table: its best is not one trial but a Pareto front."""
        return self.objectives != ("objective",)

    @property
    def best(self) -> pd.Series | None:
        """The best row (a pandas Series), or None: the first row, if its objective is defined
        and, where the table says so (``rankable``), it stands on enough pairs to rank.
        A multi-objective table has no single best: None (see :attr:`front`)."""
        if self.frame.empty or self.multi:
            return None
        first = self.frame.iloc[0]
        if first["objective"] != first["objective"] or ("rankable" in first and not bool(first["rankable"])):
            return None
        return first

    @property
    def front(self) -> pd.DataFrame:
        """The Pareto-optimal rows as ``tune results`` marked them (``pareto_optimal``), in
        table order; an empty frame for a single-objective table."""
        if not self.multi:
            return self.frame.iloc[0:0]
        return self.frame[self.frame["pareto_optimal"]]

    @property
    def has_heldout(self) -> bool:
        """True when the table has finite ``heldout_objective`` values."""
        return "heldout_objective" in self.frame and bool(self.frame["heldout_objective"].notna().any())

    def defined(self) -> pd.DataFrame:
        """The rows whose every objective is a number."""
        return self.frame[self.frame[list(self.objectives)].notna().all(axis=1)]

    def totals(self) -> dict[str, float]:
        """What the whole table spent: ``{"trials", "wall_seconds", "cpu_seconds", "cost"}``,
        sums over the rows that record it (``seconds`` for ``wall_seconds`` in tables written
        before issue 14); NaN where no row records it."""
        out: dict[str, float] = {"trials": len(self.frame)}
        for key, columns in (
            ("wall_seconds", ("wall_seconds", "seconds")),
            ("cpu_seconds", ("cpu_seconds",)),
            ("cost", ("cost",)),
        ):
            column = next((c for c in columns if c in self.frame and self.frame[c].notna().any()), None)
            out[key] = float(self.frame[column].sum()) if column else math.nan
        return out

    def cost_axis(self) -> str | None:
        """The column the objective-against-cost figure puts on x: ``cost`` when the table
        has it, else ``cpu_seconds``, else the wall time (``wall_seconds``, or ``seconds`` of
        older tables); None when it has none of them."""
        return next(
            (
                c
                for c in ("cost", "cpu_seconds", "wall_seconds", "seconds")
                if c in self.frame and self.frame[c].notna().any()
            ),
            None,
        )


def _sagemaker_objective(frame: pd.DataFrame) -> pd.DataFrame:
    """A SageMaker table keeps the objective's value in ``objective_value`` (``rescored_objective``
    after rescoring) and its spec in ``objective``: the value becomes ``objective``, the spec
    ``objective_spec``."""
    value = next((c for c in ("rescored_objective", "objective_value") if c in frame.columns), None)
    if value is None:
        return frame
    frame = frame.rename(columns={"objective": "objective_spec"})
    frame.insert(list(frame.columns).index(value), "objective", frame[value])
    return frame


def _objective_columns(columns: list[str], where: dict[str, str]) -> tuple[str, ...]:
    """``("objective",)``, or ``objective_1`` ... ``objective_N`` of a multi-objective table."""
    numbered = sorted((int(m.group(1)), c) for c in columns if (m := OBJECTIVE_K.fullmatch(c)))
    if "objective" in columns or not numbered:
        if "objective" not in columns:
            raise ReportInputError(
                f"the results table has no 'objective' column (columns: {', '.join(columns) or 'none'}); "
                f"a results file is the table written by {writers()}",
                line=1 if where else None,
                **where,
            )
        return ("objective",)
    if [k for k, _ in numbered] != list(range(1, len(numbered) + 1)):
        raise ReportInputError(
            f"the objective columns {', '.join(c for _, c in numbered)} do not run from objective_1 to "
            f"objective_{len(numbered)}; a multi-objective results file is the table written by {writers()}",
            line=1 if where else None,
            **where,
        )
    if "pareto_optimal" not in columns:
        raise ReportInputError(
            f"the multi-objective results table ({', '.join(c for _, c in numbered)}) has no "
            f"'pareto_optimal' column; a results file is the table written by {writers()}",
            line=1 if where else None,
            **where,
        )
    return tuple(c for _, c in numbered)


_TRUE, _FALSE = ("true", "1", "1.0"), ("false", "0", "0.0")


def _flags(
    frame: pd.DataFrame, column: str, lines: Sequence[int | None], where: dict[str, str]
) -> list[bool]:
    """A true/false column (``rankable``, ``pareto_optimal``) as booleans; an empty cell is
    false (the row neither ranks nor is on the front), anything else an error, never read as
    false."""
    flags = []
    for value, line in zip(frame[column], lines, strict=True):
        if _missing(value):
            flags.append(False)
            continue
        text = str(value).strip().lower()
        if text not in _TRUE + _FALSE:
            raise ReportInputError(f"{column} {value!r} is neither true nor false", line=line, **where)
        flags.append(text in _TRUE)
    return flags


def _names(attrs: Mapping[str, Any], objectives: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Objective names and directions from ``frame.attrs`` (a study's table), when they fit."""
    names = attrs.get("objectives")
    directions = attrs.get("directions")
    if not isinstance(names, (list, tuple)) or len(names) != len(objectives):
        names = objectives
    if (
        not isinstance(directions, (list, tuple))
        or len(directions) != len(objectives)
        or not set(directions) <= {"maximize", "minimize"}
    ):
        directions = ()
    return tuple(str(n) for n in names), tuple(directions)


def tuning_table(
    frame: pd.DataFrame, *, name: str, source: str, lines: Sequence[int | None] | None = None
) -> TuningTable:
    """Check a results DataFrame and describe its columns (see :class:`TuningTable`)."""
    import pandas as pd

    attrs = dict(getattr(frame, "attrs", None) or {})
    frame = _sagemaker_objective(frame.copy())
    where = {"path": source} if source != "<DataFrame>" else {}
    columns = [str(c) for c in frame.columns]
    objectives = _objective_columns(columns, where)
    label = next((c for c in LABEL_COLUMNS if c in columns), None)
    if label is None:
        raise ReportInputError(
            f"the results table has neither a 'trial' nor a 'training_job_name' column (columns: "
            f"{', '.join(columns)}); a results file is the table written by {writers()}",
            line=1 if where else None,
            **where,
        )
    if frame.empty:
        raise ReportInputError("the results table has no rows", line=1 if where else None, **where)
    lines = lines or [None] * len(frame)
    for column in objectives:
        converted = pd.to_numeric(frame[column], errors="coerce")
        for value, number, line in zip(frame[column], converted, lines, strict=True):
            if number != number and not _missing(value):
                what = "the objective" if column == "objective" else f"the {column}"
                raise ReportInputError(f"{what} {value!r} is not a number", line=line, **where)
        frame[column] = converted.astype(float)
    hyperparameters = tuple(c for c in columns if c in BLAZINGTEXT_HYPERPARAMETERS)
    for column in hyperparameters + tuple(
        c
        for c in ("objective_std", "heldout_objective", "seconds", "billable_seconds", *RESOURCE_COLUMNS)
        if c in columns
    ):
        converted = pd.to_numeric(frame[column], errors="coerce")
        if converted.notna().sum() == frame[column].notna().sum():
            frame[column] = converted
    goldsets = tuple(
        c
        for c in columns
        if not _is_bookkeeping(c)
        and c not in BLAZINGTEXT_HYPERPARAMETERS
        and pd.to_numeric(frame[c], errors="coerce").notna().sum() == frame[c].notna().sum()
        and frame[c].notna().any()
    )
    for column in goldsets:
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    if "rankable" in frame:  # a row whose objective stands on too few pairs is never the best
        frame["rankable"] = _flags(frame, "rankable", lines, where)
    if "pareto_optimal" in frame:
        frame["pareto_optimal"] = _flags(frame, "pareto_optimal", lines, where)
    if objectives != ("objective",):  # the front is marked by w2veval.tune, never recomputed here
        frame = frame.sort_values("pareto_optimal", ascending=False, kind="mergesort")
    elif "rankable" in frame:
        frame = frame.sort_values(
            ["rankable", "objective"], ascending=[False, False], na_position="last", kind="mergesort"
        )
    else:
        frame = frame.sort_values("objective", ascending=False, na_position="last", kind="mergesort")
    names, directions = _names(attrs, objectives)
    return TuningTable(
        name=name,
        frame=frame.reset_index(drop=True),
        label=label,
        hyperparameters=hyperparameters,
        goldsets=goldsets,
        source=source,
        objectives=objectives,
        objective_names=names,
        directions=directions,
    )


def _missing(value: object) -> bool:
    return (
        value is None
        or (isinstance(value, float) and math.isnan(value))
        or (isinstance(value, str) and not value.strip())
    )
