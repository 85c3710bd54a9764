"""Gold sets: word pairs with human similarity or relatedness scores.

Every public set w2veval knows is an entry of the catalog (``goldsets/catalog.toml``,
see ``docs/catalog.md``); its files are fetched (:func:`fetch`) or imported from a
local copy (:func:`import_dir`) into the cache. ``ws353`` and ``simlex999`` work
offline before that, from the copies gensim ships; ``jobs-domain`` ships in the wheel.

>>> from w2veval import goldsets
>>> goldsets.load("simlex999").n_pairs
999
"""

from __future__ import annotations

import functools
import os
import warnings
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ..errors import GoldSetNotFoundError, spelled
from ._analogy import AnalogySet
from ._catalog import WORD_PAIR_KINDS, CatalogEntry, catalog
from ._categories import CategorySet
from ._goldset import KINDS, GoldSet
from ._outliers import OutlierCluster, OutlierSet
from ._parse import DroppedRowsWarning, DuplicatePairWarning
from ._split import SplitError, split, tuning_split
from ._task import TextTask
from ._validate import ValidationFailedError

if TYPE_CHECKING:
    import pandas as pd

    from .._typing import AnyGoldSet, GoldSetSpec, StrPath, VectorsSource
    from ._agreement import AgreementReport
    from ._fetch import FetchReport
    from ._import import ImportReport
    from ._validate import ValidationReport

__all__ = [
    "KINDS",
    "AnalogySet",
    "CatalogEntry",
    "CategorySet",
    "DroppedRowsWarning",
    "DuplicatePairWarning",
    "GoldSet",
    "GoldSetNotInstalledError",
    "OutlierCluster",
    "OutlierSet",
    "SplitError",
    "TextTask",
    "ValidationFailedError",
    "agreement",
    "catalog",
    "catalog_rows",
    "cite",
    "describe",
    "entry",
    "fetch",
    "import_dir",
    "installed_names",
    "is_installed",
    "load",
    "mean_rho_files",
    "names",
    "resolve",
    "split",
    "template",
    "tuning_split",
    "validate",
    "write_template",
]

TAG_PREFIXES = ("lang:", "kind:")


class GoldSetNotInstalledError(GoldSetNotFoundError):
    """A catalogued gold set whose files are not in the cache yet."""


def names() -> list[str]:
    """Every catalogued gold-set name, sorted."""
    return sorted(catalog())


def entry(name: str) -> CatalogEntry:
    """The catalog entry ``name``; unknown names get a "did you mean" suggestion."""
    try:
        return catalog()[name]
    except KeyError:
        raise _unknown(name) from None


def _files_on_disk(item: CatalogEntry) -> dict[str, Path] | None:
    """``{catalog path: local file}`` if every file is installed or shipped, else None."""
    from ._builtin import packaged_path
    from ._cache import installed_path

    found: dict[str, Path] = {}
    for file in item.files:
        local = installed_path(file)
        if not local.is_file():
            shipped = packaged_path(file.path)
            if shipped is None:
                return None
            local = shipped
        found[file.path] = local
    return found


def is_installed(name: str) -> bool:
    """Whether the files of gold set ``name`` are in the cache (or ship with w2veval)."""
    return _files_on_disk(entry(name)) is not None


def installed_names() -> list[str]:
    """The catalogued sets that can be loaded now (installed, shipped or built in)."""
    from ._builtin import GENSIM_COPIES

    return [n for n in names() if n in GENSIM_COPIES or is_installed(n)]


@functools.cache
def _read_catalogued(name: str, files: tuple[tuple[str, str], ...]) -> AnyGoldSet:
    from ._readers import read_entry

    return read_entry(entry(name), {path: Path(local) for path, local in files})


def _load_name(name: str) -> AnyGoldSet:
    from ._builtin import GENSIM_COPIES

    item = entry(name)
    files = _files_on_disk(item)
    if files is not None:
        return _read_catalogued(name, tuple(sorted((k, os.fspath(v)) for k, v in files.items())))
    if name in GENSIM_COPIES:
        return _read_gensim_copy(name)
    raise GoldSetNotInstalledError(
        f"the gold set {name!r} is catalogued but not installed; run {_fetch_advice([name])} (or "
        + spelled("`w2veval goldsets import DIR`", "`w2veval.goldsets.import_dir(DIR)`")
        + " with a local copy of the files)"
    )


def _fetch_advice(names_: list[str]) -> str:
    """How the reader fetches ``names_``: the command, or the Python call."""
    shown = names_[:5]
    more = " ..." if len(names_) > 5 else ""
    return spelled(
        f"`w2veval goldsets fetch {' '.join(shown)}{more}`",
        f"`w2veval.goldsets.fetch({shown!r})`" + (f" (and {len(names_) - 5} more)" if more else ""),
    )


@functools.cache
def _read_gensim_copy(name: str) -> GoldSet:
    from ._builtin import gensim_copy_path

    item = entry(name)
    return GoldSet.from_file(
        gensim_copy_path(name),
        name=name,
        language=item.language,
        kind=item.kind,
        scale=item.scale,
        duplicates="keep",
        citation=item.citation,
        licence=item.licence,
    )


def load(spec: GoldSetSpec, **options: Any) -> AnyGoldSet:
    """A gold set (or task) from an object, a catalogued name or a file path.

    Parameters
    ----------
    spec : GoldSet, CategorySet, OutlierSet, TextTask, AnalogySet, str or os.PathLike
        A set object is returned as is. A string is first looked up in the catalog
        (:func:`names`; names of kind categorization, outlier and classification give a
        :class:`CategorySet`, :class:`OutlierSet` or :class:`TextTask`). Otherwise it is
        a file: ``task:PATH``, ``categorization:PATH`` or ``outlier:PATH`` force the
        reader; an unprefixed path is told by its header (``text`` and ``label`` columns:
        a task; ``category``, ``outliers``, ``words``: outliers; ``category`` and
        ``word``: categorization; else word pairs, :meth:`GoldSet.from_file`).
    **options
        Passed to the file's reader (only for file paths): :meth:`GoldSet.from_file`,
        :func:`~w2veval.goldsets._taskfile.read_task` (``encoding=``, ``header=``,
        ``text_column=``, ``label_column=``, ``name=``),
        :func:`~w2veval.goldsets._categories.read_categories` or
        :func:`~w2veval.goldsets._outliers.read_outliers`.

    Raises
    ------
    GoldSetNotFoundError
        If ``spec`` is neither a catalogued name nor an existing file; suggests the
        closest name. :class:`GoldSetNotInstalledError` (a subclass) when the name is
        catalogued but its files are not installed.

    Examples
    --------
    >>> load("ws353").n_pairs
    353
    >>> load("simlex99")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    w2veval.errors.GoldSetNotFoundError: no gold set 'simlex99'; did you mean 'simlex999'? ...
    """
    if hasattr(spec, "name") and not isinstance(spec, (str, os.PathLike)):
        if options:
            raise TypeError(
                f"options {sorted(options)} apply only to file paths, not to a {type(spec).__name__}"
            )
        return spec
    if isinstance(spec, str) and spec in catalog():
        if options:
            raise TypeError(
                f"options {sorted(options)} apply only to file paths; the catalogued "
                f"gold set {spec!r} has fixed settings"
            )
        return _load_name(spec)
    if not isinstance(spec, (str, os.PathLike)):
        raise TypeError(f"spec must be a GoldSet, a catalogued name or a path, got {type(spec).__name__}")
    from ._kinds import detect_kind, read_kind, split_prefix

    kind, path = split_prefix(spec)
    if not os.path.exists(path):
        if kind is not None:
            raise GoldSetNotFoundError(f"no file {os.fspath(path)!r} (from {spec!r}: a {kind} file)")
        raise _unknown(os.fspath(spec))
    return read_kind(kind or detect_kind(path), path, **options)


def resolve(spec: GoldSetSpec) -> list[AnyGoldSet]:
    """Gold sets for a name, path, GoldSet, or a tag (``lang:de``, ``kind:similarity``).

    A tag selects the catalogued sets with that language (monolingual word-pair sets
    only: ``lang:de`` leaves out ``semeval17-de-es``, and ``lang:en`` analogy,
    categorization, outlier and classification sets, which ``kind:<kind>`` selects) or kind that are
    installed; catalogued sets it would select that are not installed
    are named in a warning, and a tag that selects no installed set is an error.
    """
    if isinstance(spec, str) and spec.startswith(TAG_PREFIXES):
        return [_load_name(name) for name in _tagged(spec)]
    return [load(spec)]


def _tagged(tag: str) -> list[str]:
    field, _, value = tag.partition(":")
    attribute = "language" if field == "lang" else "kind"
    # A language tag means word-pair sets; the other kinds are asked for with kind:<kind>.
    matching = [
        n
        for n, item in sorted(catalog().items())
        if getattr(item, attribute) == value and (attribute == "kind" or item.kind in WORD_PAIR_KINDS)
    ]
    if not matching:
        values = sorted({getattr(item, attribute) for item in catalog().values()})
        raise GoldSetNotFoundError(
            f"no catalogued gold set has {attribute} {value!r} (tag {tag!r}); "
            f"known values: {', '.join(values)}"
        )
    available = set(installed_names())
    missing = [n for n in matching if n not in available]
    if len(missing) == len(matching):
        raise GoldSetNotInstalledError(
            f"the tag {tag!r} selects {len(matching)} gold sets, none installed; run "
            f"{_fetch_advice(matching)}"
        )
    if missing:
        warnings.warn(
            f"{tag}: {len(missing)} of {len(matching)} gold sets are not installed and are "
            f"left out: {', '.join(missing)} ({_fetch_advice(missing)})",
            UserWarning,
            stacklevel=3,
        )
    return [n for n in matching if n in available]


def mean_rho_files() -> list[Path]:
    """Installed files of ``ws353``, ``ws353-rel`` and ``ws353-sim``, BlazingText's three splits."""
    paths = []
    for name in ("ws353", "ws353-rel", "ws353-sim"):
        files = _files_on_disk(entry(name))
        if files is None:
            raise GoldSetNotInstalledError(
                "mean_rho needs WS-353 all, relatedness and similarity (Agirre et al. 2009 split) "
                f"installed; {name!r} is not: run {_fetch_advice(['ws353', 'ws353-rel', 'ws353-sim'])}"
                + spelled("", ", or pass mean_rho(vectors, files=(ALL, REL, SIM))")
            )
        paths.append(next(iter(files.values())))
    return paths


def _unknown(spec: str) -> GoldSetNotFoundError:
    import difflib

    close = difflib.get_close_matches(spec, names(), n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else "."
    return GoldSetNotFoundError(
        f"no gold set {spec!r}{hint} See "
        + spelled("`w2veval goldsets list`", "`w2veval.goldsets.names()`")
        + " for the catalogued sets; "
        "to use your own file, pass the path of a CSV/TSV/space-separated file of "
        "'word1 word2 score' rows (or task:PATH for labelled text, categorization:PATH, outlier:PATH)"
    )


def catalog_rows(installed_only: bool = False) -> list[dict[str, Any]]:
    """One row per catalogued set: ``name, language, kind, n_pairs, installed``."""
    available = set(installed_names())
    rows = [
        {
            "name": n,
            "language": item.language,
            "kind": item.kind,
            "n_pairs": item.n_pairs,
            "installed": n in available,
        }
        for n, item in sorted(catalog().items())
    ]
    return [r for r in rows if r["installed"]] if installed_only else rows


def describe(name: str) -> dict[str, Any]:
    """Everything the catalog says of ``name``, plus what is installed."""
    from ._builtin import builtin_copy
    from ._cache import installed_path

    item = entry(name)
    return {
        "name": item.name,
        "title": item.title,
        "language": item.language,
        "kind": item.kind,
        "scale": list(item.scale) if item.scale else None,
        "n_pairs": item.n_pairs,
        "pos": item.pos,
        "split": item.split,
        "parent": item.parent,
        "licence": item.licence,
        "homepage": item.homepage,
        "installed": name in installed_names(),
        "illustrative": item.illustrative,
        "notes": item.notes,
        "files": [
            {
                "path": f.path,
                "sha256": f.sha256,
                "urls": list(f.urls),
                "member": f.member,
                "role": f.role,
                "installed": installed_path(f).is_file(),
            }
            for f in item.files
        ],
        "citation": item.citation,
        "builtin_copy": builtin_copy(item.name),
    }


def cite(names_: list[str]) -> str:
    """The BibTeX entries of the named sets, each paper once (by citation key)."""
    import re

    papers: dict[str, str] = {}
    for name in names_:
        for record in re.split(r"\n(?=@\w+\s*\{)", entry(name).citation.strip()):
            key = re.match(r"@\w+\s*\{\s*([^,\s]+)", record)
            papers.setdefault(key.group(1) if key else record, record.strip())
    return "\n\n".join(papers.values())


def fetch(names_: Sequence[str] | None = None, *, progress: bool = False) -> FetchReport:
    """Download the named sets (all when ``None``) into the cache; see ``docs/downloads.md``."""
    from ._fetch import fetch as fetch_entries

    entries = list(catalog().values()) if names_ is None else [entry(n) for n in names_]
    return fetch_entries([e for e in entries if not _shipped(e)], progress=progress)


def import_dir(folder: StrPath, *, progress: bool = False) -> ImportReport:
    """Install every catalogued file found (by sha256) under ``folder``.

    Returns a :class:`~w2veval.goldsets._import.ImportReport`.
    """
    from ._import import import_dir as import_entries

    return import_entries(folder, [e for e in catalog().values() if not _shipped(e)], progress=progress)


def _shipped(item: CatalogEntry) -> bool:
    """Whether every file of ``item`` ships inside w2veval (nothing to download)."""
    from ._builtin import packaged_path

    return all(not f.urls and packaged_path(f.path) for f in item.files)


def validate(
    goldset_or_path: GoldSet | StrPath,
    *,
    vocabulary: Iterable[str] | VectorsSource | None = None,
    strict: bool = False,
    scale: tuple[float, float] | None = None,
    progress: bool = False,
) -> ValidationReport:
    """A validation report of a gold set; see :func:`w2veval.goldsets._validate.validate`."""
    from ._validate import validate as run

    _refuse_other_kinds(goldset_or_path)
    return run(goldset_or_path, vocabulary=vocabulary, strict=strict, scale=scale, progress=progress)


_OTHER_KINDS = ("categorization", "outlier", "classification")


def _refuse_other_kinds(spec: object) -> None:
    """``validate`` checks word pairs: a categorization, outlier or task set is refused clearly."""
    from ..errors import GoldSetFormatError
    from ._kinds import detect_kind, split_prefix

    kind, path = getattr(spec, "kind", None), None
    if isinstance(spec, str) and spec in catalog():
        kind = catalog()[spec].kind
    elif isinstance(spec, (str, os.PathLike)):
        kind, path = split_prefix(spec)
        if kind is None and os.path.isfile(path):
            kind = detect_kind(path)
    if kind in _OTHER_KINDS:
        what = f"the catalogued set {spec!r} is" if path is None and isinstance(spec, str) else "this is"
        raise GoldSetFormatError(
            f"{what} a {kind} set; validate checks word-pair gold sets (word1, word2, score) only. "
            f"Loading a {kind} set already refuses malformed rows, naming the file and line",
            path=path,
        )


def agreement(path_or_frame: StrPath | pd.DataFrame, **options: Any) -> AgreementReport:
    """Inter-rater agreement; see :func:`w2veval.goldsets._agreement.agreement`."""
    from ._agreement import agreement as run

    return run(path_or_frame, **options)


def template(
    vocab_or_vectors: StrPath | Iterable[str] | VectorsSource, **options: Any
) -> list[dict[str, Any]]:
    """Candidate pairs for rating; see :func:`w2veval.goldsets._template.template`."""
    from ._template import template as run

    return run(vocab_or_vectors, **options)


def write_template(rows: Iterable[Mapping[str, Any]], path: StrPath | TextIO) -> None:
    """Write :func:`template` rows as a CSV annotation sheet."""
    from ._template import write_template as run

    run(rows, path)
