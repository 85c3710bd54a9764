"""The gold-set catalog: ``goldsets/catalog.toml``, shipped in the wheel as ``w2veval.data``.

One ``[[goldset]]`` table per set holds its metadata, how to parse it, and its
files (path in the mirror layout, sha256, download URLs, archive member). The
catalog is data reviewed in diffs; this module only reads and checks it.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from ..errors import GoldSetFormatError

__all__ = ["CATALOG_RESOURCE", "KINDS", "WORD_PAIR_KINDS", "CatalogEntry", "CatalogFile", "catalog"]

CATALOG_RESOURCE = "catalog.toml"
KINDS = ("similarity", "relatedness", "mixed", "analogy", "categorization", "outlier", "classification")
WORD_PAIR_KINDS = ("similarity", "relatedness", "mixed")
READERS = (
    "table",
    "semeval",
    "multisimlex",
    "google-analogy",
    "msr-analogy",
    "bats",
    "categories",
    "outliers",
    "task",
)
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z]{2,3})?$")


@dataclass(frozen=True)
class CatalogFile:
    """One data file of a catalog entry.

    Attributes
    ----------
    path : str
        Where the file sits in the mirror layout (relative, ``/``-separated); also
        where it is kept in the cache.
    sha256 : str
        Checksum of the file itself (after unpacking from any archive).
    urls : tuple of str
        Canonical download URLs, tried in order (the original first, then mirrors).
    member : str or None
        The member to take when a URL serves an archive (zip or tar).
    role : str
        What the file is to its reader: ``"pairs"`` (default), ``"data"``, ``"keys"``, or,
        for a task given as one file per label, the label of the file's texts.
    """

    path: str
    sha256: str
    urls: tuple[str, ...] = ()
    member: str | None = None
    role: str = "pairs"


@dataclass(frozen=True)
class CatalogEntry:
    """Metadata of one catalogued gold set; see ``docs/catalog.md`` for each field."""

    name: str
    title: str
    language: str
    kind: str
    scale: tuple[float, float] | None
    n_pairs: int
    files: tuple[CatalogFile, ...]
    citation: str
    licence: str
    parse: dict[str, Any] = field(default_factory=dict)
    pos: str | None = None
    homepage: str | None = None
    notes: str = ""
    split: str | None = None
    parent: str | None = None
    illustrative: bool = False
    copies: tuple[CatalogFile, ...] = ()
    """Published byte-exact copies of the data under other names (never downloaded): a file
    given by path with one of their sha256s is read with the entry's settings for duplicates."""

    @property
    def reader(self) -> str:
        return self.parse.get("reader", "table")

    @property
    def tags(self) -> tuple[str, ...]:
        """``lang:<language>`` and ``kind:<kind>``, as ``evaluate`` selects sets by."""
        return (f"lang:{self.language}", f"kind:{self.kind}")


def _bad(index: int, name: object, message: str) -> GoldSetFormatError:
    label = f"entry {index + 1}" + (f" ({name!r})" if name else "")
    return GoldSetFormatError(f"malformed catalog {label}: {message}", path=CATALOG_RESOURCE)


def _file(raw: dict[str, Any], index: int, name: object) -> CatalogFile:
    unknown = set(raw) - {"path", "sha256", "urls", "member", "role"}
    if unknown:
        raise _bad(index, name, f"unknown file field(s) {sorted(unknown)}")
    if not isinstance(raw.get("path"), str) or raw["path"].startswith("/") or ".." in raw["path"].split("/"):
        raise _bad(index, name, f"file path must be relative, without '..': {raw.get('path')!r}")
    if not _SHA256.match(str(raw.get("sha256", ""))):
        raise _bad(index, name, f"file {raw['path']!r} needs a 64-hex-digit lower-case sha256")
    return CatalogFile(
        path=raw["path"],
        sha256=raw["sha256"],
        urls=tuple(raw.get("urls", ())),
        member=raw.get("member"),
        role=raw.get("role", "pairs"),
    )


def parse_entry(raw: dict[str, Any], index: int = 0) -> CatalogEntry:
    """One ``[[goldset]]`` table as a :class:`CatalogEntry`, checked field by field."""
    name = raw.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise _bad(index, name, "'name' must be short, lower-case letters, digits and '-'")
    for key in ("title", "language", "kind", "n_pairs", "files", "citation", "licence"):
        if key not in raw:
            raise _bad(index, name, f"missing required field {key!r}")
    if raw["kind"] not in KINDS:
        raise _bad(index, name, f"kind {raw['kind']!r} is not one of {', '.join(KINDS)}")
    if not _LANGUAGE.match(raw["language"]):
        raise _bad(index, name, f"language {raw['language']!r} is not an ISO 639 code (or 'xx-yy')")
    if not isinstance(raw["n_pairs"], int) or raw["n_pairs"] <= 0:
        raise _bad(index, name, "'n_pairs' must be a positive integer")
    scale = raw.get("scale")
    if scale is not None and (len(scale) != 2 or not scale[0] < scale[1]):
        raise _bad(index, name, f"scale must be [low, high], got {scale!r}")
    parse = dict(raw.get("parse", {}))
    if parse.get("reader", "table") not in READERS:
        raise _bad(index, name, f"unknown reader {parse.get('reader')!r}; readers: {', '.join(READERS)}")
    if not raw["files"]:
        raise _bad(index, name, "needs at least one file")
    known = {
        "name",
        "title",
        "language",
        "kind",
        "scale",
        "n_pairs",
        "files",
        "citation",
        "licence",
        "parse",
        "pos",
        "homepage",
        "notes",
        "split",
        "parent",
        "illustrative",
        "copies",
    }
    if set(raw) - known:
        raise _bad(index, name, f"unknown field(s) {sorted(set(raw) - known)}")
    return CatalogEntry(
        name=name,
        title=raw["title"],
        language=raw["language"],
        kind=raw["kind"],
        scale=None if scale is None else (scale[0], scale[1]),
        n_pairs=raw["n_pairs"],
        files=tuple(_file(f, index, name) for f in raw["files"]),
        citation=raw["citation"].strip(),
        licence=raw["licence"],
        parse=parse,
        pos=raw.get("pos"),
        homepage=raw.get("homepage"),
        notes=raw.get("notes", ""),
        split=raw.get("split"),
        parent=raw.get("parent"),
        illustrative=bool(raw.get("illustrative", False)),
        copies=tuple(_file(f, index, name) for f in raw.get("copies", ())),
    )


def parse_catalog(text: str) -> dict[str, CatalogEntry]:
    """``name -> entry`` from catalog TOML text; duplicate names are an error."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise GoldSetFormatError(f"the catalog is not valid TOML: {exc}", path=CATALOG_RESOURCE) from None
    entries: dict[str, CatalogEntry] = {}
    for index, raw in enumerate(document.get("goldset", [])):
        entry = parse_entry(raw, index)
        if entry.name in entries:
            raise _bad(index, entry.name, "the name is used by an earlier entry")
        entries[entry.name] = entry
    return entries


@functools.cache
def catalog() -> dict[str, CatalogEntry]:
    """The installed catalog, read once through ``importlib.resources``."""
    text = resources.files("w2veval.data").joinpath(CATALOG_RESOURCE).read_text(encoding="utf-8")
    return parse_catalog(text)
