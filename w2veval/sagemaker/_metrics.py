"""SageMaker metric definitions: how a training job prints scores and how the tuner reads them.

A job scored by w2veval prints one line per gold set and the objective last::

    #w2veval:ws353-sim: 0.6912345678901234
    #w2veval:objective: 0.6812345678901234

and the tuner reads them back with :func:`metric_definitions` (metric names
``w2veval:<goldset>`` and ``w2veval:objective``). The predefined objective
``mean_rho`` is printed ``#mean_rho: <value>`` and named ``train:mean_rho``, exactly as
SageMaker BlazingText does, so a w2veval job and a BlazingText job tune on the same metric.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping, Sequence
from typing import TextIO

from ..errors import W2VEvalError
from ..objective import PREDEFINED, Objective

__all__ = [
    "MAX_METRICS",
    "MEAN_RHO_METRIC",
    "OBJECTIVE_METRIC",
    "SageMakerConfigError",
    "emit_metrics",
    "format_value",
    "goldset_metric_name",
    "metric_definitions",
    "objective_metric_name",
    "validate_metric_definitions",
]

MAX_METRICS = 20
"""At most this many metric definitions per tuning job (SageMaker limit)."""
_MAX_NAME = 255
_MAX_REGEX = 500

OBJECTIVE_METRIC = "w2veval:objective"
"""The metric name of a job's objective, which the tuner maximises (unless it is ``mean_rho``)."""
MEAN_RHO_METRIC = "train:mean_rho"
"""The metric name of the ``mean_rho`` objective, BlazingText's own (mean Spearman on WS-353's files)."""
_PREFIX = "w2veval:"
_MEAN_RHO_TAG = "mean_rho"

# A float as repr() prints it, signed, with an exponent, or nan/inf. One capture group only:
# the tuner reads the first. The value must end its line: with '#' barred from gold-set
# names, that makes each regex match its own line only, whether the tuner reads the log
# line by line or as one text (gold set 'a' never reads the line of gold set 'a: 1 x').
_VALUE = r"([+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[nN][aA][nN]|[iI][nN][fF](?:inity)?))"
_END = r"(?=[ \t]*(?:\r?\n|$))"
# Escaped explicitly (not re.escape) so the regex reads the same in any engine.
_SPECIAL = set("\\.^$|?*+()[]{}")


class SageMakerConfigError(W2VEvalError, ValueError):
    """A SageMaker request that the service would refuse, or that would tune on nothing."""


def _escape(text: str) -> str:
    return "".join("\\" + c if c in _SPECIAL else c for c in text)


def _is_mean_rho(objective: Objective | str) -> bool:
    if isinstance(objective, str):
        return objective.strip() == _MEAN_RHO_TAG
    return isinstance(objective, Objective) and objective == PREDEFINED[_MEAN_RHO_TAG]


def _objective(objective: Objective | str) -> Objective:
    # A malformed objective raises ObjectiveError, which names the character at fault.
    return Objective.parse(objective)


def goldset_metric_name(goldset: str) -> str:
    """The metric name of one gold set's score: ``w2veval:<goldset>``.

    Raises
    ------
    SageMakerConfigError
        The name holds ``#`` or a line break, which would let one metric's regex read
        another's line.
    """
    if not isinstance(goldset, str) or not goldset or any(c in goldset for c in "#\r\n"):
        raise SageMakerConfigError(
            f"the gold-set name {goldset!r} cannot be a SageMaker metric: it "
            "must be one non-empty line without '#'; rename or copy the file"
        )
    return _PREFIX + goldset


def objective_metric_name(objective: Objective | str) -> str:
    """The metric the tuner optimises: ``train:mean_rho`` for ``mean_rho``, else ``w2veval:objective``."""
    return MEAN_RHO_METRIC if _is_mean_rho(objective) else OBJECTIVE_METRIC


def _line_tag(name: str) -> str:
    """The text printed before the value for metric ``name``."""
    return "#mean_rho" if name == MEAN_RHO_METRIC else "#" + name


def _definition(name: str) -> dict[str, str]:
    return {"Name": name, "Regex": _escape(_line_tag(name)) + ": " + _VALUE + _END}


def metric_definitions(objective: Objective | str, *, mean_rho: bool = True) -> list[dict[str, str]]:
    """The ``MetricDefinitions`` for tuning on ``objective``: the objective first, then
    BlazingText's ``train:mean_rho``, then each gold set.

    Parameters
    ----------
    objective : Objective or str
        An objective or its string form, or a predefined name such as ``"mean_rho"``.
        For ``mean_rho`` the objective metric is BlazingText's ``train:mean_rho``
        (``#mean_rho: <value>``) instead of ``w2veval:objective``.
    mean_rho : bool, default True
        Also capture ``train:mean_rho`` for another objective, so that every job stays
        comparable with BlazingText's own. The job prints ``#mean_rho:`` whenever it
        evaluates WS-353 (the ``evaluation`` hyperparameter, default true); pass
        ``False`` for jobs run with ``evaluation`` off.

    Returns
    -------
    list of dict
        ``{"Name", "Regex"}`` each; the regex's one capture group is the value.

    Raises
    ------
    SageMakerConfigError
        More than 20 metrics (the objective takes one, ``train:mean_rho`` one, so 18
        gold sets fit, 19 with ``mean_rho=False``), a name or regex longer than
        SageMaker allows, a gold set named ``objective``.
    ObjectiveError
        A malformed objective.

    Examples
    --------
    >>> [d["Name"] for d in metric_definitions("0.7*jobs-domain+0.3*ws353-sim")]
    ['w2veval:objective', 'train:mean_rho', 'w2veval:jobs-domain', 'w2veval:ws353-sim']
    >>> [d["Name"] for d in metric_definitions("0.7*jobs-domain+0.3*ws353-sim", mean_rho=False)]
    ['w2veval:objective', 'w2veval:jobs-domain', 'w2veval:ws353-sim']
    >>> [d["Name"] for d in metric_definitions("mean_rho")]
    ['train:mean_rho', 'w2veval:ws353', 'w2veval:ws353-rel', 'w2veval:ws353-sim']
    """
    parsed = _objective(objective)
    names = [objective_metric_name(parsed)]
    if mean_rho and names[0] != MEAN_RHO_METRIC:
        names.append(MEAN_RHO_METRIC)
    slots = MAX_METRICS - len(names)
    if len(parsed.terms) > slots:
        extra = (
            f"{names[0]!r} and {MEAN_RHO_METRIC!r} take two, leaving {slots} for gold sets "
            "(19 with evaluation off, mean_rho=False)"
            if len(names) == 2
            else f"{names[0]!r} takes one, leaving {slots} for gold sets"
        )
        raise SageMakerConfigError(
            f"the objective has {len(parsed.terms)} gold sets, but a SageMaker tuning job takes at "
            f"most {MAX_METRICS} metric definitions: {extra}; use at most {slots} gold sets"
        )
    names += [goldset_metric_name(t.goldset) for t in parsed.terms]
    definitions = [_definition(name) for name in names]
    validate_metric_definitions(definitions)
    return definitions


def validate_metric_definitions(definitions: Sequence[Mapping[str, str]]) -> None:
    """Check ``definitions`` against SageMaker's limits; raise :class:`SageMakerConfigError` if not."""
    if len(definitions) > MAX_METRICS:
        raise SageMakerConfigError(
            f"{len(definitions)} metric definitions, but a SageMaker tuning job takes at most "
            f"{MAX_METRICS}; use at most {MAX_METRICS - 1} gold sets in the objective"
        )
    seen = set()
    for definition in definitions:
        if not isinstance(definition, Mapping) or set(definition) != {"Name", "Regex"}:
            raise SageMakerConfigError(
                f'a metric definition is {{"Name": ..., "Regex": ...}}, got {definition!r}'
            )
        name, regex = definition["Name"], definition["Regex"]
        for field, value, limit in (("name", name, _MAX_NAME), ("regex", regex, _MAX_REGEX)):
            if not isinstance(value, str) or not 1 <= len(value) <= limit:
                shown = value if not isinstance(value, str) else f"{value[:60]!r}"
                length = len(value) if isinstance(value, str) else "not a string"
                raise SageMakerConfigError(
                    f"the metric {field} {shown} is {length} characters; SageMaker takes 1 to {limit} "
                    "(shorten the gold-set name)"
                )
        if name in seen:
            raise SageMakerConfigError(
                f"the metric name {name!r} is defined twice (a gold set named 'objective' clashes "
                f"with {OBJECTIVE_METRIC!r}; rename the gold set)"
            )
        seen.add(name)


def format_value(value: float) -> str:
    """A score as printed for the tuner: ``repr(float)``, which reads back exactly.

    NaN is never printed as a metric value (the tuner would ingest it): it raises;
    :func:`emit_metrics` leaves such a line out instead.

    >>> format_value(-2.5e-05), format_value(1), format_value(float("inf"))
    ('-2.5e-05', '1.0', 'inf')

    Raises
    ------
    ValueError
        ``value`` is NaN.
    """
    value = float(value)
    if math.isnan(value):
        raise ValueError(
            "NaN is not printed as a metric value: the tuner must not ingest it; leave the metric line out"
        )
    return repr(value)


def emit_metrics(
    values: Mapping[str, float],
    objective_value: float,
    *,
    objective: Objective | str | None = None,
    mean_rho: float | None = None,
    file: TextIO | None = None,
    log: TextIO | None = None,
) -> list[str]:
    """Print one flushed line per gold-set score, then the objective's, for the tuner to read.

    A NaN value is never printed: its line is left out, and ``log`` gets one line
    naming the metric (the tuner then keeps the metric's previous value, or has none).

    Parameters
    ----------
    values : mapping of str to float
        ``{gold set: score}``.
    objective_value : float
    objective : Objective or str, optional
        Only to choose the objective's line: ``#mean_rho: <value>`` when it is
        ``mean_rho``, ``#w2veval:objective: <value>`` otherwise (the default).
    mean_rho : float, optional
        Also print BlazingText's ``#mean_rho: <value>`` line, last.
    file : text stream, default sys.stdout
    log : text stream, default sys.stderr
        Where the metrics left out are named.

    Returns
    -------
    list of str
        The names of the metrics left out because their value is NaN.

    Examples
    --------
    >>> emit_metrics({"ws353-sim": 0.5}, 0.5)
    #w2veval:ws353-sim: 0.5
    #w2veval:objective: 0.5
    []
    """
    file = sys.stdout if file is None else file
    log = sys.stderr if log is None else log
    objective_name = OBJECTIVE_METRIC if objective is None else objective_metric_name(objective)
    metrics = [(goldset_metric_name(goldset), value) for goldset, value in values.items()]
    metrics.append((objective_name, objective_value))
    if mean_rho is not None:
        metrics.append((MEAN_RHO_METRIC, mean_rho))
    left_out = []
    for name, value in metrics:
        if math.isnan(float(value)):
            left_out.append(name)
            print(
                f"w2veval: metric {name} left out: its value is NaN, which the tuner must not ingest",
                file=log,
                flush=True,
            )
            continue
        print(f"{_line_tag(name)}: {format_value(value)}", file=file, flush=True)
    return left_out
