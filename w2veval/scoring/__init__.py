"""Turning vectors and gold sets into numbers."""

from ._evaluate import COLUMNS, DEFAULT_GOLDSETS, evaluate, evaluate_rows
from ._mean_rho import blazingtext_evaluation, mean_rho
from ._pairs import WordPairEvaluator
from ._registry import Evaluator, evaluator_for, register_evaluator, registered_evaluators

__all__ = ["COLUMNS", "DEFAULT_GOLDSETS", "Evaluator", "WordPairEvaluator", "blazingtext_evaluation",
           "evaluate", "evaluate_rows", "evaluator_for", "mean_rho", "register_evaluator",
           "registered_evaluators"]
