"""Tune word2vec locally with Optuna: ``w2veval.tune.run`` and ``w2veval.tune.results``.

Trials train gensim Word2Vec/FastText with BlazingText's hyperparameter names over the
search space shared with the SageMaker adapter (:mod:`w2veval.space`) and are scored with
an :class:`~w2veval.Objective`, or with several (a Pareto front). Optuna's samplers stand in
for SageMaker's strategies, its pruners stop poor trials after an epoch, a warm start
enqueues the best configurations of an earlier study or tuning job, and every trial records
what it cost. Studies live in an SQLite file (default), a journal file (several processes on
one machine) or PostgreSQL (many machines). See ``docs/tuning.md``.
Needs the extra ``w2veval[tune]`` (optuna); nothing here imports optuna until called.
"""

from ._errors import StorageError, StudyNotFoundError, TuneError
from ._results import results
from ._run import available_cores, cpu_budget, run
from ._space import distributions, parse_range, read_space, space_from_parameter_ranges
from ._storage import DEFAULT_STORAGE
from ._warmstart import WarmStart, read_warm_start

__all__ = [
    "DEFAULT_STORAGE",
    "StorageError",
    "StudyNotFoundError",
    "TuneError",
    "WarmStart",
    "available_cores",
    "cpu_budget",
    "distributions",
    "parse_range",
    "read_space",
    "read_warm_start",
    "results",
    "run",
    "space_from_parameter_ranges",
]
