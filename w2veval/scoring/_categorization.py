"""Placeholder: the categorization evaluator (issue 13) is being written."""

from __future__ import annotations

__all__ = ["CategorizationEvaluator"]


class CategorizationEvaluator:
    name = "categorization"

    def accepts(self, goldset) -> bool:
        return False

    def evaluate(self, vectors, goldset, **options):
        raise NotImplementedError
