"""Helpers shared by the download and import tests: catalog entries built from real files."""

from __future__ import annotations

import hashlib
from pathlib import Path

from w2veval.goldsets._catalog import CatalogEntry, CatalogFile

RG65 = "rg65/EN-RG-65.txt"
MC30 = "mc30/EN-MC-30.txt"
WS353 = "ws353/combined.csv"
BATS_E02 = "analogy/bats_3.0/3_Encyclopedic_semantics/E02 [country - language].txt"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def real_file(shared: Path, path: str, **fields) -> CatalogFile:
    """A catalog file whose checksum the test computes itself from the real file."""
    return CatalogFile(path=path, sha256=sha256((shared / path).read_bytes()), **fields)


def entry(name: str, *files: CatalogFile) -> CatalogEntry:
    return CatalogEntry(
        name=name,
        title=name,
        language="en",
        kind="similarity",
        scale=(0, 10),
        n_pairs=1,
        files=files,
        citation="test",
        licence="test",
    )


def files_under(folder: Path) -> list[str]:
    """Every file below ``folder`` (relative), hidden and temporary ones included."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if not p.is_dir())
