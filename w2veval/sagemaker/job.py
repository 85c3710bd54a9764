"""The SageMaker training-job entry point: ``python -m w2veval.sagemaker.job train``.

Follows SageMaker's container contract under ``/opt/ml`` (``--ml-root DIR`` or
``W2VEVAL_ML_ROOT`` to move it):

``input/config/hyperparameters.json``
    BlazingText's hyperparameters as strings, plus ``objective`` (default ``mean_rho``).
``input/data/train/``
    Training mode: text files, one tokenised sentence per line. gensim trains
    Word2Vec (FastText when ``subwords`` is true).
``input/data/model/``
    Scoring mode (takes precedence): a BlazingText ``model.tar.gz`` or its files; no training.
``input/data/goldsets/``
    Optional custom gold-set files, usable in the objective by file stem.
``model/``
    ``vectors.txt``, ``vectors.bin`` (training mode) and ``eval.json`` (when ``evaluation``).
``output/failure``
    One line saying why the job failed; the exit status is then non-zero.

SIGTERM (what ``StopTrainingJob`` and the job's time limit send; SIGKILL follows
after a grace period) stops the job at once: the failure file says what it was
doing, no artifact is left half-written (each is renamed into place when complete),
and the exit status is 143. As the container's PID 1, the process would otherwise
ignore SIGTERM.

Metrics are printed for the tuner as ``#w2veval:<goldset>: <value>`` lines, then
``#w2veval:objective: <value>``, and ``#mean_rho: <value>`` as BlazingText does.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import signal
import sys
import warnings
from pathlib import Path

__all__ = ["main", "run", "JobError"]

DEFAULT_ROOT = "/opt/ml"
ROOT_VARIABLE = "W2VEVAL_ML_ROOT"

from ..errors import W2VEvalError  # noqa: E402


class JobError(W2VEvalError, ValueError):
    """The job's input is unusable (missing channel, bad objective, ...)."""


class _Terminated(BaseException):
    """SIGTERM arrived; a BaseException so that no ``except Exception`` on the way swallows it."""


_stage = ["starting"]  # what the job is doing, for the failure reason after SIGTERM


def _enter(stage: str) -> None:
    _stage[0] = stage


def _on_sigterm(signum, frame):
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM must not cut the clean-up short
    raise _Terminated


def _format_value(value) -> str:
    value = float(value)
    return "nan" if math.isnan(value) else repr(value)


def _emit(values: dict, objective_value, file) -> None:
    try:
        from ._metrics import emit_metrics
    except Exception:  # the shared module is optional here; the format is the contract
        emit_metrics = None
    if emit_metrics is not None:
        emit_metrics(values, objective_value, file=file)
        return
    for goldset, value in values.items():
        print(f"#w2veval:{goldset}: {_format_value(value)}", file=file, flush=True)
    print(f"#w2veval:objective: {_format_value(objective_value)}", file=file, flush=True)


def _say(message: str) -> None:
    print(f"w2veval: {message}", file=sys.stderr, flush=True)


def _custom_goldsets(folder: Path) -> dict[str, Path]:
    """``{file stem: path}`` for the files of the goldsets channel."""
    if not folder.is_dir():
        return {}
    found: dict[str, Path] = {}
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        if path.stem in found:
            raise JobError(f"two files in the goldsets channel share the name {path.stem!r} "
                           f"({found[path.stem].name}, {path.name}); rename one")
        found[path.stem] = path
    return found


def _objective(spec: str, custom: dict[str, Path]):
    """The parsed objective with custom gold-set names replaced by their files,
    and the metric name of each term, in order."""
    from ..objective import Objective, Term

    objective = Objective.parse(spec)
    labels = [t.goldset for t in objective.terms]
    if any(t.goldset in custom for t in objective.terms):
        terms = tuple(Term(t.weight, os.fspath(custom[t.goldset]) if t.goldset in custom else t.goldset)
                      for t in objective.terms)
        objective = Objective(terms=terms, oov=objective.oov, metric=objective.metric,
                              name=objective.name)
    return objective, labels


def _check_goldsets(objective, evaluation: bool) -> None:
    """Raise now if a gold set the job will score on is unknown, unreadable or not installed."""
    from .. import goldsets

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for term in objective.terms:
            goldsets.resolve(term.goldset)
    if evaluation:
        goldsets.mean_rho_files()


def _model_source(channel: Path) -> Path:
    """What to load from the model channel: a tar archive in it, else the folder."""
    archives = sorted(p for p in channel.iterdir() if p.name.endswith((".tar.gz", ".tgz", ".tar")))
    if archives:
        return archives[0]
    if not any(channel.iterdir()):
        raise JobError(f"the model channel {channel} is empty; give it a model.tar.gz or vectors.txt")
    return channel


def run(root: str | os.PathLike, *, out=None) -> dict:
    """Run the job under ``root``; returns ``{"objective", "value", "scores", "mean_rho"}``.

    Raises :class:`w2veval.errors.W2VEvalError` (or ``ValueError`` / ``OSError``) with a
    one-line reason on unusable input.
    """
    from ..io import load_vectors
    from ._hyperparameters import read_hyperparameters
    from ._train import Corpus, atomic_path, train_vectors, write_vectors

    out = sys.stdout if out is None else out
    root = Path(root)
    data = root / "input" / "data"
    model_dir = root / "model"
    model_channel, train_channel = data / "model", data / "train"
    scoring = model_channel.is_dir()
    _enter("reading its input")
    hp = read_hyperparameters(root / "input" / "config" / "hyperparameters.json",
                              require_mode=not scoring)
    custom = _custom_goldsets(data / "goldsets")
    objective, labels = _objective(hp.objective, custom)
    _check_goldsets(objective, hp.evaluation)  # fail before a long training run, not after

    if scoring:
        _say(f"scoring mode: {model_channel}")
        _enter("loading the model")
        vectors = load_vectors(_model_source(model_channel))
    elif train_channel.is_dir():
        _say(f"training mode: {hp.mode} on {train_channel}")
        _enter("training")
        wv = train_vectors(Corpus(train_channel), hp, log=_say)
        _enter("writing the vectors")
        paths = write_vectors(wv, model_dir)
        _enter("loading the written vectors")
        vectors = load_vectors(paths["text"])
    else:
        raise JobError(f"no input channel: give {train_channel} (training) or {model_channel} (scoring)")

    result: dict = {"objective": objective.name, "mean_rho": None}
    _enter("scoring")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if hp.evaluation:
            from ..scoring import blazingtext_evaluation

            evaluation = blazingtext_evaluation(vectors)
            model_dir.mkdir(parents=True, exist_ok=True)
            with atomic_path(model_dir / "eval.json") as part, open(part, "w", encoding="utf-8") as fh:
                json.dump(_json_floats(evaluation), fh, indent=2)
            result["mean_rho"] = evaluation["mean_rho"]
        scored = objective.evaluate(vectors)
    for warning in caught:  # NaN scores say why, one line each
        _say(" ".join(str(warning.message).split()))

    scores = {label: float(row.get(objective.metric, math.nan)) for label, row in zip(labels, scored.rows)}
    result.update(value=float(scored.value), scores=scores)
    _emit(scores, scored.value, out)
    if result["mean_rho"] is None and objective.name == "mean_rho":
        result["mean_rho"] = result["value"]  # the tuner's train:mean_rho must still find its line
    if result["mean_rho"] is not None:
        print(f"#mean_rho: {_format_value(result['mean_rho'])}", file=out, flush=True)
    return result


def _json_floats(value):
    """NaN as ``null``: eval.json must stay strict JSON."""
    if isinstance(value, dict):
        return {k: _json_floats(v) for k, v in value.items()}
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _write_failure(root: Path, reason: str) -> None:
    try:
        (root / "output").mkdir(parents=True, exist_ok=True)
        (root / "output" / "failure").write_text(reason + "\n", encoding="utf-8")
    except OSError:
        pass  # the reason still goes to stderr


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m w2veval.sagemaker.job",
                                     description="SageMaker training job: train and/or score word vectors.")
    parser.add_argument("command", choices=["train"], help="SageMaker runs the container with 'train'")
    parser.add_argument("--ml-root", default=None,
                        help=f"the container root (default ${ROOT_VARIABLE} or {DEFAULT_ROOT})")
    args = parser.parse_args(argv)
    root = Path(args.ml_root or os.environ.get(ROOT_VARIABLE) or DEFAULT_ROOT)
    try:
        previous, installed = signal.signal(signal.SIGTERM, _on_sigterm), True
    except ValueError:  # main() called from another thread: the caller owns signals
        previous, installed = None, False
    try:
        run(root)
    except _Terminated:
        reason = (f"stopped by SIGTERM while {_stage[0]} (StopTrainingJob, or the job's time limit "
                  "reached); the job did not finish and wrote no partial artifacts")
        _write_failure(root, reason)
        _say(f"error: {reason}")
        return 128 + signal.SIGTERM
    except (W2VEvalError, ValueError, OSError, RuntimeError, KeyError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
        reason = " ".join(f"{message}".split()) or type(exc).__name__
        _write_failure(root, reason)
        _say(f"error: {reason}")
        return 2
    except Exception as exc:  # noqa: BLE001 - SageMaker shows the failure file, not the traceback
        reason = " ".join(f"{type(exc).__name__}: {exc}".split())
        _write_failure(root, reason)
        _say(f"internal error: {reason}")
        return 1
    finally:
        if installed:
            signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)
    return 0


if __name__ == "__main__":
    sys.exit(main())
