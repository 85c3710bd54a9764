"""Type aliases of the public signatures, for type checkers and readers.

Modules import these under ``TYPE_CHECKING`` only, so nothing here (nor gensim) is
imported when w2veval runs.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeAlias

import numpy.typing as npt

from .goldsets import GoldSet
from .goldsets._analogy import AnalogySet
from .goldsets._categories import CategorySet
from .goldsets._outliers import OutlierSet
from .goldsets._task import TextTask
from .vectors import WordVectors

StrPath: TypeAlias = str | os.PathLike[str]
"""A file path as text or a path object."""

VectorsSource: TypeAlias = (
    StrPath | WordVectors | tuple[Sequence[str], npt.ArrayLike] | Mapping[str, npt.ArrayLike] | Any
)
"""What :func:`w2veval.load_vectors` reads: a path or ``s3://`` URL, loaded vectors,
``(words, matrix)``, ``{word: vector}``, or a gensim ``KeyedVectors`` or model (untyped: ``Any``)."""

VectorsSources: TypeAlias = VectorsSource | Sequence[VectorsSource] | Mapping[str, VectorsSource]
"""One vectors source, a list of them, or ``{display name: source}``."""

AnyGoldSet: TypeAlias = GoldSet | AnalogySet | CategorySet | OutlierSet | TextTask
"""A loaded gold set of one of the built-in kinds."""

GoldSetSpec: TypeAlias = StrPath | AnyGoldSet | Any
"""A catalogued name, tag (``lang:de``), file path, or gold set (a plug-in's own kind: ``Any``)."""

GoldSets: TypeAlias = GoldSetSpec | Iterable[GoldSetSpec] | None
"""One gold-set spec, several, or ``None`` for the defaults."""
