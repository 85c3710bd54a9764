"""w2veval: how good are your word embeddings, and on what?

Score any word vectors on many word-similarity gold sets at once::

    import w2veval
    w2veval.evaluate("model.tar.gz", ["ws353", "simlex999", "my-domain.tsv"])
"""

from ._version import __version__
from .errors import (
    ChecksumMismatchError,
    EvaluatorError,
    GoldSetFormatError,
    GoldSetNotFoundError,
    MissingDependencyError,
    UntrustedPickleError,
    VectorFormatError,
    VectorSourceError,
    W2VEvalError,
)
from .goldsets import GoldSet
from .io import load_vectors
from .objective import Objective
from .scoring import Evaluator, compare, evaluate, mean_rho, register_evaluator
from .vectors import WordVectors

__all__ = [
    "ChecksumMismatchError",
    "Evaluator",
    "EvaluatorError",
    "GoldSet",
    "GoldSetFormatError",
    "GoldSetNotFoundError",
    "MissingDependencyError",
    "Objective",
    "UntrustedPickleError",
    "VectorFormatError",
    "VectorSourceError",
    "W2VEvalError",
    "WordVectors",
    "__version__",
    "compare",
    "evaluate",
    "load_vectors",
    "mean_rho",
    "register_evaluator",
]
