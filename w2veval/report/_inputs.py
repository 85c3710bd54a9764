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
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..errors import OutputError, W2VEvalError, spelled
from ..space import BLAZINGTEXT_HYPERPARAMETERS

__all__ = ["ReportInputError", "ReportSourceError", "ReportOutputError", "TuningTable", "split_inputs", "read_results",
           "tuning_table", "study_table", "RESULTS_SUFFIXES"]

RESULTS_SUFFIXES = (".csv", ".json")
LABEL_COLUMNS = ("trial", "training_job_name")
STATE_COLUMNS = ("state", "status")
NON_SCORE_COLUMNS = frozenset({"trial", "state", "objective", "objective_std", "heldout_objective",
                               "seconds", "training_job_name", "status", "billable_seconds",
                               "model_artifacts", "rescore_error", "n_scored", "coverage", "rankable",
                               "note", "objective_value", "rescored_objective", "objective_spec",
                               "objective_status", "training_start", "training_end", "failure_reason"})
def _writers() -> str:
    """Who writes results files, as the reader calls them: commands, or functions and ``to_csv``."""
    return spelled("`w2veval tune results --format csv|json` or `w2veval sagemaker results --format csv|json`",
                   "`w2veval.tune.results(...)` or `w2veval.sagemaker.tuning_results(...)`, saved with "
                   "`.to_csv(path, index=False)`")


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
        The rows as read, sorted by ``objective`` (higher is better), NaN last; with a
        ``rankable`` column (``tune results``, ``sagemaker rescore``), rankable rows first.
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
    """

    name: str
    frame: object = field(repr=False)
    label: str
    hyperparameters: tuple
    goldsets: tuple
    source: str

    @property
    def best(self):
        """The best row (a pandas Series), or None: the first row, if its objective is defined
        and, where the table says so (``rankable``), it stands on enough pairs to rank."""
        if self.frame.empty:
            return None
        first = self.frame.iloc[0]
        if first["objective"] != first["objective"] or ("rankable" in first and not bool(first["rankable"])):
            return None
        return first

    @property
    def has_heldout(self) -> bool:
        """True when the table has finite ``heldout_objective`` values."""
        return "heldout_objective" in self.frame and bool(self.frame["heldout_objective"].notna().any())


def _is_frame(value) -> bool:
    return hasattr(value, "columns") and hasattr(value, "iloc")


def _is_results_path(value) -> bool:
    return isinstance(value, (str, os.PathLike)) and \
        os.fspath(value).lower().endswith(RESULTS_SUFFIXES) and not os.fspath(value).startswith("s3://")


def split_inputs(inputs) -> tuple[list[tuple[str, object]], list[TuningTable]]:
    """``(vectors, tables)``: named vectors sources, and the results tables read.

    ``inputs`` is one INPUT, a list of them, or ``{name: INPUT}``. A path ending in
    ``.csv`` or ``.json`` is a results file, a DataFrame a results table, anything else a
    vectors source. A local path that does not exist is an error here, before anything
    is loaded.
    """
    from ..scoring._evaluate import _is_word_dict, _is_words_matrix_pair

    def one_vectors_dict(mapping) -> bool:  # {word: vector}, not {name: (words, matrix)}
        first = next(iter(mapping.values()), None)
        return _is_word_dict(mapping) and not (isinstance(first, (list, tuple)) and _is_words_matrix_pair(first))

    if isinstance(inputs, Mapping) and all(isinstance(k, str) for k in inputs) and not one_vectors_dict(inputs):
        named = list(inputs.items())
    else:
        if not isinstance(inputs, (list, tuple)) or _is_words_matrix_pair(inputs):
            inputs = [inputs]  # one INPUT: a path, a frame, vectors in memory ({word: vector} too)
        named = [(None, item) for item in inputs]
    vectors, tables = [], []
    for position, (name, item) in enumerate(named):
        if isinstance(item, (str, os.PathLike)) and not os.fspath(item).startswith("s3://") \
                and not os.path.exists(item):
            raise ReportSourceError(
                "no such file or folder; an INPUT is a vectors source (file, folder, model.tar.gz, "
                f"s3:// URL) or a results file (.csv or .json written by {_writers()})", path=item)
        if _is_frame(item):
            tables.append(tuning_table(item, name=name or f"results[{position}]", source="<DataFrame>"))
        elif _is_results_path(item):
            tables.append(read_results(item, name=name))
        else:
            vectors.append((name, item))
    return vectors, tables


def read_results(path, *, name: str | None = None) -> TuningTable:
    """Read a results file written by ``tune results`` or ``sagemaker results`` (CSV or JSON).

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
        raise ReportInputError(f"not UTF-8 text ({exc.reason}); a results file is the CSV or JSON "
                               f"written by {_writers()}", path=path) from None
    except OSError as exc:
        raise ReportSourceError(f"cannot read the results file: {exc.strerror or exc}", path=path) from None
    if path.lower().endswith(".json"):
        frame, lines = _read_json(text, path)
    else:
        frame, lines = _read_csv(text, path)
    return tuning_table(frame, name=name or os.path.basename(path), source=path, lines=lines)


def _read_json(text: str, path: str):
    import pandas as pd

    decoder = json.JSONDecoder()
    rows, lines = [], []
    at = _skip_space(text, 0)
    if at >= len(text) or text[at] != "[":
        line = text.count("\n", 0, at) + 1
        raise ReportInputError(f"expected a JSON list of row objects (as written by {_writers()})",
                               path=path, line=line)
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
            raise ReportInputError("malformed JSON: expected ',' or ']' after a row object", path=path,
                                   line=text.count("\n", 0, at) + 1)
    if at >= len(text):
        raise ReportInputError("malformed JSON: the list is not closed with ']'", path=path,
                               line=text.count("\n") + 1)
    if _skip_space(text, at + 1) < len(text):
        raise ReportInputError("malformed JSON: text after the closing ']'", path=path,
                               line=text.count("\n", 0, _skip_space(text, at + 1)) + 1)
    columns = list(dict.fromkeys(k for row in rows for k in row))
    for row, line in zip(rows, lines):
        if "objective" in columns and "objective" not in row:
            raise ReportInputError("this row has no 'objective'", path=path, line=line)
    return pd.DataFrame(rows, columns=columns), lines


def _skip_space(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t\r\n":
        at += 1
    return at


def _read_csv(text: str, path: str):
    import io

    import pandas as pd

    if not text.strip():
        raise ReportInputError(f"the file is empty; a results file is the table written by {_writers()}",
                               path=path, line=1)
    try:
        frame = pd.read_csv(io.StringIO(text), skip_blank_lines=True)
    except (pd.errors.ParserError, ValueError) as exc:
        found = re.search(r"line (\d+)", str(exc))
        message = str(exc).split("\n")[0]
        raise ReportInputError(f"malformed CSV: {message}", path=path,
                               line=int(found.group(1)) if found else None) from None
    # Row i of the frame is line i + 2 (the header is line 1); blank lines are rare in these files.
    return frame, [i + 2 for i in range(len(frame))]


def _sagemaker_objective(frame):
    """A SageMaker table keeps the objective's value in ``objective_value`` (``rescored_objective``
    after rescoring) and its spec in ``objective``: the value becomes ``objective``, the spec
    ``objective_spec``."""
    value = next((c for c in ("rescored_objective", "objective_value") if c in frame.columns), None)
    if value is None:
        return frame
    frame = frame.rename(columns={"objective": "objective_spec"})
    frame.insert(list(frame.columns).index(value), "objective", frame[value])
    return frame


def tuning_table(frame, *, name: str, source: str, lines=None) -> TuningTable:
    """Check a results DataFrame and describe its columns (see :class:`TuningTable`)."""
    import pandas as pd

    frame = _sagemaker_objective(frame.copy())
    where = {"path": source} if source != "<DataFrame>" else {}
    columns = [str(c) for c in frame.columns]
    if "objective" not in columns:
        raise ReportInputError(
            f"the results table has no 'objective' column (columns: {', '.join(columns) or 'none'}); "
            f"a results file is the table written by {_writers()}", line=1 if where else None, **where)
    label = next((c for c in LABEL_COLUMNS if c in columns), None)
    if label is None:
        raise ReportInputError(
            f"the results table has neither a 'trial' nor a 'training_job_name' column (columns: "
            f"{', '.join(columns)}); a results file is the table written by {_writers()}",
            line=1 if where else None, **where)
    if frame.empty:
        raise ReportInputError("the results table has no rows", line=1 if where else None, **where)
    lines = lines or [None] * len(frame)
    objective = pd.to_numeric(frame["objective"], errors="coerce")
    for value, converted, line in zip(frame["objective"], objective, lines):
        if converted != converted and not _missing(value):
            raise ReportInputError(f"the objective {value!r} is not a number", line=line, **where)
    frame["objective"] = objective.astype(float)
    hyperparameters = tuple(c for c in columns if c in BLAZINGTEXT_HYPERPARAMETERS)
    for column in hyperparameters + tuple(c for c in ("objective_std", "heldout_objective", "seconds",
                                                      "billable_seconds") if c in columns):
        converted = pd.to_numeric(frame[column], errors="coerce")
        if converted.notna().sum() == frame[column].notna().sum():
            frame[column] = converted
    goldsets = tuple(c for c in columns if c not in NON_SCORE_COLUMNS and c not in BLAZINGTEXT_HYPERPARAMETERS
                     and pd.to_numeric(frame[c], errors="coerce").notna().sum() == frame[c].notna().sum()
                     and frame[c].notna().any())
    for column in goldsets:
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    if "rankable" in frame:  # a row whose objective stands on too few pairs is never the best
        frame["rankable"] = [str(v).strip().lower() in ("true", "1", "1.0") for v in frame["rankable"]]
        frame = frame.sort_values(["rankable", "objective"], ascending=[False, False], na_position="last",
                                  kind="mergesort")
    else:
        frame = frame.sort_values("objective", ascending=False, na_position="last", kind="mergesort")
    return TuningTable(name=name, frame=frame.reset_index(drop=True), label=label,
                       hyperparameters=hyperparameters, goldsets=goldsets, source=source)


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or \
        (isinstance(value, str) and not value.strip())


def study_table(storage: str, study: str) -> TuningTable:
    """The results of a local tuning study, through ``w2veval.tune.results(storage, study)``."""
    try:
        from .. import tune
    except ImportError as exc:  # pragma: no cover - the package is part of w2veval
        raise ReportInputError(f"study inputs need w2veval.tune: {exc}") from None
    results = getattr(tune, "results", None)
    if results is None:
        raise ReportInputError("study inputs need w2veval.tune.results, which this version of w2veval "
                               "lacks; write the table with `w2veval tune results --format csv` instead")
    return tuning_table(results(storage, study), name=f"study {study}", source=f"{storage} ({study})")
