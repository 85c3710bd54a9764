"""Placeholder: the outlier-detection evaluator (issue 13) is being written."""

from __future__ import annotations

__all__ = ["OutlierEvaluator"]


class OutlierEvaluator:
    name = "outlier-detection"

    def accepts(self, goldset) -> bool:
        return False

    def evaluate(self, vectors, goldset, **options):
        raise NotImplementedError
