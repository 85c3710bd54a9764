"""Gold sets available offline right after install, before anything is fetched.

``ws353`` and ``simlex999`` fall back to the copies the gensim package ships in
``gensim/test/test_data/`` (found without importing gensim) until the catalogued
files are installed; the project's own sets (``jobs-domain``) ship in the wheel.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from ..errors import GoldSetNotFoundError

__all__ = ["GENSIM_COPIES", "builtin_copy", "gensim_copy_path", "packaged_path"]

GENSIM_COPIES = {"ws353": "wordsim353.tsv", "simlex999": "simlex999.txt"}
"""Catalog name -> file name in gensim's test data (tab-separated, ``#`` comments)."""


def gensim_copy_path(name: str) -> Path:
    """Where gensim's copy of the gold set ``name`` is."""
    spec = importlib.util.find_spec("gensim")
    if spec is None or not spec.submodule_search_locations:
        raise GoldSetNotFoundError(
            f"the offline copy of {name!r} is read from gensim's test data, but gensim is not "
            "installed; install it with: pip install gensim"
        )
    return Path(next(iter(spec.submodule_search_locations)), "test", "test_data", GENSIM_COPIES[name])


def builtin_copy(name: str) -> dict[str, str | None] | None:
    """Where the offline copy of ``name`` comes from, or ``None`` if it has none.

    ``{"source": "gensim", "file": ..., "datapath": "gensim.test.utils.datapath('...')",
    "path": ... or None}``: the file in gensim's test data, how to find it from Python,
    and its path here (``None`` when gensim is not installed). Used until the
    catalogued files are fetched or imported.

    Examples
    --------
    >>> builtin_copy("ws353")["datapath"]
    "gensim.test.utils.datapath('wordsim353.tsv')"
    >>> builtin_copy("rg65") is None
    True
    """
    if name not in GENSIM_COPIES:
        return None
    file = GENSIM_COPIES[name]
    try:
        path = str(gensim_copy_path(name))
    except GoldSetNotFoundError:
        path = None
    return {
        "source": "gensim",
        "file": file,
        "datapath": f"gensim.test.utils.datapath({file!r})",
        "path": path,
    }


def packaged_path(relative: str) -> Path | None:
    """A file shipped inside the wheel (package ``w2veval.data``), or ``None``.

    In a source checkout that package is the top-level ``goldsets/`` folder.
    """
    import importlib.resources  # lazily: costs more to import than the rest of goldsets

    try:
        candidate = importlib.resources.files("w2veval.data").joinpath(relative)
        if candidate.is_file():
            return Path(str(candidate))
    except (ModuleNotFoundError, TypeError, NotADirectoryError):
        pass
    checkout = Path(__file__).resolve().parents[2] / "goldsets" / relative
    return checkout if checkout.is_file() else None
