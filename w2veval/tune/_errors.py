"""The errors local tuning raises, and the one place optuna is imported from."""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from types import ModuleType

from ..errors import MissingDependencyError, W2VEvalError

__all__ = ["StorageError", "StudyNotFoundError", "TuneError", "import_optuna", "quiet_optuna"]


class TuneError(W2VEvalError, ValueError):
    """A tuning run that cannot start: bad storage URL, CPU budget, search space, study mismatch."""


class StudyNotFoundError(W2VEvalError, KeyError):
    """A study name that the storage does not hold."""

    __str__ = W2VEvalError.__str__  # KeyError would quote the message


class StorageError(W2VEvalError, OSError):
    """A storage that cannot be opened or reached (missing file, database down)."""


def import_optuna() -> ModuleType:
    """``optuna``, or a message naming the extra to install."""
    try:
        import optuna
    except ImportError:
        raise MissingDependencyError("optuna", "tune", "local tuning (w2veval.tune)") from None
    return optuna


@contextlib.contextmanager
def quiet_optuna() -> Iterator[ModuleType]:
    """Optuna's INFO log lines and experimental-feature warnings off, then restored:
    w2veval says itself what happened (a progress bar, failed trials on stderr)."""
    optuna = import_optuna()
    verbosity = optuna.logging.get_verbosity()
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
            yield optuna
    finally:
        optuna.logging.set_verbosity(verbosity)
