"""Turning vectors and gold sets into numbers."""

from ._analogies import AnalogyEvaluator, AnalogyResult, evaluate_analogies
from ._compare import COMPARE_COLUMNS, compare, compare_many_rows, compare_rows
from ._evaluate import COLUMNS, DEFAULT_GOLDSETS, KIND_COLUMNS, evaluate, evaluate_rows, goldset_kind
from ._mean_rho import blazingtext_evaluation, mean_rho
from ._pairs import OOV_POLICIES, UnreliableScoreWarning, WordPairEvaluator
from ._registry import Evaluator, evaluator_for, register_evaluator, registered_evaluators

__all__ = [
    "COLUMNS",
    "COMPARE_COLUMNS",
    "DEFAULT_GOLDSETS",
    "KIND_COLUMNS",
    "OOV_POLICIES",
    "AnalogyEvaluator",
    "AnalogyResult",
    "Evaluator",
    "UnreliableScoreWarning",
    "WordPairEvaluator",
    "blazingtext_evaluation",
    "compare",
    "compare_many_rows",
    "compare_rows",
    "evaluate",
    "evaluate_analogies",
    "evaluate_rows",
    "evaluator_for",
    "goldset_kind",
    "mean_rho",
    "register_evaluator",
    "registered_evaluators",
]
