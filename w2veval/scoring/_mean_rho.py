"""SageMaker BlazingText's tuning objective, ``mean_rho``, reproduced exactly.

BlazingText reports the unweighted mean of three Spearman correlations on
WS-353: all pairs (353), the relatedness split (252) and the similarity split
(203) of Agirre et al. (2009), with words lowercased, cosine similarity, and
pairs that contain an unknown word left out.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import GoldSetNotFoundError

if TYPE_CHECKING:
    from .._typing import StrPath, VectorsSource

__all__ = ["MEAN_RHO_FILES", "blazingtext_evaluation", "mean_rho"]

MEAN_RHO_FILES = ("EN-WS-353-ALL.txt", "EN-WS-353-REL.txt", "EN-WS-353-SIM.txt")
"""The file names BlazingText's evaluator uses (wordvectors.org copies)."""


def _split_files(files) -> list[str]:
    if files is None:
        from .. import goldsets

        finder = getattr(goldsets, "mean_rho_files", None)
        if finder is not None:
            return list(finder())
        raise GoldSetNotFoundError(
            "mean_rho needs the three WS-353 files BlazingText evaluates on "
            f"({', '.join(MEAN_RHO_FILES)}, from wordvectors.org / mfaruqui/eval-word-vectors); "
            "pass them as mean_rho(vectors, files=(ALL, REL, SIM))"
        )
    if isinstance(files, Mapping):
        files = [files[key] for key in ("all", "rel", "sim")]
    if isinstance(files, (str, os.PathLike)) or len(files) != 3:
        raise ValueError("files must be three paths: WS-353 all, relatedness, similarity")
    return [os.fspath(f) for f in files]


def blazingtext_evaluation(
    vectors: VectorsSource,
    *,
    files: Sequence[StrPath] | Mapping[str, StrPath] | None = None,
    format: str = "auto",
    trust: bool = False,
) -> dict[str, Any]:
    """The content of BlazingText's ``eval.json`` for ``vectors``.

    Returns
    -------
    dict
        ``{file name: {"spearmans_rho", "not_found", "total_pairs"}, ..., "mean_rho": float}``.
    """
    from ..goldsets import GoldSet
    from ._evaluate import evaluate_rows

    paths = _split_files(files)
    sets = [GoldSet.from_file(path, duplicates="keep") for path in paths]
    rows = evaluate_rows(vectors, sets, oov="drop", case_sensitive=False, format=format, trust=trust)
    result: dict[str, Any] = {}
    for label, row in zip(MEAN_RHO_FILES, rows, strict=True):  # the keys BlazingText's eval.json uses
        result[label] = {
            "spearmans_rho": row["spearman"],
            "not_found": row["n_pairs"] - row["n_scored"],
            "total_pairs": row["n_pairs"],
        }
    rhos = [row["spearman"] for row in rows]
    result["mean_rho"] = math.fsum(rhos) / len(rhos)
    return result


def mean_rho(
    vectors: VectorsSource,
    *,
    files: Sequence[StrPath] | Mapping[str, StrPath] | None = None,
    format: str = "auto",
    trust: bool = False,
) -> float:
    """BlazingText's ``mean_rho``: mean Spearman rho on WS-353 all, relatedness, similarity.

    Parameters
    ----------
    vectors : source or WordVectors
        Anything :func:`w2veval.load_vectors` reads.
    files : (all, rel, sim) paths or {"all", "rel", "sim": path}, optional
        The three WS-353 files; looked up among installed gold sets when omitted.

    Returns
    -------
    float
        NaN (with a warning) when a split has fewer than two scored pairs.
    """
    return blazingtext_evaluation(vectors, files=files, format=format, trust=trust)["mean_rho"]
