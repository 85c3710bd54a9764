"""Evaluator plug-ins: the protocol, the registry and the entry-point group.

The built-in word-pair evaluator registers through the same entry-point group,
``w2veval.evaluators``, that a third-party package uses::

    [project.entry-points."w2veval.evaluators"]
    my-evaluator = "my_package:MyEvaluator"
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from ..errors import EvaluatorError

if TYPE_CHECKING:
    from ..vectors import WordVectors

__all__ = ["Evaluator", "evaluator_for", "register_evaluator", "registered_evaluators"]

ENTRY_POINT_GROUP = "w2veval.evaluators"


@runtime_checkable
class Evaluator(Protocol):
    """What an evaluator plug-in provides.

    Attributes
    ----------
    name : str
        Unique, short, shown in results (column ``evaluator``).

    Methods
    -------
    accepts(goldset) -> bool
        Whether this evaluator knows how to score ``goldset``.
    evaluate(vectors, goldset, **options) -> Mapping[str, Any]
        Scores; must include ``n_pairs``, ``n_scored``, ``coverage`` and at least
        one metric, and accept (and may ignore) the options ``oov``,
        ``case_sensitive`` and ``restrict_vocab``.
    """

    name: str

    def accepts(self, goldset: object) -> bool: ...

    def evaluate(self, vectors: WordVectors, goldset: Any, **options: Any) -> Mapping[str, Any]: ...


_registry: dict[str, Evaluator] = {}
_entry_points_loaded = False  # set when loading starts (a plug-in that asks for evaluators does not recurse)
_entry_points_done = False  # set when it has finished: only then may other threads skip the lock
_loading = threading.RLock()  # threads scoring at once (rescore --jobs) must not see a half-filled registry


def register_evaluator(evaluator: Evaluator | type[Evaluator], *, replace: bool = False) -> Evaluator:
    """Register an evaluator (an instance or a class with a no-argument constructor).

    Evaluators registered later are tried first, so a plug-in can take over the
    gold sets it knows better. Returns the registered instance.
    """
    if isinstance(evaluator, type):
        evaluator = evaluator()
    if not isinstance(evaluator, Evaluator) or not isinstance(getattr(evaluator, "name", None), str):
        raise EvaluatorError(
            f"{evaluator!r} is not an evaluator: it needs a str 'name' and the methods "
            "accepts(goldset) and evaluate(vectors, goldset, **options)"
        )
    if evaluator.name in _registry and not replace:
        if type(_registry[evaluator.name]) is type(evaluator):
            return _registry[evaluator.name]
        raise EvaluatorError(
            f"an evaluator named {evaluator.name!r} is already registered; pass replace=True to replace it"
        )
    _registry.pop(evaluator.name, None)
    _registry[evaluator.name] = evaluator
    return evaluator


def _load_entry_points() -> None:
    global _entry_points_done
    if _entry_points_done:
        return
    with _loading:
        _load_entry_points_once()
    _entry_points_done = True


def _load_entry_points_once() -> None:
    global _entry_points_loaded
    if _entry_points_loaded:
        return
    _entry_points_loaded = True
    from importlib.metadata import entry_points

    from ._analogies import AnalogyEvaluator
    from ._categorization import CategorizationEvaluator
    from ._classification import ClassificationEvaluator
    from ._outliers import OutlierEvaluator
    from ._pairs import WordPairEvaluator

    # Also listed as entry points; registered here too so that a source checkout works.
    for builtin in (
        WordPairEvaluator,
        AnalogyEvaluator,
        CategorizationEvaluator,
        OutlierEvaluator,
        ClassificationEvaluator,
    ):
        register_evaluator(builtin)

    found = sorted(
        entry_points(group=ENTRY_POINT_GROUP),
        key=lambda ep: (ep.value.startswith("w2veval.") is False, ep.name),
    )
    for entry in found:
        try:
            register_evaluator(entry.load())
        except EvaluatorError:
            raise
        except Exception as exc:  # a broken plug-in must say which one it is
            raise EvaluatorError(
                f"the evaluator plug-in {entry.name!r} ({entry.value}) failed to load: {exc}"
            ) from exc


def registered_evaluators() -> list[Evaluator]:
    """All evaluators, the most recently registered first."""
    _load_entry_points()
    return list(reversed(_registry.values()))


def evaluator_for(goldset: object) -> Evaluator:
    """The first registered evaluator that accepts ``goldset``."""
    for evaluator in registered_evaluators():
        if evaluator.accepts(goldset):
            return evaluator
    raise EvaluatorError(
        f"no registered evaluator accepts the gold set {getattr(goldset, 'name', goldset)!r}"
    )
