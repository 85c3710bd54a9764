"""An independent reading of the shared task files and a straightforward task classifier,
written without w2veval: the oracle the task tests compare w2veval's numbers with."""

from __future__ import annotations

import re

import numpy as np


def polarity(shared_tasks) -> tuple[list[str], list[str]]:
    """The 10,662 polarity snippets and their labels: one file per label, Windows-1252."""
    texts, labels = [], []
    for label in ("pos", "neg"):
        raw = (shared_tasks / "mr-polarity" / f"rt-polarity.{label}").read_bytes().decode("cp1252")
        lines = [line for line in raw.split("\n") if line.strip()]
        texts += lines
        labels += [label] * len(lines)
    return texts, labels


def reference_predictions(kv, texts, labels) -> tuple[np.ndarray, np.ndarray]:
    """Mean of the known tokens' unit vectors (exact form, else the most frequent form with the
    same case-folding), LogisticRegression under stratified 10-fold CV with seed 0:
    ``(true labels, out-of-fold predictions)``."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    folded = {}
    for word in kv.index_to_key:  # most frequent first
        folded.setdefault(word.casefold(), word)
    rows = []
    for text in texts:
        units = []
        for token in re.findall(r"\w+", text):
            word = token if token in kv.key_to_index else folded.get(token.casefold())
            if word is not None:
                vector = kv.get_vector(word).astype(np.float64)
                units.append(vector / np.linalg.norm(vector))
        rows.append(np.mean(units, axis=0) if units else np.zeros(kv.vector_size))
    x, y = np.array(rows), np.asarray(labels)
    predicted = np.empty(len(y), dtype=y.dtype)
    for train, test in StratifiedKFold(n_splits=10, shuffle=True, random_state=0).split(x, y):
        predicted[test] = LogisticRegression(max_iter=1000).fit(x[train], y[train]).predict(x[test])
    return y, predicted


def reference_scores(kv, texts, labels) -> tuple[float, float]:
    """``(accuracy, macro-F1)`` of :func:`reference_predictions`."""
    from sklearn.metrics import f1_score

    y, predicted = reference_predictions(kv, texts, labels)
    return float(np.mean(predicted == y)), float(f1_score(y, predicted, average="macro"))


def sms_rows(shared_tasks) -> list[tuple[str, str]]:
    """``(label, text)`` of every SMS message, after the mirror's header line; UTF-8, TAB-separated."""
    raw = (shared_tasks / "sms-spam" / "SMSSpamCollection").read_bytes().decode("utf-8")
    return [tuple(line.rstrip("\r").split("\t", 1)) for line in raw.split("\n")[1:] if line.strip()]


def outlier_clusters(path) -> list[tuple[str, list[str], list[str]]]:
    """``(category, words, outliers)`` of a vecto outlier CSV, its trailing '' artefacts left out."""
    import ast
    import csv

    clusters = []
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            words = [w for w in ast.literal_eval(row["words"]) if w.strip()]
            outliers = [w for w in ast.literal_eval(row["outliers"]) if w.strip()]
            clusters.append((row["category"], words, outliers))
    return clusters
