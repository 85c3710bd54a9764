"""The gold sets available offline right after install, declared as data.

Each record says where the file lives and what is known about it; loading is one
generic function. (A later change replaces this table with a reviewed TOML catalog.)
WS-353 and SimLex-999 are read from the copies gensim ships in
``gensim/test/test_data/``; their location is computed without importing gensim.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

from ..errors import GoldSetFormatError, GoldSetNotFoundError

__all__ = ["BUILTINS", "names", "builtin", "unknown_name_error", "jobs_domain_path"]

_FINKELSTEIN_2002 = """\
@article{finkelstein2002placing,
  author  = {Finkelstein, Lev and Gabrilovich, Evgeniy and Matias, Yossi and Rivlin, Ehud
             and Solan, Zach and Wolfman, Gadi and Ruppin, Eytan},
  title   = {Placing Search in Context: The Concept Revisited},
  journal = {ACM Transactions on Information Systems},
  volume  = {20},
  number  = {1},
  pages   = {116--131},
  year    = {2002},
  doi     = {10.1145/503104.503110}
}"""

_HILL_2015 = """\
@article{hill2015simlex,
  author  = {Hill, Felix and Reichart, Roi and Korhonen, Anna},
  title   = {{SimLex-999}: Evaluating Semantic Models With (Genuine) Similarity Estimation},
  journal = {Computational Linguistics},
  volume  = {41},
  number  = {4},
  pages   = {665--695},
  year    = {2015},
  doi     = {10.1162/COLI_a_00237}
}"""

# name -> record. "location" is a key of _LOCATIONS; "duplicates" is the policy the
# file is read with ("keep" for WS-353: money-cash is listed twice, 9.15 and 9.08, and
# gensim and BlazingText keep both rows, so must we to report comparable numbers).
BUILTINS: dict[str, dict] = {
    "ws353": {
        "location": "gensim", "file": "wordsim353.tsv", "n_pairs": 353,
        "language": "en", "kind": "mixed", "scale": (0, 10), "duplicates": "keep",
        "citation": _FINKELSTEIN_2002,
        "licence": "none stated; gluon-nlp's docstring says CC BY 4.0 "
                   "(file: the copy shipped with gensim)",
    },
    "simlex999": {
        "location": "gensim", "file": "simlex999.txt", "n_pairs": 999,
        "language": "en", "kind": "similarity", "scale": (0, 10), "duplicates": "keep",
        "citation": _HILL_2015,
        "licence": "none stated; the README asks you to cite the paper; gluon-nlp says "
                   "Unspecified (file: the copy shipped with gensim)",
    },
    "jobs-domain": {
        "location": "w2veval", "file": "jobs-domain.tsv", "n_pairs": 78,
        "language": "en", "kind": "relatedness", "scale": (0, 10), "duplicates": "error",
        "illustrative": True,
        "citation": "The w2veval project. jobs-domain: an illustrative word-relatedness "
                    "set for the software-jobs domain (goldsets/jobs-domain.tsv).",
        "licence": "Apache-2.0",
    },
}


def names() -> list[str]:
    """The names of the built-in gold sets, sorted.

    Examples
    --------
    >>> names()
    ['jobs-domain', 'simlex999', 'ws353']
    """
    return sorted(BUILTINS)


def _gensim_test_data(filename: str) -> Path:
    spec = importlib.util.find_spec("gensim")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise GoldSetNotFoundError(
            f"the built-in gold set file {filename!r} is read from gensim's test data, "
            "but gensim is not installed; install it with: pip install gensim")
    return Path(list(spec.submodule_search_locations)[0], "test", "test_data", filename)


def jobs_domain_path() -> Path:
    """The project's ``jobs-domain.tsv``: in the wheel (``w2veval/data/``), else in the
    source checkout's top-level ``goldsets/``."""
    import importlib.resources  # lazily: it costs more to import than the rest of goldsets

    try:
        packaged = importlib.resources.files("w2veval") / "data" / "jobs-domain.tsv"
        if packaged.is_file():
            return Path(str(packaged))
    except (ModuleNotFoundError, TypeError, NotADirectoryError):
        pass
    return Path(__file__).resolve().parents[2] / "goldsets" / "jobs-domain.tsv"


_LOCATIONS = {
    "gensim": _gensim_test_data,
    "w2veval": lambda filename: jobs_domain_path().with_name(filename),
}


@functools.cache  # GoldSet is immutable, so every caller can share one instance
def builtin(name: str):
    """The built-in gold set ``name``, read and checked on first use.

    Examples
    --------
    >>> builtin("ws353")
    GoldSet('ws353', 353 pairs, mixed, en, scale=(0, 10))
    """
    from ._goldset import GoldSet

    if name not in BUILTINS:
        raise unknown_name_error(name)
    record = BUILTINS[name]
    path = _LOCATIONS[record["location"]](record["file"])
    if not path.is_file():
        raise GoldSetNotFoundError(
            f"the file of the built-in gold set {name!r} is missing; "
            "reinstall w2veval (and gensim)", path=path)
    gs = GoldSet.from_file(
        path, name=name, language=record["language"], kind=record["kind"],
        scale=record["scale"], duplicates=record["duplicates"],
        citation=record["citation"], licence=record["licence"],
        illustrative=record.get("illustrative", False))
    if record["n_pairs"] is not None and gs.n_pairs != record["n_pairs"]:
        raise GoldSetFormatError(
            f"has {gs.n_pairs} pairs but the built-in gold set {name!r} has "
            f"{record['n_pairs']}; the installed file differs from the one w2veval expects",
            path=path)
    return gs


def unknown_name_error(spec: str) -> GoldSetNotFoundError:
    """The error for a name that is neither built in nor an existing file."""
    import difflib

    close = difflib.get_close_matches(spec, names(), n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else "."
    return GoldSetNotFoundError(
        f"no gold set {spec!r}{hint} Built-in gold sets: {', '.join(names())}. "
        "To use your own file, pass the path of an existing CSV/TSV/space-separated "
        "file of 'word1 word2 score' rows, or a GoldSet")
