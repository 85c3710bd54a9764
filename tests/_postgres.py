"""A throwaway PostgreSQL server for the distributed-tuning tests.

initdb into a fresh temporary folder, listen on 127.0.0.1 only (a free port, a private
socket folder), trust authentication for local connections, one database. As root (CI) the
server runs as the ``postgres`` user through ``runuser``, as PostgreSQL refuses to run as
root. Without the binaries the caller skips locally and fails under ``CI``.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

__all__ = ["PostgresServer", "postgres_bin", "require_postgres"]


def postgres_bin() -> Path | None:
    """The newest installed PostgreSQL ``bin`` folder (Debian layout), or ``None``."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def require_postgres() -> Path:
    found = postgres_bin()
    if found is None:
        message = (
            "PostgreSQL (initdb, postgres) is not installed; `make system-packages` "
            "installs Debian's postgresql"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """Start with :meth:`start`, stop with :meth:`stop`; ``url`` is the SQLAlchemy URL."""

    def __init__(self, bin_dir: Path, database: str = "w2veval"):
        self.bin = bin_dir
        self.database = database
        self.root = Path(tempfile.mkdtemp(prefix="w2veval-pg-"))
        self.data = self.root / "data"
        self.sockets = self.root / "sockets"
        self.port = _free_port()
        self.process = None
        self.as_root = os.geteuid() == 0

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{self.database}"

    def _command(self, *args) -> list[str]:
        return (["runuser", "-u", "postgres", "--"] if self.as_root else []) + [str(a) for a in args]

    def start(self, timeout: float = 60) -> PostgresServer:
        self.sockets.mkdir()
        if self.as_root:
            shutil.chown(self.root, "postgres")
            shutil.chown(self.sockets, "postgres")
        subprocess.run(
            self._command(
                self.bin / "initdb",
                "-D",
                self.data,
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-sync",
            ),
            check=True,
            capture_output=True,
            timeout=120,
        )
        self.log = open(self.root / "server.log", "wb")
        self.process = subprocess.Popen(
            self._command(
                self.bin / "postgres",
                "-D",
                self.data,
                "-p",
                self.port,
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                f"unix_socket_directories={self.sockets}",
                "-c",
                "fsync=off",
                "-c",
                "max_connections=50",
            ),
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        import psycopg2

        while True:
            try:
                connection = psycopg2.connect(
                    host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", connect_timeout=2
                )
                break
            except psycopg2.OperationalError as error:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(
                        "PostgreSQL did not start: "
                        + (self.root / "server.log").read_text(errors="replace")[-2000:]
                    ) from error
                time.sleep(0.2)
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{self.database}"')
        connection.close()
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            # SIGINT to the postmaster (its pid heads postmaster.pid) is PostgreSQL's fast shutdown.
            try:
                pid = int((self.data / "postmaster.pid").read_text().split()[0])
                os.kill(pid, signal.SIGINT)
            except (OSError, ValueError, IndexError):
                self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, "log", None):
            self.log.close()
        shutil.rmtree(self.root, ignore_errors=True)
