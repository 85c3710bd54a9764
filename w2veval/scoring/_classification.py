"""The downstream-task evaluator: text classification with features from the vectors.

Each text becomes the mean of its known tokens' unit vectors (:mod:`._features`); a
scikit-learn ``LogisticRegression`` is trained under stratified k-fold cross-validation
with a fixed seed, and the out-of-fold predictions of all folds are pooled into one
accuracy and one macro-F1. The folds depend only on the labels and the seed, so two
models scored on one task are judged on the very same splits (what a paired comparison
needs). See ``docs/tasks.md``.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from ..errors import W2VEvalError
from ..matching import MatchRules
from ._features import FEATURE_OOV, text_features, token_coverage
from ._warnings import MAX_CI_WIDTH, MIN_COVERAGE, MIN_SCORED, UnreliableScoreWarning

__all__ = [
    "CLASSIFIER_OPTIONS",
    "DEFAULT_FOLDS",
    "ClassificationEvaluator",
    "class_table",
    "classification_interval",
    "out_of_fold_predictions",
]

DEFAULT_FOLDS = 10
"""SentEval's protocol for MR, CR, SUBJ and MPQA, so published MR accuracies compare; and
each model is trained on 90% of the texts, close to what a user deploys."""
CLASSIFIER_OPTIONS = {"solver": "lbfgs", "C": 1.0, "max_iter": 1000, "tol": 1e-4}
"""The fixed ``LogisticRegression`` settings (L2 penalty; multinomial for more than two classes)."""
_HEADLINE = ("accuracy", "macro_f1")


def _check_folds(folds) -> int:
    if isinstance(folds, bool) or not isinstance(folds, (int, np.integer)) or folds < 2:
        raise W2VEvalError(f"folds must be an integer of at least 2, got {folds!r}")
    return int(folds)


def _smallest_class(labels: np.ndarray) -> tuple[str, int]:
    classes, counts = np.unique(labels, return_counts=True)
    i = int(np.argmin(counts))
    return str(classes[i]), int(counts[i])


def _cross_validated(features: np.ndarray, labels: np.ndarray, folds: int, seed) -> np.ndarray:
    """Out-of-fold predictions of ``LogisticRegression`` under stratified k-fold."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold
    from threadpoolctl import threadpool_limits

    predicted = np.empty(len(labels), dtype=labels.dtype)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    # One thread: the fits are small, and OpenMP/BLAS threads that spin-wait for a busy core
    # made them 10x slower on the 2-core benchmark machine under load (docs/performance.md).
    with threadpool_limits(1), warnings.catch_warnings():
        # A fold whose features are all zero trains a constant model: nothing to warn about.
        warnings.simplefilter("ignore", RuntimeWarning)
        for train, test in splitter.split(np.zeros((len(labels), 1)), labels):
            model = LogisticRegression(**CLASSIFIER_OPTIONS).fit(features[train], labels[train])
            predicted[test] = model.predict(features[test])
    return predicted


def _labels(task) -> np.ndarray:
    return np.asarray(task.labels, dtype=str)


def out_of_fold_predictions(
    vectors,
    task,
    *,
    rules: MatchRules = MatchRules(),
    restrict_vocab=None,
    oov: str = "drop",
    folds: int = DEFAULT_FOLDS,
    seed=0,
    features: str = "mean",
    mean_vector=None,
) -> tuple[np.ndarray, np.ndarray]:
    """The true and the out-of-fold predicted label of every text, in text order.

    Parameters
    ----------
    vectors : WordVectors
    task : TextTask
    rules, restrict_vocab, oov, features, mean_vector
        As for :func:`w2veval.scoring._features.text_features` (``coverage`` builds
        the features as ``drop``).
    folds : int
        Stratified folds (default 10).
    seed : int or None
        The folds' shuffle; they depend only on the labels and the seed.

    Returns
    -------
    (ndarray of str, ndarray of str)

    Raises
    ------
    W2VEvalError
        If a class has fewer texts than ``folds`` (stratified folds cannot be made).
    """
    folds = _check_folds(folds)
    labels = _labels(task)
    name, smallest = _smallest_class(labels)
    if smallest < folds:
        raise W2VEvalError(
            f"{task.name}: the class {name!r} has {smallest} text(s), fewer than the "
            f"{folds} folds; pass a smaller folds (at most {smallest}, at least 2) "
            "or add texts of that class"
        )
    built = text_features(
        vectors,
        task,
        rules=rules,
        restrict_vocab=restrict_vocab,
        oov="drop" if oov == "coverage" else oov,
        features=features,
        mean_vector=mean_vector,
    )
    return labels, _cross_validated(built.matrix, labels, folds, seed)


def class_table(y_true, y_pred) -> list[dict]:
    """Per class (sorted): ``label``, ``support``, ``precision``, ``recall``, ``f1``.

    Precision is NaN for a class never predicted, recall NaN for a class with no text,
    F1 NaN when both are.

    Examples
    --------
    >>> class_table(["a", "a", "b"], ["a", "b", "b"])[0]
    {'label': 'a', 'support': 2, 'precision': 1.0, 'recall': 0.5, 'f1': 0.6666666666666666}
    """
    y_true, y_pred = np.asarray(y_true, dtype=str), np.asarray(y_pred, dtype=str)
    table = []
    for label in np.union1d(y_true, y_pred):
        tp = int(np.sum((y_true == label) & (y_pred == label)))
        support, predicted = int(np.sum(y_true == label)), int(np.sum(y_pred == label))
        precision = tp / predicted if predicted else math.nan
        recall = tp / support if support else math.nan
        f1 = 2 * tp / (support + predicted) if support + predicted else math.nan
        table.append(
            {"label": str(label), "support": support, "precision": precision, "recall": recall, "f1": f1}
        )
    return table


def _confusion(y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    classes, codes = np.unique(np.concatenate([y_true, y_pred]), return_inverse=True)
    k, n = len(classes), len(y_true)
    return np.bincount(codes[:n] * k + codes[n:], minlength=k * k).reshape(k, k)


def _metrics(confusions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Accuracy and macro-F1 of each confusion matrix in ``confusions`` (..., k, k).

    Macro-F1 averages over the classes present in the truth or the predictions, as
    scikit-learn's ``f1_score(average="macro")`` does.
    """
    tp = np.diagonal(confusions, axis1=-2, axis2=-1).astype(np.float64)
    support = confusions.sum(axis=-1)
    predicted = confusions.sum(axis=-2)
    n = support.sum(axis=-1)
    denominator = (support + predicted).astype(np.float64)
    present = denominator > 0
    f1 = np.divide(2 * tp, denominator, out=np.zeros_like(tp), where=present)
    with np.errstate(invalid="ignore", divide="ignore"):
        return tp.sum(axis=-1) / n, f1.sum(axis=-1) / present.sum(axis=-1)


def classification_interval(
    y_true, y_pred, *, level: float = 0.95, n_resamples: int = 10_000, seed=0
) -> dict:
    """Percentile bootstrap intervals of accuracy and macro-F1 over texts.

    A resample of the n texts is summed up by its confusion matrix, and the confusion
    matrix of n texts drawn with replacement is multinomial with n trials and the
    observed cells' shares as probabilities: drawing the k x k counts directly is the
    same bootstrap as drawing texts, in O(n_resamples x k²) instead of O(n_resamples x n).

    Returns
    -------
    dict
        ``accuracy_lo``, ``accuracy_hi``, ``macro_f1_lo``, ``macro_f1_hi``.
    """
    if not 0 < level < 1:
        raise W2VEvalError(f"ci must be a confidence level between 0 and 1, such as 0.95; got {level!r}")
    confusion = _confusion(np.asarray(y_true, dtype=str), np.asarray(y_pred, dtype=str))
    n, k = int(confusion.sum()), confusion.shape[0]
    if n == 0:
        return {f"{m}_{end}": math.nan for m in _HEADLINE for end in ("lo", "hi")}
    rng = np.random.default_rng(seed)
    cells = rng.multinomial(n, confusion.ravel() / n, size=int(n_resamples)).reshape(-1, k, k)
    accuracy, macro_f1 = _metrics(cells)
    quantiles = [(1 - level) / 2, (1 + level) / 2]
    result = {}
    for metric, values in zip(_HEADLINE, (accuracy, macro_f1), strict=True):
        result[f"{metric}_lo"], result[f"{metric}_hi"] = (float(q) for q in np.quantile(values, quantiles))
    return result


class ClassificationEvaluator:
    """Accuracy and macro-F1 of a logistic regression on the texts' mean unit vectors.

    Options
    -------
    oov : {"drop", "zero", "mean", "subword", "coverage"}
        What an unknown token of a text contributes:

        - ``drop`` (default): nothing; the text is the mean of its known tokens.
        - ``zero``: a zero vector that still counts in the mean, so a text with many
          unknown tokens gets a shorter feature vector.
        - ``mean``: the unit vector of the mean of all the file's vectors (needs
          ``mean_vector``; :func:`~w2veval.evaluate` supplies it).
        - ``subword``: the unit vector of its fastText n-gram vector; vectors without
          n-grams are scored as ``drop`` with a warning, and ``oov`` says ``"drop"``.
        - ``coverage``: features as ``drop``; accuracy and macro-F1 (and their
          intervals) are multiplied by the text coverage ``n_scored / n_pairs``, so a
          text of which nothing is known counts as a miss rather than a guess.

        A text with no counted token gets a zero feature vector and is still
        classified (the classifier's intercept decides it): every text is predicted.
    folds : int
        Stratified folds (default 10, SentEval's protocol); ``seed`` shuffles them.
    features : {"mean", "sif"}
        See :func:`w2veval.scoring._features.text_features`.
    case_sensitive, matching, restrict_vocab
        How tokens are matched to the vocabulary, as for word pairs.
    ci : float, optional
        Adds ``accuracy_lo/hi`` and ``macro_f1_lo/hi``: a percentile bootstrap over
        texts of the out-of-fold predictions (``n_resamples``, ``seed``); ``ci_method``
        is ignored (BCa needs a jackknife of the cross-validation).

    The result has ``n_pairs`` (texts), ``n_scored`` (texts with a known token),
    ``coverage``, ``accuracy``, ``macro_f1``, ``token_coverage``, ``n_no_known_token``,
    ``n_classes``, ``folds``, ``features`` and ``oov``. Scores are NaN, with an
    :class:`UnreliableScoreWarning`, when no token is known or a class has fewer texts
    than ``folds``; it also warns when token coverage is below 0.8, when fewer than 30
    texts are scored, or when an interval is wider than 0.2.

    Examples
    --------
    >>> from w2veval import WordVectors
    >>> from w2veval.goldsets._task import TextTask
    >>> wv = WordVectors(["good", "bad"], np.array([[1.0, 0.0], [0.0, 1.0]]))
    >>> task = TextTask(name="toy", texts=["good", "bad"] * 30, labels=["p", "n"] * 30)
    >>> row = ClassificationEvaluator().evaluate(wv, task, folds=5)
    >>> row["accuracy"], row["macro_f1"], row["token_coverage"]
    (1.0, 1.0, 1.0)
    """

    name = "classification"

    def accepts(self, goldset) -> bool:
        return getattr(goldset, "kind", None) == "classification"

    def evaluate(
        self,
        vectors,
        goldset,
        *,
        oov="drop",
        case_sensitive=False,
        restrict_vocab=None,
        matching=None,
        mean_vector=None,
        folds=DEFAULT_FOLDS,
        features="mean",
        ci=None,
        n_resamples=10_000,
        seed=0,
        **_ignored,
    ) -> dict:
        if oov not in FEATURE_OOV:
            raise W2VEvalError(f"unknown OOV policy {oov!r}; choose one of {', '.join(FEATURE_OOV)}")
        folds = _check_folds(folds)
        rules = matching or MatchRules.from_options(case_sensitive)
        task, labels = goldset, _labels(goldset)
        built = text_features(
            vectors,
            task,
            rules=rules,
            restrict_vocab=restrict_vocab,
            oov="drop" if oov == "coverage" else oov,
            features=features,
            mean_vector=mean_vector,
            warn=lambda message: warnings.warn(message, UserWarning, stacklevel=3),
        )
        policy = "coverage" if oov == "coverage" else built.policy
        n_pairs = len(labels)
        n_scored = int(np.count_nonzero(built.known_tokens))
        coverage = n_scored / n_pairs if n_pairs else math.nan
        result = {
            "n_pairs": n_pairs,
            "n_scored": n_scored,
            "coverage": coverage,
            "accuracy": math.nan,
            "macro_f1": math.nan,
            "token_coverage": token_coverage(built),
            "n_no_known_token": n_pairs - n_scored,
            "n_classes": len(task.classes),
            "folds": folds,
            "features": features,
            "oov": policy,
        }
        if ci is not None:
            result.update({f"{m}_{end}": math.nan for m in _HEADLINE for end in ("lo", "hi")})
        reasons = []
        smallest_name, smallest = _smallest_class(labels)
        if n_scored == 0:
            reasons.append(
                (
                    f"the score is undefined (NaN): none of the {n_pairs} texts has a token the "
                    "vocabulary knows, and no OOV policy makes a score of nothing known",
                    "undefined",
                    f"0 of {n_pairs} texts",
                )
            )
        elif smallest < folds:
            reasons.append(
                (
                    f"the score is undefined (NaN): the class {smallest_name!r} has {smallest} "
                    f"text(s), fewer than the {folds} folds; pass folds={max(2, smallest)} or "
                    "fewer, or add texts of that class",
                    "undefined",
                    f"{smallest} texts of {smallest_name!r}, fewer than {folds} folds",
                )
            )
        else:
            predicted = _cross_validated(built.matrix, labels, folds, seed)
            scale = coverage if policy == "coverage" else 1.0
            accuracy, macro_f1 = _metrics(_confusion(labels, predicted))
            result["accuracy"], result["macro_f1"] = scale * float(accuracy), scale * float(macro_f1)
            if ci is not None:
                interval = classification_interval(
                    labels, predicted, level=ci, n_resamples=n_resamples, seed=seed
                )
                result.update({key: scale * value for key, value in interval.items()})
            reasons.extend(_reasons(result, ci, scale))
        for message, kind, detail in reasons:
            warnings.warn(
                UnreliableScoreWarning(
                    f"{task.name} on {vectors.source} (OOV policy {policy}): {message}",
                    kind=kind,
                    goldset=task.name,
                    vectors=str(vectors.source),
                    detail=detail,
                ),
                stacklevel=2,
            )
        return result


def _reasons(result: dict, ci, scale: float) -> list[tuple[str, str, str]]:
    reasons = []
    n_scored, n_pairs = result["n_scored"], result["n_pairs"]
    if n_scored < MIN_SCORED:
        reasons.append(
            (
                f"only {n_scored} texts have a known token (fewer than {MIN_SCORED}); "
                "treat the score with care",
                "few_pairs",
                f"{n_scored} of {n_pairs} texts",
            )
        )
    tokens = result["token_coverage"]
    if tokens < MIN_COVERAGE:
        reasons.append(
            (
                f"token coverage {tokens:.2f} is below {MIN_COVERAGE:g}: the vocabulary knows "
                "too few of the texts' tokens for the features to stand for the texts; "
                "treat the score with care",
                "low_coverage",
                f"{tokens:.2f}",
            )
        )
    if ci is not None and scale > 0:
        width = (result["macro_f1_hi"] - result["macro_f1_lo"]) / scale
        if width > MAX_CI_WIDTH:
            reasons.append(
                (
                    f"the {ci:g} interval of macro_f1 is {width:.2f} wide (more than "
                    f"{MAX_CI_WIDTH:g}): it cannot separate models that differ as real ones do",
                    "wide_interval",
                    f"{width:.2f}",
                )
            )
    return reasons
