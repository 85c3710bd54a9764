"""The report's numbers for sets that are not word pairs (issue 13): categorization, outlier
detection and classification tasks, as DataFrames.

``kind_frames`` gives, for every (model, set):

* ``kind_scores`` -- the evaluate row (``vectors, goldset, kind``, the kind's metrics with
  their intervals where the evaluator gives them, ``n_pairs``, ``n_scored``, ``coverage``);
* ``categories`` -- per category, where the clustering put its items
  (:func:`w2veval.scoring._categorization.category_table`): ``share`` is the category's own
  purity and ``cluster_category`` the category that took its cluster;
* ``classes`` -- per class of a task, ``support``, ``precision``, ``recall`` and ``f1`` of the
  out-of-fold predictions (:func:`w2veval.scoring._classification.class_table`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from .._typing import AnyGoldSet
    from ..matching import MatchRules
    from ..vectors import WordVectors
    from ._report import Report

__all__ = [
    "CATEGORY_COLUMNS",
    "CLASS_COLUMNS",
    "KINDS",
    "KIND_METRICS",
    "is_other_kind",
    "kind_frames",
    "kind_sections",
]

KINDS = ("categorization", "outlier", "classification")
KIND_METRICS = {
    "categorization": ("purity", "adjusted_rand", "v_measure"),
    "outlier": ("accuracy", "opp"),
    "classification": ("accuracy", "macro_f1"),
}
"""The headline metrics each kind's section shows, in order."""
CATEGORY_COLUMNS = (
    "vectors",
    "goldset",
    "category",
    "n_items",
    "n_scored",
    "cluster",
    "share",
    "cluster_category",
)
CLASS_COLUMNS = ("vectors", "goldset", "label", "support", "precision", "recall", "f1")


def is_other_kind(goldset: object) -> bool:
    """Whether ``goldset`` is a categorization, outlier or classification set."""
    return getattr(goldset, "kind", None) in KINDS


def kind_frames(
    loaded: Mapping[str, WordVectors],
    goldsets: Sequence[AnyGoldSet],
    *,
    rules: MatchRules,
    ci: float,
    n_resamples: int,
    seed: int | None,
    restrict_vocab: int | None,
) -> dict[str, pd.DataFrame]:
    """``{"kind_scores", "categories", "classes"}`` DataFrames for ``goldsets`` on every model
    of ``loaded`` (``{name: WordVectors}``); empty frames without such sets."""
    import pandas as pd

    from ..scoring import evaluate_rows
    from ..scoring._categorization import category_table
    from ..scoring._classification import class_table, out_of_fold_predictions
    from ..scoring._evaluate import goldset_kind

    rows: list[dict[str, Any]] = []
    categories: list[dict[str, Any]] = []
    classes: list[dict[str, Any]] = []
    if goldsets:
        rows = evaluate_rows(
            loaded,
            goldsets,
            ci=ci,
            n_resamples=n_resamples,
            seed=seed,
            pvalues=False,
            case=rules.case,
            accents=rules.accents,
            phrases=rules.phrases,
            restrict_vocab=restrict_vocab,
        )
    for name, vectors in loaded.items():
        for goldset in goldsets:
            kind = goldset_kind(goldset)
            if kind == "categorization":
                for row in category_table(vectors, goldset, rules=rules, restrict_vocab=restrict_vocab):
                    categories.append(
                        {
                            "vectors": name,
                            "goldset": goldset.name,
                            **{c: row.get(c) for c in CATEGORY_COLUMNS[2:]},
                        }
                    )
            elif kind == "classification":
                truth, predicted = out_of_fold_predictions(
                    vectors, goldset, rules=rules, restrict_vocab=restrict_vocab
                )
                for row in class_table(truth, predicted):
                    classes.append(
                        {
                            "vectors": name,
                            "goldset": goldset.name,
                            **{c: row.get(c) for c in CLASS_COLUMNS[2:]},
                        }
                    )
    return {
        "kind_scores": pd.DataFrame(rows),
        "categories": pd.DataFrame(categories, columns=list(CATEGORY_COLUMNS)),
        "classes": pd.DataFrame(classes, columns=list(CLASS_COLUMNS)),
    }


_TITLES = {
    "categorization": (
        "section-categorization",
        "Categorization",
        "Each set's words are clustered into as many clusters as it has categories "
        "(cosine geometry). Purity: the share of words in their cluster's majority "
        "category; adjusted Rand and V-measure compare the clusters with the categories "
        "(0 for chance). Below, per category: the share of its words in its main "
        "cluster, and the category that took that cluster.",
    ),
    "outlier": (
        "section-outliers",
        "Outlier detection",
        "For each cluster and each of its outliers, is the outlier the word least similar to "
        "the others (accuracy), and how far down does it come (OPP, outlier position "
        "percentage; 1 is always last)?",
    ),
    "classification": (
        "section-tasks",
        "Tasks",
        "A logistic regression on the mean of each text's known word vectors, under "
        "stratified cross-validation: accuracy and macro-F1 (the mean of the classes' "
        "F1, the headline for imbalanced sets). Below, per class: precision, recall "
        "and F1 of the out-of-fold predictions.",
    ),
}


def _n(value: Any, digits: int = 3) -> str:
    from ._format import number

    return number(value, digits)


def _label(value: object) -> str:
    """A cluster number or category: "—" where there is none (None, or NaN from pandas)."""
    if value is None or (isinstance(value, float) and value != value):
        return "—"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _with_interval(row: Mapping[Any, Any], metric: str) -> str:
    import math

    text = _n(row.get(metric))
    lo, hi = row.get(f"{metric}_lo"), row.get(f"{metric}_hi")
    if lo is not None and hi is not None and not (math.isnan(float(lo)) or math.isnan(float(hi))):
        text += f" [{_n(lo)}, {_n(hi)}]"
    return text


def kind_sections(report: Report) -> list[dict[str, Any]]:
    """The sections of the new kinds, renderer-neutral: ``{"id", "title", "how", "tables": [(caption,
    header, rows)], "figures": [(file name, alt)]}`` with every cell already a string."""
    frame = report.kind_scores
    if frame is None or frame.empty:
        return []
    sections = []
    for kind in KINDS:
        mine = frame[frame["kind"] == kind]
        if mine.empty:
            continue
        anchor, title, how = _TITLES[kind]
        metrics = KIND_METRICS[kind]
        unit = "texts" if kind == "classification" else "tests" if kind == "outlier" else "words"
        header = ["model", "set", *metrics, f"scored {unit}", "coverage"]
        rows = [
            [
                str(r["vectors"]),
                str(r["goldset"]),
                *[_with_interval(r, m) for m in metrics],
                f"{int(r['n_scored'])}/{int(r['n_pairs'])}",
                _n(r["coverage"]),
            ]
            for r in mine.to_dict("records")
        ]
        tables = [("", header, rows)]
        if kind == "categorization" and report.categories is not None and not report.categories.empty:
            for (model, goldset), part in report.categories.groupby(["vectors", "goldset"], sort=False):
                tables.append(
                    (
                        f"{goldset} on {model}: per category",
                        ["category", "items", "clustered", "cluster", "share", "cluster's category"],
                        [
                            [
                                str(r["category"]),
                                str(r["n_items"]),
                                str(r["n_scored"]),
                                _label(r["cluster"]),
                                _n(r["share"]),
                                _label(r["cluster_category"]),
                            ]
                            for r in part.to_dict("records")
                        ],
                    )
                )
        figures = []
        if kind == "classification" and report.classes is not None and not report.classes.empty:
            from ._format import slugs

            tasks = list(dict.fromkeys(report.classes["goldset"]))
            figures = [
                (f"classes-{slug}.png", f"F1 per class, {goldset}")
                for goldset, slug in zip(tasks, slugs(tasks), strict=True)
            ]
            for (model, goldset), part in report.classes.groupby(["vectors", "goldset"], sort=False):
                tables.append(
                    (
                        f"{goldset} on {model}: per class",
                        ["class", "support", "precision", "recall", "F1"],
                        [
                            [
                                str(r["label"]),
                                str(r["support"]),
                                _n(r["precision"]),
                                _n(r["recall"]),
                                _n(r["f1"]),
                            ]
                            for r in part.to_dict("records")
                        ],
                    )
                )
        sections.append({"id": anchor, "title": title, "how": how, "tables": tables, "figures": figures})
    return sections
