"""The exceptions w2veval raises.

Every error is a :class:`W2VEvalError`; each subclass also derives from the builtin
exception a Python user would catch for the same fault (``ValueError`` for malformed
content, ``OSError`` for I/O, ``KeyError`` for an unknown name), so existing
``except`` clauses keep working.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .goldsets._fetch import FetchReport

__all__ = [
    "ChecksumMismatchError",
    "DownloadError",
    "EvaluatorError",
    "GoldSetFormatError",
    "GoldSetNotFoundError",
    "MissingDependencyError",
    "OutputError",
    "OutputExistsError",
    "UntrustedPickleError",
    "VectorFormatError",
    "VectorSourceError",
    "W2VEvalError",
    "for_cli",
    "option",
    "speaking_to_cli",
    "spelled",
]


class W2VEvalError(Exception):
    """Base class of every error w2veval raises.

    Parameters
    ----------
    message : str
        What happened and, where it helps, what to do about it.
    path : str or os.PathLike, optional
        The file (or URL) at fault.
    line : int, optional
        The 1-based line (or record) number at fault within ``path``.
    """

    def __init__(
        self, message: str, *, path: str | os.PathLike[str] | None = None, line: int | None = None
    ) -> None:
        self.message = message
        self.path = None if path is None else str(path)
        self.line = line
        super().__init__(message)

    def __str__(self) -> str:
        where = self.path or ""
        if where and self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}" if where else self.message


class VectorFormatError(W2VEvalError, ValueError):
    """A vectors file whose content is not what its format requires."""


class VectorSourceError(W2VEvalError, OSError):
    """A vectors source that cannot be opened or read (missing file, S3 error)."""


class UntrustedPickleError(W2VEvalError, ValueError):
    """A pickle-based file (gensim ``.kv``/``.model``) loaded without ``trust=True``."""


class GoldSetFormatError(W2VEvalError, ValueError):
    """A gold-set file whose content cannot be read as word pairs with scores."""


class GoldSetNotFoundError(W2VEvalError, KeyError):
    """A gold-set name that is neither built in, catalogued nor an existing file."""

    __str__ = W2VEvalError.__str__  # KeyError would quote the message


class ChecksumMismatchError(W2VEvalError, OSError):
    """A file whose sha256 differs from the one the catalog records."""


class DownloadError(W2VEvalError, OSError):
    """Catalogued gold-set files that no candidate URL delivered.

    The message names each gold set and file, every URL tried and what arrived from
    it, and what to do. ``report`` holds the fetch report of the whole call (files
    that did download are installed).
    """

    def __init__(self, message: str, *, report: FetchReport | None = None) -> None:
        super().__init__(message)
        self.report = report


class EvaluatorError(W2VEvalError, TypeError):
    """An evaluator plug-in that is malformed or accepts none of the gold sets."""


class MissingDependencyError(W2VEvalError, ImportError):
    """An optional dependency that is needed for the call but not installed."""

    def __init__(self, package: str, extra: str, purpose: str) -> None:
        super().__init__(
            f"{purpose} needs the package '{package}', which is not installed; "
            f"install it with: pip install 'w2veval[{extra}]'"
        )


class OutputError(W2VEvalError, OSError):
    """An output file (or standard output) that cannot be written."""


class OutputExistsError(OutputError, FileExistsError):
    """An output file that already exists and may not be replaced."""


# Who reads the messages: a Python caller (keyword arguments) or the command line (options).
_AUDIENCE: contextvars.ContextVar[str] = contextvars.ContextVar("w2veval_audience", default="python")
_NO_VALUE = object()
#: (keyword, value) pairs whose command-line spelling is not ``--keyword-with-dashes VALUE``;
#: a keyword alone covers every value.
CLI_SPELLINGS: dict[tuple[str, object] | str, str] = {
    "format": "--vectors-format",  # --format is the output's format on the command line
    "test_size": "--heldout",
    "n_labels": "--labels",
    "k": "-k",
    "fixed": "--set",  # fixed={'mode': 'cbow'} is --set mode=cbow
    "max_workers": "--jobs",
}


@contextlib.contextmanager
def speaking_to_cli() -> Iterator[None]:
    """Within this block, :func:`option` spells options as command-line flags."""
    token = _AUDIENCE.set("cli")
    try:
        yield
    finally:
        _AUDIENCE.reset(token)


def for_cli() -> bool:
    """Whether messages are being written for the command line (see :func:`speaking_to_cli`).

    A message leaves out advice that only a Python caller can follow.

    Examples
    --------
    >>> for_cli()
    False
    >>> with speaking_to_cli():
    ...     for_cli()
    True
    """
    return _AUDIENCE.get() == "cli"


def option(name: str, value: object = _NO_VALUE) -> str:
    """How the reader of a message passes option ``name`` (with ``value``).

    Messages suggest fixes; a Python caller needs the keyword argument, a command-line
    user the flag. ``value=...`` stands for "some value".

    Examples
    --------
    >>> option("bad_scores", "drop"), option("encoding", ...), option("decimal_comma", True)
    ("bad_scores='drop'", 'encoding=...', 'decimal_comma=True')
    >>> with speaking_to_cli():
    ...     option("bad_scores", "drop"), option("encoding", ...), option("decimal_comma", True)
    ('--bad-scores drop', '--encoding ENCODING', '--decimal-comma')
    >>> with speaking_to_cli():
    ...     option("header", False), option("columns", (0, 1, 3)), option("format", "glove")
    ('--no-header', '--columns 0,1,3', '--vectors-format glove')
    >>> option("fixed", {"mode": "cbow"})
    "fixed={'mode': 'cbow'}"
    >>> with speaking_to_cli():
    ...     option("fixed", {"mode": "cbow"})
    '--set mode=cbow'
    """
    if _AUDIENCE.get() == "python":
        if value is _NO_VALUE:
            return name
        return f"{name}=..." if value is Ellipsis else f"{name}={value!r}"
    key = (name, value) if value is not _NO_VALUE and not isinstance(value, (list, dict)) else None
    if key is not None and key in CLI_SPELLINGS:
        return CLI_SPELLINGS[key]
    flag = CLI_SPELLINGS.get(name, "--" + name.replace("_", "-"))
    if value is _NO_VALUE or value is True:
        return flag
    if value is False:
        return flag.replace("--", "--no-", 1)
    if value is Ellipsis:
        return f"{flag} {name.upper()}"
    if isinstance(value, (list, tuple)):  # --columns 0,1,3
        return f"{flag} {','.join(map(str, value))}"
    if isinstance(value, dict):  # --set mode=cbow, once per item
        return " ".join(f"{flag} {k}={v}" for k, v in value.items())
    return f"{flag} {value}"


def spelled(cli: str, python: str) -> str:
    """``cli`` when messages speak to the command line, ``python`` otherwise.

    For advice that names a command or a function rather than one option, e.g.
    ``spelled("`w2veval goldsets fetch ws353`", "`w2veval.goldsets.fetch(['ws353'])`")``.

    Examples
    --------
    >>> spelled("--all", "names_=None")
    'names_=None'
    >>> with speaking_to_cli():
    ...     spelled("--all", "names_=None")
    '--all'
    """
    return cli if for_cli() else python
