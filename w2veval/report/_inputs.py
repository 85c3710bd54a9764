"""What a report is made of: vectors sources, and tuning results (files, studies, frames).

An INPUT of ``w2veval report`` is a vectors source (anything :func:`w2veval.load_vectors`
reads), a results file (``.csv`` or ``.json``, the table ``w2veval tune results`` or
``w2veval sagemaker results`` writes) or, given separately, an Optuna study. This module
tells them apart and reads the results tables, strictly: a file that cannot be read, or
lacks a column the report needs, is an error naming the file and line.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

from ..errors import OutputError, W2VEvalError, spelled
from ..scoring._ranking import MIN_RANK_COVERAGE, MIN_RANK_PAIRS
from ..space import BLAZINGTEXT_HYPERPARAMETERS

if TYPE_CHECKING:
    import pandas as pd

    from .._typing import StrPath, VectorsSource

    ReportInput: TypeAlias = VectorsSource | pd.DataFrame
    """A vectors source, a results file (``.csv``/``.json``) or a results DataFrame."""
    ReportInputs: TypeAlias = ReportInput | Sequence[ReportInput] | Mapping[str, ReportInput]
    """One INPUT, a list of them, or ``{name: INPUT}``."""

__all__ = [
    "RESOURCE_COLUMNS",
    "RESULTS_SUFFIXES",
    "ReportInputError",
    "ReportOutputError",
    "ReportSourceError",
    "TuningTable",
    "read_results",
    "split_inputs",
    "study_table",
    "tuning_table",
]

RESULTS_SUFFIXES = (".csv", ".json")
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
_OBJECTIVE_K = re.compile(r"objective_([1-9][0-9]*)")


def _is_bookkeeping(column: str) -> bool:
    """Whether ``column`` is neither a score nor a hyperparameter (``objective_2`` included)."""
    return column in NON_SCORE_COLUMNS or _OBJECTIVE_K.fullmatch(column) is not None


def _writers() -> str:
    """Who writes results files, as the reader calls them: commands, or functions and ``to_csv``."""
    return spelled(
        "`w2veval tune results --format csv|json` or `w2veval sagemaker results --format csv|json`",
        "`w2veval.tune.results(...)` or `w2veval.sagemaker.tuning_results(...)`, saved with "
        "`.to_csv(path, index=False)`",
    )


class ReportInputError(W2VEvalError, ValueError):
    """A report INPUT that is not what it claims to be: a malformed results file, a missing column."""


class ReportSourceError(W2VEvalError, OSError):
    """A report INPUT that cannot be found or read."""


class ReportOutputError(OutputError):
    """A report or figure file that cannot be written."""


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


def _is_frame(value: object) -> bool:
    return hasattr(value, "columns") and hasattr(value, "iloc")


def _is_results_path(value: object) -> bool:
    return (
        isinstance(value, (str, os.PathLike))
        and os.fspath(value).lower().endswith(RESULTS_SUFFIXES)
        and not os.fspath(value).startswith("s3://")
    )


def split_inputs(inputs: ReportInputs) -> tuple[list[tuple[str | None, VectorsSource]], list[TuningTable]]:
    """``(vectors, tables)``: named vectors sources, and the results tables read.

    ``inputs`` is one INPUT, a list of them, or ``{name: INPUT}``. A path ending in
    ``.csv`` or ``.json`` is a results file, a DataFrame a results table, anything else a
    vectors source. A local path that does not exist is an error here, before anything
    is loaded.
    """
    from ..scoring._evaluate import _is_word_dict, _is_words_matrix_pair

    def one_vectors_dict(mapping: Mapping) -> bool:  # {word: vector}, not {name: (words, matrix)}
        first = next(iter(mapping.values()), None)
        return (
            _is_word_dict(mapping)
            and not _is_frame(first)
            and not (isinstance(first, (list, tuple)) and _is_words_matrix_pair(first))
        )

    named: list[tuple[str | None, Any]]
    if (
        isinstance(inputs, Mapping)
        and all(isinstance(k, str) for k in inputs)
        and not one_vectors_dict(inputs)
    ):
        named = list(inputs.items())
    else:
        if not isinstance(inputs, (list, tuple)) or _is_words_matrix_pair(inputs):
            inputs = [inputs]  # one INPUT: a path, a frame, vectors in memory ({word: vector} too)
        named = [(None, item) for item in inputs]
    vectors: list[tuple[str | None, VectorsSource]] = []
    tables: list[TuningTable] = []
    for position, (name, item) in enumerate(named):
        if (
            isinstance(item, (str, os.PathLike))
            and not os.fspath(item).startswith("s3://")
            and not os.path.exists(item)
        ):
            raise ReportSourceError(
                "no such file or folder; an INPUT is a vectors source (file, folder, model.tar.gz, "
                f"s3:// URL) or a results file (.csv or .json written by {_writers()})",
                path=item,
            )
        if _is_frame(item):
            tables.append(tuning_table(item, name=name or f"results[{position}]", source="<DataFrame>"))
        elif _is_results_path(item):
            tables.append(read_results(item, name=name))
        else:
            vectors.append((name, item))
    return vectors, tables


def read_results(path: StrPath, *, name: str | None = None) -> TuningTable:
    """Read a results file written by ``tune results`` or ``sagemaker results`` (CSV or JSON).

    Parameters
    ----------
    path : str or os.PathLike
        A ``.csv`` or ``.json`` file.
    name : str, optional
        How the report names the table; default the file's name.

    Raises
    ------
    ReportSourceError
        The file cannot be opened or read.
    ReportInputError
        Its content is not such a table (malformed CSV/JSON, no rows, no ``objective``
        column, a non-numeric objective); the message names the file and line.
    """
    path = os.fspath(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            text = fh.read()
    except UnicodeDecodeError as exc:
        raise ReportInputError(
            f"not UTF-8 text ({exc.reason}); a results file is the CSV or JSON written by {_writers()}",
            path=path,
        ) from None
    except OSError as exc:
        raise ReportSourceError(f"cannot read the results file: {exc.strerror or exc}", path=path) from None
    if path.lower().endswith(".json"):
        frame, lines = _read_json(text, path)
    else:
        frame, lines = _read_csv(text, path)
    return tuning_table(frame, name=name or os.path.basename(path), source=path, lines=lines)


def _read_json(text: str, path: str) -> tuple[pd.DataFrame, list[int]]:
    import pandas as pd

    decoder = json.JSONDecoder()
    rows: list[dict] = []
    lines: list[int] = []
    at = _skip_space(text, 0)
    if at >= len(text) or text[at] != "[":
        line = text.count("\n", 0, at) + 1
        raise ReportInputError(
            f"expected a JSON list of row objects (as written by {_writers()})", path=path, line=line
        )
    at = _skip_space(text, at + 1)
    while at < len(text) and text[at] != "]":
        line = text.count("\n", 0, at) + 1
        try:
            row, at = decoder.raw_decode(text, at)
        except json.JSONDecodeError as exc:
            raise ReportInputError(f"malformed JSON: {exc.msg}", path=path, line=exc.lineno) from None
        if not isinstance(row, dict):
            raise ReportInputError(f"expected a row object, got {type(row).__name__}", path=path, line=line)
        rows.append(row)
        lines.append(line)
        at = _skip_space(text, at)
        if at < len(text) and text[at] == ",":
            at = _skip_space(text, at + 1)
        elif at < len(text) and text[at] != "]":
            raise ReportInputError(
                "malformed JSON: expected ',' or ']' after a row object",
                path=path,
                line=text.count("\n", 0, at) + 1,
            )
    if at >= len(text):
        raise ReportInputError(
            "malformed JSON: the list is not closed with ']'", path=path, line=text.count("\n") + 1
        )
    if _skip_space(text, at + 1) < len(text):
        raise ReportInputError(
            "malformed JSON: text after the closing ']'",
            path=path,
            line=text.count("\n", 0, _skip_space(text, at + 1)) + 1,
        )
    columns = list(dict.fromkeys(k for row in rows for k in row))
    wanted = [c for c in columns if c == "objective" or _OBJECTIVE_K.fullmatch(c)]
    for row, line in zip(rows, lines, strict=True):
        for column in wanted:
            if column not in row:
                raise ReportInputError(f"this row has no {column!r}", path=path, line=line)
    return pd.DataFrame(rows, columns=columns), lines


def _skip_space(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t\r\n":
        at += 1
    return at


def _read_csv(text: str, path: str) -> tuple[pd.DataFrame, list[int]]:
    import io

    import pandas as pd

    if not text.strip():
        raise ReportInputError(
            f"the file is empty; a results file is the table written by {_writers()}", path=path, line=1
        )
    try:
        frame = pd.read_csv(io.StringIO(text), skip_blank_lines=True)
    except (pd.errors.ParserError, ValueError) as exc:
        found = re.search(r"line (\d+)", str(exc))
        message = str(exc).split("\n")[0]
        raise ReportInputError(
            f"malformed CSV: {message}", path=path, line=int(found.group(1)) if found else None
        ) from None
    # Row i of the frame is line i + 2 (the header is line 1); blank lines are rare in these files.
    return frame, [i + 2 for i in range(len(frame))]


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
    numbered = sorted((int(m.group(1)), c) for c in columns if (m := _OBJECTIVE_K.fullmatch(c)))
    if "objective" in columns or not numbered:
        if "objective" not in columns:
            raise ReportInputError(
                f"the results table has no 'objective' column (columns: {', '.join(columns) or 'none'}); "
                f"a results file is the table written by {_writers()}",
                line=1 if where else None,
                **where,
            )
        return ("objective",)
    if [k for k, _ in numbered] != list(range(1, len(numbered) + 1)):
        raise ReportInputError(
            f"the objective columns {', '.join(c for _, c in numbered)} do not run from objective_1 to "
            f"objective_{len(numbered)}; a multi-objective results file is the table written by {_writers()}",
            line=1 if where else None,
            **where,
        )
    if "pareto_optimal" not in columns:
        raise ReportInputError(
            f"the multi-objective results table ({', '.join(c for _, c in numbered)}) has no "
            f"'pareto_optimal' column; a results file is the table written by {_writers()}",
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
            f"{', '.join(columns)}); a results file is the table written by {_writers()}",
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


def study_table(
    storage: str, study: str, *, min_pairs: int = MIN_RANK_PAIRS, min_coverage: float = MIN_RANK_COVERAGE
) -> TuningTable:
    """The results of a local tuning study, through ``w2veval.tune.results(storage, study)``;
    ``min_pairs`` and ``min_coverage`` are the ranking rule it marks trials by."""
    try:
        from .. import tune
    except ImportError as exc:  # pragma: no cover - the package is part of w2veval
        raise ReportInputError(f"study inputs need w2veval.tune: {exc}") from None
    results = getattr(tune, "results", None)
    if results is None:
        raise ReportInputError(
            "study inputs need w2veval.tune.results, which this version of w2veval "
            "lacks; write the table with `w2veval tune results --format csv` instead"
        )
    frame = results(storage, study, min_pairs=min_pairs, min_coverage=min_coverage)
    return tuning_table(frame, name=f"study {study}", source=f"{storage} ({study})")
