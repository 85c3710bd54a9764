"""The numbers of a report, as DataFrames: scores, comparisons, pairs, neighbours, coverage."""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

    from .._typing import AnyGoldSet, VectorsSource
    from ..goldsets import GoldSet
    from ..matching import MatchRules
    from ..vectors import WordVectors

__all__ = [
    "NEIGHBOUR_COLUMNS",
    "PAIR_COLUMNS",
    "leaderboard_frame",
    "load_all",
    "neighbour_frame",
    "pair_frame",
    "score_frames",
    "short_names",
]

PAIR_COLUMNS = (
    "vectors",
    "goldset",
    "line",
    "word1",
    "word2",
    "human",
    "cosine",
    "human_rank",
    "cosine_rank",
    "rank_gap",
)
NEIGHBOUR_COLUMNS = ("probe", "vectors", "found", "rank", "neighbour", "similarity")


def short_names(named_sources: Sequence[tuple[str | None, VectorsSource]]) -> list[str]:
    """A display name per source: the shortest unique path tail, or the name given."""
    from ..scoring._evaluate import _display_name

    full = [
        name if name is not None else _display_name(src, i) for i, (name, src) in enumerate(named_sources)
    ]
    given = [name is not None for name, _ in named_sources]
    parts = [
        os.path.normpath(n).split(os.sep) if not g and not n.startswith("s3://") else [n]
        for n, g in zip(full, given, strict=True)
    ]
    depth = 1
    while True:  # the shortest tail that tells different sources apart
        names = [os.sep.join(p[-depth:]) if len(p) > 1 else p[0] for p in parts]
        if len(set(names)) == len(set(map(tuple, parts))) or depth > max(len(p) for p in parts):
            break
        depth += 1
    seen: dict[str, int] = {}
    unique = []
    for name in names:  # the same source twice: number the repeats
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return unique


def load_all(
    named_sources: Sequence[tuple[str | None, VectorsSource]],
    goldsets: Sequence[AnyGoldSet],
    *,
    rules: MatchRules,
    probes: Sequence[str],
    restrict_vocab: int | None,
    format: str,
    trust: bool,
    progress: bool = False,
) -> tuple[dict[str, WordVectors], dict[str, WordVectors]]:
    """``(scored, full)``, each ``{name: WordVectors}``.

    ``scored`` holds the words the gold sets use (what scoring needs); ``full`` every
    word when there are probes (neighbours search the whole vocabulary), otherwise it is
    ``scored``. Each source is read once: the gold-set words are cut out of the full
    load, keeping each word's rank, exactly as a load with ``words=`` reads them.
    """
    from ..io import load_vectors
    from ..scoring._evaluate import _needed_words
    from ..vectors import WordVectors

    wanted = _needed_words(goldsets)
    scored: dict[str, WordVectors] = {}
    full: dict[str, WordVectors] = {}
    for name, (_, source) in zip(short_names(named_sources), named_sources, strict=True):
        vectors = (
            source
            if isinstance(source, WordVectors)
            else load_vectors(
                source,
                format=format,
                words=None if probes else wanted,
                rules=rules,
                limit=restrict_vocab,
                trust=trust,
                progress=progress,
            )
        )
        full[name] = vectors
        scored[name] = _subset(vectors, wanted, rules) if probes else vectors
    return scored, full


def _subset(vectors: WordVectors, wanted: Iterable[str], rules: MatchRules) -> WordVectors:
    """The rows of ``vectors`` whose match key is that of a wanted word, ranks kept."""
    from ..vectors import WordVectors

    keys = {rules.key(w) for w in wanted}
    rows = np.fromiter((i for i, word in enumerate(vectors.words) if rules.key(word) in keys), dtype=np.int64)
    return WordVectors(
        [vectors.words[i] for i in rows],
        vectors.vectors[rows],
        ranks=vectors.ranks[rows],
        source=vectors.source,
        vocab_size=vectors.vocab_size,
        subword_vector=vectors.subword_vector,
    )


def score_frames(
    loaded: Mapping[str, WordVectors],
    goldsets: Sequence[GoldSet],
    *,
    rules: MatchRules,
    ci: float,
    ci_method: str,
    n_resamples: int,
    seed: int | None,
    restrict_vocab: int | None,
    progress: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(scores, comparisons)``: :func:`w2veval.evaluate` with intervals, and every model pair
    compared (:func:`~w2veval.scoring.compare_many_rows`; empty with one model)."""
    import pandas as pd

    from ..scoring import COMPARE_COLUMNS, compare_many_rows, evaluate

    matching: dict[str, Any] = {"case": rules.case, "accents": rules.accents, "phrases": rules.phrases}
    scores = evaluate(
        loaded,
        goldsets,
        ci=ci,
        ci_method=ci_method,
        n_resamples=n_resamples,
        seed=seed,
        progress=progress,
        restrict_vocab=restrict_vocab,
        **matching,
    )
    columns = list(COMPARE_COLUMNS)
    if len(loaded) < 2:
        frame = pd.DataFrame(columns=columns)
    else:
        rows = compare_many_rows(
            loaded,
            goldsets,
            level=ci,
            n_resamples=n_resamples,
            seed=seed,
            progress=progress,
            restrict_vocab=restrict_vocab,
            **matching,
        )
        frame = pd.DataFrame(rows, columns=columns)
    return scores, frame.rename(columns={"model_a": "a", "model_b": "b"})  # the report's own names


def leaderboard_frame(
    scores: pd.DataFrame, *, min_pairs: int | None = None, min_coverage: float | None = None
) -> pd.DataFrame:
    """One row per model, ranked by mean Spearman over the gold sets every model may rank on.

    Columns: ``rank`` (NaN when no gold set is rankable), ``vectors``, ``mean_spearman``
    (the mean over the rankable gold sets), and per gold set ``<goldset>``,
    ``<goldset>_lo``, ``<goldset>_hi``, ``<goldset>_n_scored``, ``<goldset>_n_pairs``,
    ``<goldset>_coverage`` and ``<goldset>_unrankable`` (why this score may not rank, or
    None; see :func:`w2veval.scoring._ranking.unrankable_reason`). ``frame.attrs`` holds
    ``ranked_goldsets`` and ``reasons`` (``{gold set: why it cannot rank}``).
    """
    import pandas as pd

    from ..scoring._ranking import MIN_RANK_COVERAGE, MIN_RANK_PAIRS, rank_by_mean, unrankable_reason

    min_pairs = MIN_RANK_PAIRS if min_pairs is None else min_pairs
    min_coverage = MIN_RANK_COVERAGE if min_coverage is None else min_coverage
    goldsets = list(dict.fromkeys(scores["goldset"]))
    ranking = rank_by_mean(scores.to_dict("records"), min_pairs=min_pairs, min_coverage=min_coverage)
    rows = []
    for name in dict.fromkeys(scores["vectors"]):
        mine = scores[scores["vectors"] == name].set_index("goldset")
        row: dict[str, Any] = {"vectors": name, "mean_spearman": ranking["means"][name]}
        for goldset in goldsets:
            rho = float(mine.at[goldset, "spearman"])
            row[goldset] = rho
            row[f"{goldset}_lo"] = float(mine.at[goldset, "spearman_lo"])
            row[f"{goldset}_hi"] = float(mine.at[goldset, "spearman_hi"])
            row[f"{goldset}_n_scored"] = int(mine.at[goldset, "n_scored"])
            row[f"{goldset}_n_pairs"] = int(mine.at[goldset, "n_pairs"])
            row[f"{goldset}_coverage"] = float(mine.at[goldset, "coverage"])
            row[f"{goldset}_unrankable"] = unrankable_reason(
                mine.at[goldset, "n_scored"],
                mine.at[goldset, "n_pairs"],
                rho,
                min_pairs=min_pairs,
                min_coverage=min_coverage,
            )
        rows.append(row)
    frame = pd.DataFrame(rows)
    for goldset in goldsets:  # None, not NaN, where a score may rank
        frame[f"{goldset}_unrankable"] = pd.Series([r[f"{goldset}_unrankable"] for r in rows], dtype=object)
    if ranking["order"]:
        position = {m: i for i, m in enumerate(ranking["order"])}
        frame = frame.sort_values("vectors", key=lambda s: s.map(position), kind="mergesort")
        frame.insert(0, "rank", range(1, len(frame) + 1))
    else:  # nothing may rank: input order, no rank
        frame.insert(0, "rank", math.nan)
    frame = frame.reset_index(drop=True)
    frame.attrs.update(
        ranked_goldsets=ranking["goldsets"],
        reasons=ranking["reasons"],
        min_pairs=min_pairs,
        min_coverage=min_coverage,
    )
    return frame


def _ranks(values: np.ndarray) -> np.ndarray:
    from ..scoring._stats import rankdata  # average ranks, without importing scipy.stats

    return rankdata(values)


def pair_frame(
    loaded: Mapping[str, WordVectors],
    goldsets: Sequence[GoldSet],
    *,
    rules: MatchRules,
    restrict_vocab: int | None,
    progress: bool = False,
) -> pd.DataFrame:
    """Every gold-set pair against every model: human score, cosine similarity and ranks.

    ``human_rank`` and ``cosine_rank`` are average ranks (1 = least similar) among the
    pairs the model scores; ``rank_gap = (cosine_rank - human_rank) / n_scored`` is
    positive where the model finds a pair more similar than people do. Unknown pairs
    have NaN cosine and ranks.
    """
    import pandas as pd

    from .._progress import steps
    from ..scoring._pairs import pair_similarities

    frames = []
    for name, vectors in steps(
        loaded.items(), desc="report: pairs", progress=progress, total=len(loaded), unit="model"
    ):
        for goldset in goldsets:
            human = np.asarray(goldset.scores, dtype=np.float64)
            cosine = pair_similarities(vectors, goldset, rules=rules, restrict_vocab=restrict_vocab)
            known = ~np.isnan(cosine)
            human_rank = np.full(len(human), np.nan)
            cosine_rank = np.full(len(human), np.nan)
            n = int(known.sum())
            if n:
                human_rank[known] = _ranks(human[known])
                cosine_rank[known] = _ranks(cosine[known])
            frames.append(
                pd.DataFrame(
                    {
                        "vectors": name,
                        "goldset": goldset.name,
                        "line": list(goldset.lines),
                        "word1": list(goldset.word1),
                        "word2": list(goldset.word2),
                        "human": human,
                        "cosine": cosine,
                        "human_rank": human_rank,
                        "cosine_rank": cosine_rank,
                        "rank_gap": (cosine_rank - human_rank) / n if n else np.full(len(human), np.nan),
                    }
                )
            )
    if not frames:
        return pd.DataFrame(columns=list(PAIR_COLUMNS))
    return pd.concat(frames, ignore_index=True)[list(PAIR_COLUMNS)]


def worst_pairs(pairs: pd.DataFrame, n: int) -> pd.DataFrame:
    """The ``n`` scored pairs of each (model, gold set) whose ranks differ most, worst first."""
    import pandas as pd

    if pairs.empty or n <= 0:
        return pairs.iloc[0:0]
    scored = pairs[pairs["cosine"].notna()].copy()
    scored["_gap"] = scored["rank_gap"].abs()
    parts = [
        group.sort_values(["_gap", "line"], ascending=[False, True], kind="mergesort").head(n)
        for _, group in scored.groupby(["vectors", "goldset"], sort=False)
    ]
    if not parts:
        return pairs.iloc[0:0]
    return pd.concat(parts).drop(columns="_gap").reset_index(drop=True)


def neighbour_frame(
    loaded: Mapping[str, WordVectors],
    probes: Sequence[str],
    *,
    rules: MatchRules,
    restrict_vocab: int | None,
    k: int,
    progress: bool = False,
) -> pd.DataFrame:
    """The ``k`` nearest neighbours of each probe word in each model.

    A probe is matched to the vocabulary by the same rules as gold-set words; a probe
    a model does not know gives one row with ``found=False``.
    """
    import pandas as pd

    from .._progress import steps
    from ..matching import vocabulary_lookup

    rows: list[dict[str, Any]] = []
    for name, vectors in steps(
        loaded.items(), desc="report: neighbours", progress=progress, total=len(loaded), unit="model"
    ):
        if not probes:
            continue  # no lookup to build
        lookup = vocabulary_lookup(vectors, rules, restrict_vocab)
        for probe in probes:
            row = lookup.get(probe)  # the exact form first, as gold-set words
            if row is None:
                rows.append(
                    {
                        "probe": probe,
                        "vectors": name,
                        "found": False,
                        "rank": math.nan,
                        "neighbour": None,
                        "similarity": math.nan,
                    }
                )
                continue
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # an all-zero vector
                found = vectors.most_similar(vectors.words[row], k=k)
            if not found:
                rows.append(
                    {
                        "probe": probe,
                        "vectors": name,
                        "found": True,
                        "rank": math.nan,
                        "neighbour": None,
                        "similarity": math.nan,
                    }
                )
            for rank, (word, similarity) in enumerate(found, 1):
                rows.append(
                    {
                        "probe": probe,
                        "vectors": name,
                        "found": True,
                        "rank": rank,
                        "neighbour": word,
                        "similarity": similarity,
                    }
                )
    return pd.DataFrame(rows, columns=list(NEIGHBOUR_COLUMNS))
