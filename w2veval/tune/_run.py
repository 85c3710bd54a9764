"""``run``: check everything, open the study, then run the trials in this process or in
``jobs`` worker processes, with a progress bar of the trials."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import option
from ..objective import Objective
from ..space import BLAZINGTEXT_HYPERPARAMETERS, BLAZINGTEXT_RANGES, SearchSpace
from ._errors import TuneError, import_optuna
from ._storage import DEFAULT_STORAGE, describe, storage_kind
from ._trial import TuneConfig, hyperparameters, make_scorer

if TYPE_CHECKING:
    import optuna
    import pandas as pd
    from tqdm import tqdm

    from .._typing import StrPath
    from ._multi import MultiScorer
    from ._trial import Scorer

__all__ = ["available_cores", "cpu_budget", "run"]

_POLL_SECONDS = 0.5


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def cpu_budget(
    jobs: int, threads: int | None, *, deterministic: bool = False, cores: int | None = None
) -> int:
    """Training threads per worker such that ``jobs × threads ≤ cores``.

    Examples
    --------
    >>> cpu_budget(2, None, cores=8), cpu_budget(3, None, cores=8)
    (4, 2)
    >>> cpu_budget(1, None, deterministic=True, cores=8)
    1
    >>> cpu_budget(2, 4, cores=4)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    w2veval.tune._errors.TuneError: 2 workers × 4 training threads = 8 exceeds the 4 cores ...
    """
    cores = cores or available_cores()
    _positive("jobs", jobs)
    if jobs > cores:
        raise TuneError(
            f"{jobs} workers exceed the {cores} cores of this machine; use {option('jobs', cores)} "
            "or fewer (each worker trains with at least one thread)"
        )
    if threads is None:
        return 1 if deterministic else max(1, cores // jobs)
    _positive("threads", threads)
    if deterministic and threads != 1:
        raise TuneError(f"deterministic mode trains with one thread; drop {option('threads', threads)}")
    if jobs * threads > cores:
        raise TuneError(
            f"{jobs} workers × {threads} training threads = {jobs * threads} exceeds the "
            f"{cores} cores of this machine; lower {option('jobs')} or {option('threads')}"
        )
    return threads


def _positive(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise TuneError(f"{name} must be a positive integer, got {value!r}")
    return value


def _check_fixed(fixed: Mapping[str, Any] | None, space: SearchSpace) -> dict[str, Any]:
    fixed = dict(fixed or {})
    for name in fixed:
        if name not in BLAZINGTEXT_HYPERPARAMETERS or name == "evaluation":
            import difflib

            close = difflib.get_close_matches(str(name), list(BLAZINGTEXT_HYPERPARAMETERS), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise TuneError(
                f"unknown fixed hyperparameter {name!r}; {hint}known: "
                f"{', '.join(BLAZINGTEXT_HYPERPARAMETERS)}"
            )
        if name in space:
            raise TuneError(f"{name!r} is both searched and fixed; drop one")
    if "mode" not in space and "mode" not in fixed:
        raise TuneError(
            "BlazingText needs 'mode' (batch_skipgram, skipgram or cbow): search it "
            f"or fix it ({option('fixed', {'mode': 'cbow'})})"
        )
    return fixed


def _check_corpus(corpus: StrPath) -> str:
    path = Path(corpus)
    if not path.exists():
        raise TuneError(
            "the corpus does not exist; give a text file (one tokenised sentence per "
            "line) or a folder of them",
            path=path,
        )
    if path.is_file() and path.stat().st_size == 0:
        raise TuneError("the corpus is empty", path=path)
    return os.fspath(path.resolve())


def _check_heldout(heldout: float | None) -> float | None:
    if heldout is None or heldout is False:
        return None
    if heldout is True:
        return 0.5
    if isinstance(heldout, (int, float)) and 0 < float(heldout) < 1:
        return float(heldout)
    raise TuneError(
        f"heldout is the held-out share of each gold set, strictly between 0 and 1 "
        f"(or True for 0.5), got {heldout!r}"
    )


def run(
    corpus: StrPath,
    objective: Objective | str | Sequence[Objective | str],
    *,
    trials: int,
    storage: str | None = None,
    study: str | None = None,
    jobs: int = 1,
    threads: int | None = None,
    repeats: int = 1,
    seed: int = 0,
    deterministic: bool = False,
    space: SearchSpace | None = None,
    fixed: Mapping[str, Any] | None = None,
    heldout: float | None = None,
    heldout_seed: int = 0,
    progress: bool = True,
    goldset_options: Mapping[str, Any] | None = None,
    prune: str = "none",
    sampler: str = "tpe",
    warm_start: str | None = None,
    warm_start_best: int = 5,
    price_per_hour: float | None = None,
) -> pd.DataFrame:
    """Tune word2vec on ``corpus`` for one objective, or several, with Optuna, locally.

    Each trial trains gensim ``Word2Vec`` (``FastText`` when ``subwords``) with
    BlazingText's hyperparameter names on the corpus, streamed from disk, ``repeats``
    times with seeds ``seed, seed+1, ...``, and scores every model on the objective. The
    study is kept in ``storage``: running again with the same ``study`` resumes it; a
    trial whose worker was killed is marked failed and the others are kept.

    Parameters
    ----------
    corpus : str or os.PathLike
        A text file, or a folder of text files, one tokenised sentence per line (as
        BlazingText reads it: tokens split on white space, used as they are).
    objective : Objective, str, or a list of them
        What to maximise, e.g. ``"0.7*ws353+0.3*simlex999;oov=zero"``. A list makes a
        multi-objective study (``["ws353-sim", "ws353-rel"]``) whose results mark the
        Pareto-optimal trials; it may name what a trial costs (``"cpu_seconds"``,
        ``"train_seconds"``, ``"wall_seconds"``, ``"peak_memory_mb"``, minimised;
        ``"words_per_second"``, maximised).
    trials : int
        How many finished trials (complete, failed or pruned) the study should have;
        a resumed study runs only the missing ones. With several workers starting at
        once, each may finish one trial more than needed.
    storage : str, optional
        ``sqlite:///FILE.db`` (default ``sqlite:///w2veval-tune.db`` in the current
        folder; one process only), ``journal:///PATH/FILE.log`` (several processes on one
        machine) or ``postgresql://USER@HOST:PORT/DB`` (many machines).
    study : str, optional
        The study's name; default the objective's name.
    jobs : int, default 1
        Worker processes on this machine. More than one needs a journal or PostgreSQL
        storage (SQLite is not safe for several writing processes).
    threads : int, optional
        Training threads per worker; default ``cores // jobs``. ``jobs × threads`` may
        not exceed the machine's cores.
    repeats : int, default 1
        Models trained per configuration, with different seeds: the table gives their
        mean (``objective``) and sample standard deviation (``objective_std``), so that
        a difference between configurations can be told from training noise.
    seed : int, default 0
        Seeds training (repeat ``k`` uses ``seed + k``, the same for every configuration)
        and the sampler.
    deterministic : bool, default False
        One training thread, fixed seed and ``PYTHONHASHSEED``: a configuration gives
        bit-identical vectors every time. Slower. Multi-threaded word2vec is not
        bit-reproducible.
    space : SearchSpace, optional
        Default :data:`w2veval.space.BLAZINGTEXT_RANGES`, SageMaker's recommended ranges.
    fixed : mapping, optional
        Hyperparameters not searched (BlazingText names), e.g. ``{"min_count": 2}``;
        like SageMaker's static hyperparameters.
    heldout : float, optional
        Split each gold set of the objective (stratified by score, or the authors' own
        dev/test split where the catalog has one), tune on one part and report the
        objective on this held-out share (``heldout_objective``).
    heldout_seed : int, default 0
        Seeds the split.
    progress : bool, default True
        A progress bar of the trials on stderr.
    goldset_options : mapping, optional
        :meth:`~w2veval.GoldSet.from_file` keyword arguments (``encoding``,
        ``decimal_comma``, ...) for the objective's gold sets given as file paths.
    prune : {"none", "median", "hyperband"}, default "none"
        Stop poor trials early: the objective is reported after every epoch of the first
        repeat and Optuna's pruner compares it with other trials at the same epoch
        (``docs/tuning.md``, "Pruning"). One objective only.
    sampler : {"tpe", "random", "grid", "gp", "cmaes", "nsga2"}, default "tpe"
        Optuna's sampler (SageMaker's Bayesian is ``tpe`` or ``gp``, Random ``random``,
        Grid ``grid``; Hyperband is ``prune="hyperband"``).
    warm_start : str, optional
        Enqueue the best configurations of an earlier study (``STORAGE_URL[#STUDY]``), a
        ``tune results --format json`` file or a ``sagemaker results --format json``
        file as the first trials of a new study.
    warm_start_best : int, default 5
        How many configurations a warm start enqueues.
    price_per_hour : float, optional
        The machine's price per hour: results get a ``cost`` column (wall seconds × price)
        and its total. Kept in the study, so that ``results`` shows it too.

    Returns
    -------
    pandas.DataFrame
        :func:`results` of the study.
    """
    import_optuna()
    from ._objectives import parse_objectives, study_name
    from ._resources import check_price
    from ._results import study_table
    from ._strategy import check_strategy

    objectives = parse_objectives(objective)
    main_objective = next(o for o in objectives if isinstance(o, Objective))  # the first that scores
    _positive("trials", trials)
    _positive("warm_start_best", warm_start_best)
    price_per_hour = check_price(price_per_hour)
    _positive("repeats", repeats)
    if (
        isinstance(seed, bool)
        or not isinstance(seed, int)
        or isinstance(heldout_seed, bool)
        or not isinstance(heldout_seed, int)
    ):
        raise TuneError(f"seed and heldout_seed must be integers, got {seed!r}, {heldout_seed!r}")
    space = BLAZINGTEXT_RANGES if space is None else space
    if not isinstance(space, SearchSpace):
        raise TuneError(f"space must be a w2veval.space.SearchSpace, got {type(space).__name__}")
    from ._space import distributions

    distributions(space)  # refuses a scale Optuna lacks, before anything is written
    trials = check_strategy(
        objectives, prune=prune, sampler=sampler, heldout=heldout, space=space, trials=trials, say=_say
    )
    fixed = _check_fixed(fixed, space)
    # A fixed hyperparameter BlazingText would refuse fails now, not in every trial; the
    # values are kept typed ("5" and 5 are the same min_count for a resumed study).
    sample = hyperparameters(
        fixed, {n: r.values[0] if hasattr(r, "values") else r.low for n, r in space.items()}
    )
    fixed = {name: getattr(sample, name) for name in fixed}
    corpus_path = _check_corpus(corpus)
    threads = cpu_budget(jobs, threads, deterministic=deterministic)
    storage = DEFAULT_STORAGE if storage is None else storage
    if storage_kind(storage) == "sqlite" and jobs > 1:
        raise TuneError(
            f"SQLite ({describe(storage)}) is not safe for {jobs} writing processes; use "
            f"{option('storage', 'journal:///PATH/FILE.log')} on one machine, or postgresql://..."
        )
    config = TuneConfig(
        corpus=corpus_path,
        objective=main_objective,
        space=space,
        storage=storage,
        study=study or study_name(objectives),
        trials=trials,
        fixed=fixed,
        repeats=repeats,
        seed=seed,
        threads=threads,
        deterministic=deterministic,
        heldout=_check_heldout(heldout),
        heldout_seed=heldout_seed,
        goldset_options=dict(goldset_options or {}),
        objectives=tuple(objectives) if len(objectives) > 1 else (),
        prune=prune,
        sampler=sampler,
    )
    scorer = make_scorer(config)  # unknown or malformed gold sets fail here
    _preflight(corpus_path, scorer, space, sample.min_count)
    warm = None
    if warm_start is not None:
        from ._warmstart import read_warm_start

        warm = read_warm_start(
            warm_start, space, best=warm_start_best
        )  # a broken source fails before the study

    from ._worker import finished, open_study, running, work

    opened = open_study(config, scorer=scorer)
    if price_per_hour is not None:
        opened.set_user_attr("w2veval:price_per_hour", price_per_hour)
    if warm_start is not None:
        from ._warmstart import enqueue_warm_start

        enqueue_warm_start(opened, warm_start, space, best=warm_start_best, say=_say, warm=warm)
    from ._liveness import fail_dead_trials

    fail_dead_trials(opened, say=_say)
    remaining = config.trials - finished(opened) - running(opened)
    bar = _Bar(config, finished(opened), progress)
    try:
        if remaining > 0:
            hash_seed = str(seed % 2**32)
            in_process = jobs == 1 and (not deterministic or os.environ.get("PYTHONHASHSEED") == hash_seed)
            if in_process:
                work(config, n_trials=remaining, study=opened, scorer=scorer, on_trial=bar.update, say=_say)
            else:
                _run_processes(config, jobs, remaining, bar, opened)
    finally:
        bar.close()
    return study_table(opened)


def _say(message: str) -> None:
    print(f"w2veval: {message}", file=sys.stderr, flush=True)


def _preflight(corpus: str, scorer: Scorer | MultiScorer, space: SearchSpace, fixed_min_count: int) -> None:
    """Refuse a corpus and space under which no trial can be scored; warn (one line) when
    part of the space leaves too few pairs to rank a trial (see :mod:`._preflight`)."""
    import warnings

    from ._preflight import WordPairSet, preflight

    # Pairs only: a task's or a categorization's coverage is reported per trial, not foreseen here.
    pairs = [g for g in scorer.tune if isinstance(g, WordPairSet)]
    if not pairs:
        return
    message = preflight(corpus, pairs, space, fixed_min_count)
    if message is not None:
        warnings.warn(message, UserWarning, stacklevel=3)


class _Bar:
    """A tqdm bar of finished trials, with the best objective so far among the trials that may rank."""

    def __init__(self, config: TuneConfig, start: int, enabled: bool):
        self.total = config.trials
        self.bar: tqdm | None = None
        if enabled:
            from tqdm.auto import tqdm

            self.bar = tqdm(
                total=config.trials,
                initial=min(start, config.trials),
                unit="trial",
                desc=f"tuning {config.study}"[:40],
                file=sys.stderr,
                dynamic_ncols=True,
            )

    def update(self, study: optuna.Study) -> None:
        """Move the bar to the study's finished trials, with the best objective so far."""
        if self.bar is None:
            return
        from ._worker import finished

        done = min(finished(study), self.total)
        if done > self.bar.n:
            self.bar.update(done - self.bar.n)
            from ._results import best_trial, study_table

            if len(study.directions) > 1:
                self.bar.set_postfix(pareto=int(study_table(study)["pareto_optimal"].sum()))
                return
            best = best_trial(study)  # never one whose objective stands on too few pairs
            self.bar.set_postfix(best=f"{best.value:.4f}" if best is not None else "none rankable")

    def close(self) -> None:
        """Close the bar, if there is one."""
        if self.bar is not None:
            self.bar.close()


def _run_processes(config: TuneConfig, jobs: int, remaining: int, bar: _Bar, study: optuna.Study) -> None:
    """``jobs`` worker processes sharing ``remaining`` trials; the bar follows the storage."""
    env = dict(os.environ)
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[name] = str(config.threads)  # the CPU budget holds for numpy's BLAS too
    if config.deterministic:
        env["PYTHONHASHSEED"] = str(config.seed % 2**32)
    shares = [remaining // jobs + (i < remaining % jobs) for i in range(jobs)]
    workers: list[subprocess.Popen[str]] = []
    try:
        for i, share in enumerate(shares):
            if share == 0:
                continue
            proc = subprocess.Popen(
                [sys.executable, "-m", "w2veval.tune._worker"],
                stdin=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
                text=True,
            )
            assert proc.stdin is not None  # started with stdin=PIPE
            proc.stdin.write(json.dumps({"config": config.to_dict(), "n_trials": share, "worker": i}))
            proc.stdin.close()
            workers.append(proc)
        _wait(workers, bar, study)
    finally:
        for proc in workers:
            if proc.poll() is None:
                proc.terminate()
                proc.wait()


def _wait(workers: list[subprocess.Popen[str]], bar: _Bar, study: optuna.Study) -> None:
    import threading

    errors: dict[int, list[str]] = {}

    def drain(proc: subprocess.Popen[str]) -> None:  # read in full: a chatty worker never blocks
        lines = errors.setdefault(proc.pid, [])
        assert proc.stderr is not None  # started with stderr=PIPE
        for line in proc.stderr:
            line = line.rstrip("\n")
            lines.append(line)
            if not line.startswith("w2veval: error:"):
                print(line, file=sys.stderr, flush=True)

    readers = [threading.Thread(target=drain, args=(p,), daemon=True) for p in workers]
    for reader in readers:
        reader.start()
    while any(p.poll() is None for p in workers):
        bar.update(study)
        failed = [p for p in workers if p.poll() not in (None, 0)]
        if failed:
            break
        time.sleep(_POLL_SECONDS)
    for proc in workers:
        if proc.poll() not in (None, 0):
            for other in workers:
                if other.poll() is None:
                    other.terminate()
            for reader in readers:
                reader.join(timeout=5)
            said = [line for line in errors.get(proc.pid, []) if line.startswith("w2veval: error:")]
            reason = (
                said[-1].split("error:", 1)[1].strip()
                if said
                else (errors.get(proc.pid) or [f"exit status {proc.returncode}"])[-1]
            )
            raise TuneError(f"a worker process stopped: {reason}")
    for reader in readers:
        reader.join(timeout=5)
    bar.update(study)
