"""A worker: open (or create) the study, then run trials until the study has enough.

``python -m w2veval.tune._worker`` runs one worker process; it reads its task as JSON
on standard input (``{"config": TuneConfig.to_dict(), "n_trials": N, "worker": I}``),
prints nothing on success, and ``w2veval: error: ...`` with exit status 2 on failure.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..errors import W2VEvalError, option
from ._errors import TuneError, import_optuna, quiet_optuna
from ._liveness import fail_dead_trials, worker_attrs
from ._space import distributions
from ._storage import describe, open_storage
from ._trial import Pruned, TuneConfig, make_scorer, run_trial

if TYPE_CHECKING:
    import optuna

    from ._multi import MultiScorer
    from ._trial import Scorer

__all__ = ["FINISHED_STATES", "finished", "main", "open_study", "running", "work"]

FINISHED_STATES = ("COMPLETE", "PRUNED", "FAIL")
"""Trial states that count towards ``trials``: a failed trial was a trial too."""


def _states(names: Iterable[str]) -> tuple[optuna.trial.TrialState, ...]:
    optuna = import_optuna()
    return tuple(optuna.trial.TrialState[name] for name in names)


def finished(study: optuna.Study) -> int:
    """The study's trials that count towards ``trials`` (:data:`FINISHED_STATES`)."""
    return len(study.get_trials(deepcopy=False, states=_states(FINISHED_STATES)))


def running(study: optuna.Study) -> int:
    """The study's running trials."""
    return len(study.get_trials(deepcopy=False, states=_states(("RUNNING",))))


def open_study(
    config: TuneConfig, *, worker: int = 0, scorer: Scorer | MultiScorer | None = None
) -> optuna.Study:
    """The study of ``config``, created if new; refuses a study made for other objectives,
    space, fixed hyperparameters, repeats, seed or held-out split."""
    import numpy as np

    from ._objectives import direction
    from ._samplers import make_pruner, make_sampler

    optuna = import_optuna()
    storage = open_storage(config.storage, create=True)
    directions = [direction(o) for o in config.objectives] if config.multi else ["maximize"]
    try:
        with quiet_optuna():
            study = optuna.create_study(
                storage=storage, study_name=config.study, directions=directions, load_if_exists=True
            )
    except Exception as exc:
        if isinstance(exc, W2VEvalError):
            raise
        raise TuneError(
            f"cannot open study {config.study!r} in {describe(config.storage)}: "
            f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
        ) from None
    found = [d.name.lower() for d in study.directions]
    if found != directions:
        raise TuneError(
            f"study {config.study!r} has the directions {', '.join(found)}, not "
            f"{', '.join(directions)}: it was made for other objectives. Choose another "
            f"study name ({option('study', ...)})"
        )
    wanted, attrs = config.study_attrs(), study.user_attrs
    if "w2veval:objective" not in attrs and study.get_trials(deepcopy=False):
        raise TuneError(
            f"study {config.study!r} in {describe(config.storage)} was not made by "
            f"w2veval; choose another study name ({option('study', ...)})"
        )
    for key, value in wanted.items():
        if key in attrs and attrs[key] != value:
            what = key.split(":", 1)[1]
            raise TuneError(
                f"study {config.study!r} was run with {what}={_short(attrs[key])}, "
                f"not {_short(value)}; resume it with the same settings or choose "
                f"another study name ({option('study', ...)})"
            )
    for key, value in wanted.items():
        if key not in attrs:
            study.set_user_attr(key, value)
    if "w2veval:hyperparameters" not in attrs:
        study.set_user_attr("w2veval:hyperparameters", list(config.space))
    if "w2veval:columns" not in attrs or "w2veval:metrics" not in attrs:
        scorer = scorer or make_scorer(config)
        if "w2veval:columns" not in attrs:
            study.set_user_attr("w2veval:columns", scorer.columns)
        study.set_user_attr("w2veval:metrics", scorer.metrics)
    # The sampler's random start-up differs per worker and per resumption (seeded by the
    # trials already there), so that two workers, or a resumed run, do not repeat the
    # first configurations; one worker from scratch is reproducible from config.seed.
    sequence = np.random.SeedSequence([config.seed % 2**32, worker, len(study.get_trials(deepcopy=False))])
    study.sampler = make_sampler(
        config.sampler,
        seed=int(sequence.generate_state(1)[0]),
        space=config.space,
        n_objectives=len(directions),
    )
    study.pruner = make_pruner(config.prune, n_objectives=len(directions))
    return study


def _short(value: object) -> str:
    if isinstance(value, dict) and "terms" in value:
        from ..objective import Objective

        return repr(Objective.from_dict(value).name)
    return json.dumps(value)


def _say(message: str) -> None:
    print(f"w2veval: {message}", file=sys.stderr, flush=True)


def _json_safe(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    return value


def _suggest(
    trial: optuna.Trial, dists: Mapping[str, optuna.distributions.BaseDistribution]
) -> dict[str, Any]:
    kinds = import_optuna().distributions
    params: dict[str, Any] = {}
    for name, d in dists.items():
        if isinstance(d, kinds.IntDistribution):
            params[name] = trial.suggest_int(name, d.low, d.high, log=d.log)
        elif isinstance(d, kinds.FloatDistribution):
            params[name] = trial.suggest_float(name, d.low, d.high, log=d.log)
        elif isinstance(d, kinds.CategoricalDistribution):
            params[name] = trial.suggest_categorical(name, d.choices)
        else:  # pragma: no cover - distributions() makes only these three
            raise TuneError(f"{name}: cannot suggest a value from {d!r}")
    return params


def work(
    config: TuneConfig,
    *,
    n_trials: int,
    worker: int = 0,
    study: optuna.Study | None = None,
    scorer: Scorer | MultiScorer | None = None,
    on_trial: Callable[[optuna.Study], None] | None = None,
    say: Callable[[str], None] = _say,
) -> None:
    """Run up to ``n_trials`` trials, stopping early once the study has ``config.trials``
    finished trials. ``on_trial(study)`` is called after each trial (progress)."""
    pruned_error = import_optuna().TrialPruned
    scorer = scorer or make_scorer(config)
    study = study or open_study(config, worker=worker, scorer=scorer)
    dists = distributions(config.space)
    fail_dead_trials(study, say=say)

    def objective(trial: optuna.Trial) -> float | list[float]:
        for key, value in worker_attrs().items():
            trial.set_user_attr(key, value)
        fail_dead_trials(study, current=trial.number, say=say)
        params = _suggest(trial, dists)

        def on_step(step: int, value: float, last: bool) -> bool:
            if math.isnan(value):
                return False  # an undefined score is not evidence against the trial
            trial.report(value, step)
            return not last and trial.should_prune()

        try:
            record = run_trial(config, scorer, params, on_step=on_step if config.prune != "none" else None)
        except Pruned as stop:
            for key, value in stop.record.items():
                trial.set_user_attr(key, _json_safe(value))
            raise pruned_error(str(stop)) from None
        except W2VEvalError as exc:
            for key, value in getattr(exc, "record", {}).items():
                trial.set_user_attr(key, _json_safe(value))
            trial.set_user_attr("w2veval:error", str(exc))
            say(f"trial {trial.number} failed: {exc}")
            raise
        for key, value in record.items():
            trial.set_user_attr(key, _json_safe(value))
        return record["values"] if config.multi else record["objective"]

    def after(study: optuna.Study, frozen: optuna.trial.FrozenTrial) -> None:
        if on_trial is not None:
            on_trial(study)
        if finished(study) >= config.trials:
            study.stop()

    if n_trials <= 0 or finished(study) >= config.trials:
        return
    import gensim.models  # noqa: F401  imported now, so that the first trial's costs are its own

    with quiet_optuna():
        study.optimize(objective, n_trials=n_trials, catch=(W2VEvalError,), callbacks=[after])


def main() -> int:
    try:
        task = json.load(sys.stdin)
        config = TuneConfig.from_dict(task["config"])
        work(config, n_trials=int(task["n_trials"]), worker=int(task.get("worker", 0)))
    except W2VEvalError as exc:
        _say("error: " + "; ".join(filter(None, str(exc).splitlines())))
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
