"""What a report is made of: vectors sources, and tuning results (files, studies, frames).

An INPUT of ``w2veval report`` is a vectors source (anything :func:`w2veval.load_vectors`
reads), a results file (``.csv`` or ``.json``, the table ``w2veval tune results`` or
``w2veval sagemaker results`` writes) or, given separately, an Optuna study. This module
tells them apart and reads the results files, strictly: a file that cannot be read, or
lacks a column the report needs, is an error naming the file and line. What a results
table must hold is :mod:`._tables`' concern.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

from ..scoring._ranking import MIN_RANK_COVERAGE, MIN_RANK_PAIRS
from ._errors import ReportInputError, ReportOutputError, ReportSourceError, writers
from ._tables import OBJECTIVE_K, RESOURCE_COLUMNS, TuningTable, tuning_table

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
                f"s3:// URL) or a results file (.csv or .json written by {writers()})",
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
            f"not UTF-8 text ({exc.reason}); a results file is the CSV or JSON written by {writers()}",
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
            f"expected a JSON list of row objects (as written by {writers()})", path=path, line=line
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
    wanted = [c for c in columns if c == "objective" or OBJECTIVE_K.fullmatch(c)]
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
            f"the file is empty; a results file is the table written by {writers()}", path=path, line=1
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
