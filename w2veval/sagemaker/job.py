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
``input/data/tasks/``
    Optional labelled text files (downstream tasks) at its top, usable in the objective
    by file stem (``0.5*tickets+0.5*ws353-sim`` for ``tickets.tsv``, read as ``task:``
    files). Catalogued task files found anywhere in it (by sha256, e.g.
    ``mr-polarity/rt-polarity.pos``) are installed into the cache when the objective
    names a catalogued task that is not installed yet; a catalogued name always means
    the catalogued set.
``input/config/resourceconfig.json``
    With several hosts, only the leader (the first of ``hosts``) trains and reports;
    the others exit 0 at once, saying why on stderr.
``model/``
    ``vectors.txt`` (word2vec text), ``vectors.bin`` (fastText binary, training mode)
    and ``eval.json`` (when ``evaluation``). They are written into a staging folder
    and moved into ``model/`` only when the job succeeds: a failure leaves nothing there.
``output/failure``
    One line saying why the job failed; the exit status is then non-zero.

The corpus is checked as it is read (:mod:`._corpus`): compressed files are read
decompressed, UTF-16/32 with a byte-order mark decoded, and more than 0.1% invalid
UTF-8 lines fail the job before training.

SIGTERM (what ``StopTrainingJob`` and the job's time limit send; SIGKILL follows
after a grace period) stops the job at once: the failure file says what it was
doing, the staging folder is removed, and the exit status is 143. As the
container's PID 1, the process would otherwise ignore SIGTERM.

Metrics are printed for the tuner as ``#w2veval:<goldset>: <value>`` lines, then
``#w2veval:objective: <value>``, and ``#mean_rho: <value>`` as BlazingText does;
with ``epoch_metrics`` the objective's lines after every epoch too, the final lines
last. A NaN value is never printed; a NaN objective fails the job.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import signal
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

__all__ = ["JobError", "main", "run"]

DEFAULT_ROOT = "/opt/ml"
ROOT_VARIABLE = "W2VEVAL_ML_ROOT"
WORKERS_VARIABLE = "W2VEVAL_WORKERS"

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


def _say(message: str) -> None:
    print(f"w2veval: {message}", file=sys.stderr, flush=True)


def _custom_goldsets(folder: Path) -> dict[str, Path]:
    """``{file stem: path}`` for the files of the goldsets channel."""
    if not folder.is_dir():
        return {}
    found: dict[str, Path] = {}
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        if path.stem in found:
            raise JobError(
                f"two files in the goldsets channel share the name {path.stem!r} "
                f"({found[path.stem].name}, {path.name}); rename one"
            )
        found[path.stem] = path
    return found


def _task_files(folder: Path, custom: dict[str, Path]) -> dict[str, str]:
    """``{stem: "task:PATH"}`` for the files at the top of the tasks channel (sub-folders hold
    catalogued task files, installed by :func:`_install_catalogued_tasks`; a catalogued name
    always means the catalogued set)."""
    from .. import goldsets

    if not folder.is_dir():
        return {}
    found: dict[str, Path] = {}
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        stem = path.stem
        if stem in goldsets.catalog():
            continue
        if stem in found or stem in custom:
            other = found.get(stem) or custom[stem]
            raise JobError(
                f"two files in the tasks and goldsets channels share the name {stem!r} "
                f"({other.name}, {path.name}); rename one"
            )
        found[stem] = path
    return {stem: "task:" + os.fspath(path) for stem, path in found.items()}


def _install_catalogued_tasks(objective, folder: Path) -> None:
    """Install, from the tasks channel, the catalogued sets the objective names that are not installed."""
    from .. import goldsets

    wanted = [
        t.goldset
        for t in objective.terms
        if t.goldset in goldsets.catalog() and not goldsets.is_installed(t.goldset)
    ]
    if wanted and folder.is_dir():
        report = goldsets.import_dir(folder)
        found = [name for name in wanted if name in report.complete]
        if found:
            _say(f"installed {', '.join(found)} from the tasks channel ({len(report.installed)} files)")


def _objective(spec: str, custom: dict[str, Path], tasks: dict[str, str] | None = None):
    """The parsed objective with custom gold-set and task names replaced by their files,
    and the metric name of each term, in order."""
    from dataclasses import replace

    from ..objective import Objective, Term

    objective = Objective.parse(spec)
    labels = [t.goldset for t in objective.terms]
    files = {**{k: os.fspath(v) for k, v in custom.items()}, **(tasks or {})}
    if any(t.goldset in files for t in objective.terms):
        terms = tuple(Term(t.weight, files.get(t.goldset, t.goldset)) for t in objective.terms)
        objective = replace(objective, terms=terms, name=objective.name)  # keeps each kind's metric
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


def _leader_check(root: Path) -> str | None:
    """Why this host does not train (it is not the leader), or ``None`` when it does.

    Raises
    ------
    JobError
        ``resourceconfig.json`` is unreadable or does not name this host among ``hosts``.
    """
    path = root / "input" / "config" / "resourceconfig.json"
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None  # one host, or not run by SageMaker
    except (OSError, ValueError) as exc:
        raise JobError(f"cannot read {path}: {exc}") from None
    hosts = config.get("hosts") if isinstance(config, dict) else None
    current = config.get("current_host") if isinstance(config, dict) else None
    if (
        not isinstance(hosts, list)
        or not hosts
        or not all(isinstance(h, str) for h in hosts)
        or current not in hosts
    ):
        raise JobError(
            f"{path} must name current_host among a non-empty list of hosts; "
            f"got current_host={current!r}, hosts={hosts!r}"
        )
    if current == hosts[0]:
        return None
    return (
        f"host {current} is not the leader: with {len(hosts)} hosts only the first in "
        f"resourceconfig.json ({hosts[0]}) trains and reports metrics; this host exits "
        "without training (use instance_count=1: gensim trains on one machine)"
    )


def _workers() -> int | None:
    """Worker threads from ``W2VEVAL_WORKERS`` (``1`` for repeatable runs), else every CPU."""
    text = os.environ.get(WORKERS_VARIABLE, "").strip()
    if not text:
        return None
    try:
        workers = int(text)
    except ValueError:
        workers = 0
    if workers < 1:
        raise JobError(f"{WORKERS_VARIABLE}={text!r} must be a positive integer (worker threads)")
    return workers


class _Staging:
    """Artifacts written into ``model/.w2veval-staging-<pid>/`` and moved into ``model/``
    by :meth:`commit`; leaving the block without a commit (any failure, SIGTERM)
    removes the folder, whatever this run moved, and ``model/`` itself when this run
    made it (outside SageMaker, which always provides it)."""

    def __init__(self, model_dir: Path):
        self.model_dir = model_dir
        self.path = model_dir / f".w2veval-staging-{os.getpid()}"
        self.moved: list[Path] = []
        self.made_model_dir = False
        self.committed = False

    def __enter__(self):
        self.made_model_dir = not self.model_dir.exists()
        self.path.mkdir(parents=True, exist_ok=True)
        return self

    def commit(self) -> None:
        for item in sorted(self.path.iterdir()):
            target = self.model_dir / item.name
            os.replace(item, target)
            self.moved.append(target)
        self.moved = []  # committed: nothing to take back
        self.committed = True

    def __exit__(self, kind, value, traceback):
        import shutil

        for target in self.moved:  # a failure in the middle of commit()
            target.unlink(missing_ok=True)
        shutil.rmtree(self.path, ignore_errors=True)
        if self.made_model_dir and not self.committed:
            try:
                self.model_dir.rmdir()  # only if empty: never remove what others wrote
            except OSError:
                pass
        return False


def _score(objective, labels, vectors) -> tuple[dict, float, list[str]]:
    """``({label: score}, objective value, warnings)`` of the objective on ``vectors``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scored = objective.evaluate(vectors)
    scores = {
        label: _number(row.get(objective.metric_for(row.get("kind")), math.nan))
        for label, row in zip(labels, scored.rows, strict=True)
    }
    return scores, float(scored.value), [" ".join(str(w.message).split()) for w in caught]


def _number(value) -> float:
    return math.nan if value is None else float(value)


def _epoch_reporter(objective, labels, out):
    """``on_epoch(epoch, wv)`` printing the objective's metric lines for the vectors as they are."""
    from ..io import load_vectors
    from ._metrics import emit_metrics

    def report(epoch: int, wv) -> None:  # part of "training", for a SIGTERM's failure reason
        scores, value, _ = _score(objective, labels, load_vectors(wv))
        _say(f"epoch {epoch}: objective {value:.6g}")
        emit_metrics(scores, value, mean_rho=value if objective.name == "mean_rho" else None, file=out)

    return report


def run(root: str | os.PathLike[str], *, out: TextIO | None = None) -> dict[str, Any]:
    """Run the job under ``root``; returns ``{"objective", "value", "scores", "mean_rho"}``
    (``{"skipped": reason}`` on a host that is not the leader). The metric lines go to ``out``
    (standard output when None), where the tuner reads them.

    Raises :class:`w2veval.errors.W2VEvalError` (or ``ValueError`` / ``OSError``) with a
    one-line reason on unusable input, and :class:`JobError` when the objective is NaN.
    """
    from ..io import load_vectors
    from ._hyperparameters import read_hyperparameters
    from ._metrics import emit_metrics
    from ._train import Corpus, atomic_path, train_model, write_vectors

    out = sys.stdout if out is None else out
    root = Path(root)
    _enter("reading its input")
    skipped = _leader_check(root)
    if skipped:
        _say(skipped)
        return {"skipped": skipped}
    data = root / "input" / "data"
    model_dir = root / "model"
    model_channel, train_channel = data / "model", data / "train"
    scoring = model_channel.is_dir()
    hp = read_hyperparameters(root / "input" / "config" / "hyperparameters.json", require_mode=not scoring)
    custom = _custom_goldsets(data / "goldsets")
    tasks = _task_files(data / "tasks", custom)
    objective, labels = _objective(hp.objective, custom, tasks)
    _install_catalogued_tasks(objective, data / "tasks")
    _check_goldsets(objective, hp.evaluation)  # fail before a long training run, not after
    workers = _workers()
    if not scoring and not train_channel.is_dir():
        raise JobError(f"no input channel: give {train_channel} (training) or {model_channel} (scoring)")

    result: dict = {"objective": objective.name, "mean_rho": None}
    with _Staging(model_dir) as staging:
        if scoring:
            _say(f"scoring mode: {model_channel}")
            _enter("loading the model")
            vectors = load_vectors(_model_source(model_channel))
        else:
            _say(f"training mode: {hp.mode} on {train_channel}")
            _enter("training")
            on_epoch = _epoch_reporter(objective, labels, out) if hp.epoch_metrics else None
            model = train_model(Corpus(train_channel), hp, workers=workers, log=_say, on_epoch=on_epoch)
            _enter("writing the vectors")
            write_vectors(model, staging.path)
            vectors = load_vectors(model.wv)  # in memory: what vectors.bin holds, as float32

        _enter("scoring")
        if hp.evaluation:
            from ..scoring import blazingtext_evaluation

            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                evaluation = blazingtext_evaluation(vectors)
            for warning in caught:
                _say(" ".join(str(warning.message).split()))
            with atomic_path(staging.path / "eval.json") as part, open(part, "w", encoding="utf-8") as fh:
                json.dump(_json_floats(evaluation), fh, indent=2)
            result["mean_rho"] = float(evaluation["mean_rho"])
        scores, value, notes = _score(objective, labels, vectors)
        for note in notes:  # NaN scores say why, one line each
            _say(note)
        result.update(value=value, scores=scores)
        if math.isnan(value):
            why = [note for note in notes if "NaN" in note] or notes
            raise JobError(
                f"the objective {objective.name!r} is NaN (undefined: "
                f"{'; '.join(why) or 'a gold set has no defined score'}); no metric "
                "is reported for it and no artifact is kept"
            )
        _enter("moving the artifacts into place")
        staging.commit()
    if result["mean_rho"] is None and objective.name == "mean_rho":
        result["mean_rho"] = result["value"]  # the tuner's train:mean_rho must still find its line
    emit_metrics(scores, value, mean_rho=result["mean_rho"], file=out)
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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the job with the command line ``argv`` (``sys.argv`` when None); the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m w2veval.sagemaker.job",
        description="SageMaker training job: train and/or score word vectors.",
    )
    parser.add_argument("command", choices=["train"], help="SageMaker runs the container with 'train'")
    parser.add_argument(
        "--ml-root", default=None, help=f"the container root (default ${ROOT_VARIABLE} or {DEFAULT_ROOT})"
    )
    args = parser.parse_args(argv)
    root = Path(args.ml_root or os.environ.get(ROOT_VARIABLE) or DEFAULT_ROOT)
    try:
        previous, installed = signal.signal(signal.SIGTERM, _on_sigterm), True
    except ValueError:  # main() called from another thread: the caller owns signals
        previous, installed = None, False
    try:
        run(root)
    except _Terminated:
        reason = (
            f"stopped by SIGTERM while {_stage[0]} (StopTrainingJob, or the job's time limit "
            "reached); the job did not finish and wrote no partial artifacts"
        )
        _write_failure(root, reason)
        _say(f"error: {reason}")
        return 128 + signal.SIGTERM
    except (W2VEvalError, ValueError, OSError, RuntimeError, KeyError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
        reason = " ".join(f"{message}".split()) or type(exc).__name__
        _write_failure(root, reason)
        _say(f"error: {reason}")
        return 2
    except Exception as exc:
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
