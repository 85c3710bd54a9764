"""Placeholder: the classification evaluator (issue 13) is being written."""

from __future__ import annotations

__all__ = ["ClassificationEvaluator"]


class ClassificationEvaluator:
    name = "classification"

    def accepts(self, goldset) -> bool:
        return False

    def evaluate(self, vectors, goldset, **options):
        raise NotImplementedError
