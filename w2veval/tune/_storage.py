"""Where a study lives: an SQLite file, a journal file, or a database server.

============================  ===================================  =====================================
URL                           Optuna storage                       use it for
============================  ===================================  =====================================
``sqlite:///study.db``        ``RDBStorage`` (one file)            one process (the default)
``journal:///path/file.log``  ``JournalStorage`` +                 several processes on one machine
                              ``JournalFileBackend``
``postgresql://user@host/db`` ``RDBStorage`` (server)              many processes on many machines
============================  ===================================  =====================================

RDB storages (SQLite, PostgreSQL, MySQL) get Optuna's heartbeat, so that a trial whose
worker vanished is failed by the other workers once its heartbeat is stale; on the
worker's own machine w2veval fails it at once (see :mod:`w2veval.tune._liveness`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import option
from ._errors import StorageError, StudyNotFoundError, TuneError, import_optuna, quiet_optuna

if TYPE_CHECKING:
    import optuna

__all__ = [
    "DEFAULT_STORAGE",
    "GRACE_PERIOD",
    "HEARTBEAT_INTERVAL",
    "describe",
    "open_storage",
    "storage_kind",
]

DEFAULT_STORAGE = "sqlite:///w2veval-tune.db"
"""An SQLite file ``w2veval-tune.db`` in the current folder."""
HEARTBEAT_INTERVAL = 5
"""Seconds between two heartbeats of a running trial (RDB storages)."""
GRACE_PERIOD = 30
"""Seconds without a heartbeat after which another worker fails a running trial."""

_RDB_SCHEMES = ("sqlite", "postgresql", "postgres", "mysql")
_JOURNAL = "journal://"


def storage_kind(url: str) -> str:
    """``"sqlite"``, ``"journal"`` or ``"server"`` (PostgreSQL, MySQL).

    Examples
    --------
    >>> storage_kind("sqlite:///tune.db"), storage_kind("journal:///tmp/t.log")
    ('sqlite', 'journal')
    >>> storage_kind("postgresql+psycopg2://me@127.0.0.1:5432/tune")
    'server'
    """
    if not isinstance(url, str) or not url.strip():
        raise TuneError(f"a storage is a URL such as {DEFAULT_STORAGE}, got {url!r}")
    if url.startswith(_JOURNAL):
        if not url[len(_JOURNAL) :]:
            raise TuneError(f"the journal storage {url!r} names no file; write journal:///path/file.log")
        return "journal"
    scheme = url.split("://", 1)[0].split("+", 1)[0].lower() if "://" in url else ""
    if scheme not in _RDB_SCHEMES:
        raise TuneError(
            f"unknown storage {url!r}: use sqlite:///FILE.db (one process), "
            "journal:///PATH/FILE.log (several processes on one machine) or "
            "postgresql://USER@HOST:PORT/DB (many machines)"
        )
    return "sqlite" if scheme == "sqlite" else "server"


def journal_path(url: str) -> Path:
    """The file of a ``journal://`` URL: ``journal:///abs/f.log`` or ``journal://rel/f.log``."""
    return Path(url[len(_JOURNAL) :])


def sqlite_path(url: str) -> Path | None:
    """The file of an ``sqlite:///`` URL (``None`` for an in-memory database)."""
    rest = url.split("://", 1)[1]
    rest = rest[1:] if rest.startswith("/") else rest
    rest = rest.split("?", 1)[0]
    return None if rest in ("", ":memory:") else Path(rest)


def describe(url: str) -> str:
    """The URL without a password, for messages."""
    if "://" in url and "@" in url.split("://", 1)[1].split("/", 1)[0]:
        scheme, rest = url.split("://", 1)
        credentials, host = rest.split("@", 1)
        user = credentials.split(":", 1)[0]
        return f"{scheme}://{user}@{host}" if ":" in credentials else url
    return url


def open_storage(url: str, *, create: bool) -> optuna.storages.BaseStorage:
    """An Optuna storage for ``url``.

    With ``create=False`` (reading results) a storage file that does not exist is an
    error rather than a new empty file.
    """
    optuna = import_optuna()
    kind = storage_kind(url)
    if kind == "journal":
        path = journal_path(url)
        if not create and not path.is_file():
            raise StudyNotFoundError(
                f"no journal file here; give as {option('storage', ...)} the storage a tuning run wrote",
                path=path,
            )
        if create and not path.parent.is_dir():
            raise StorageError("the folder of the journal file does not exist", path=path)
        from optuna.storages.journal import JournalFileBackend, JournalStorage

        try:
            return JournalStorage(JournalFileBackend(os.fspath(path)))
        except OSError as exc:
            raise StorageError(f"cannot open the journal file: {exc.strerror or exc}", path=path) from None
    if kind == "sqlite":
        database = sqlite_path(url)
        if database is not None and not create and not database.is_file():
            raise StudyNotFoundError(
                f"no SQLite file here; give as {option('storage', ...)} the storage a tuning run wrote",
                path=database,
            )
        if database is not None and create and not database.absolute().parent.is_dir():
            raise StorageError("the folder of the SQLite file does not exist", path=database)
    with quiet_optuna():
        try:
            return optuna.storages.RDBStorage(
                _with_driver(url), heartbeat_interval=HEARTBEAT_INTERVAL, grace_period=GRACE_PERIOD
            )
        except ImportError as exc:
            raise StorageError(
                f"cannot open {describe(url)}: {exc}; for PostgreSQL install "
                "psycopg2-binary (pip install 'w2veval[tune]')"
            ) from None
        except Exception as exc:  # sqlalchemy's OperationalError and friends
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise StorageError(f"cannot open the storage {describe(url)}: {first}") from None


def _with_driver(url: str) -> str:
    """``postgresql://`` with the driver that is installed: SQLAlchemy 2.1 means psycopg 3
    by it, the ``tune`` extra installs psycopg2."""
    import importlib.util

    scheme, rest = url.split("://", 1)
    if scheme in ("postgresql", "postgres"):
        if importlib.util.find_spec("psycopg") is None and importlib.util.find_spec("psycopg2"):
            return f"postgresql+psycopg2://{rest}"
        return f"postgresql://{rest}"
    return url


def load_study(
    storage: optuna.storages.BaseStorage,
    url: str,
    name: str,
    *,
    sampler: optuna.samplers.BaseSampler | None = None,
) -> optuna.Study:
    """``optuna.load_study``, with an unknown name reported with the names that exist."""
    optuna = import_optuna()
    names = optuna.study.get_all_study_names(storage)
    if name not in names:
        import difflib

        close = difflib.get_close_matches(name, names, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise StudyNotFoundError(
            f"no study {name!r} in {describe(url)}; {hint}studies there: {', '.join(names) or 'none'}"
        )
    with quiet_optuna():
        return optuna.load_study(study_name=name, storage=storage, sampler=sampler)
