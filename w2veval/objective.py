"""Objectives: a named, weighted combination of gold-set scores to tune word vectors for.

An objective is written ``W*NAME(+W*NAME)*[;oov=POLICY][;metric=METRIC][;KIND_metric=METRIC]``,
e.g. ``0.7*jobs-domain+0.3*ws353-sim;oov=zero`` or ``0.5*mr-polarity+0.5*ws353-sim``, or as
JSON. Its value is the weighted mean ``Σ w·score / Σ w`` of each set's score: the
correlation ``metric`` for word pairs, and for the other kinds their own metric
(:data:`KIND_METRICS`: macro-F1 for tasks, purity for categorization, accuracy for
outlier detection, each changeable with ``task_metric``, ``categorization_metric``,
``outlier_metric``); higher is better. See ``docs/objectives.md``.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, NoReturn

from .errors import W2VEvalError

if TYPE_CHECKING:
    from ._typing import VectorsSource

__all__ = [
    "KIND_METRICS",
    "METRICS",
    "Objective",
    "ObjectiveError",
    "ObjectiveResult",
    "Term",
    "predefined_names",
]

METRICS = ("spearman", "pearson")
"""The correlations an objective can combine (word-pair sets)."""
KIND_METRICS = {
    "classification": ("macro_f1", "accuracy"),
    "categorization": ("purity", "adjusted_rand", "v_measure"),
    "outlier": ("accuracy", "opp"),
}
"""For each kind that is not word pairs, the metrics an objective can take; the first is the default."""
_KIND_OPTIONS = {
    "task_metric": "classification",
    "categorization_metric": "categorization",
    "outlier_metric": "outlier",
}
"""The option that chooses each kind's metric."""
_PAIR_KINDS = ("similarity", "relatedness", "mixed")
_FORBIDDEN = "+;*"
_TAG_PREFIXES = ("lang:", "kind:")
_NUMBER = re.compile(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_OPTIONS = ("oov", "metric", *_KIND_OPTIONS)
_JSON_KEYS = ("name", "terms", "oov", "metric", *_KIND_OPTIONS)
MAX_JSON_DEPTH = 32
"""Objective JSON nests two levels (object, terms, term); deeper input is refused before parsing."""


class ObjectiveError(W2VEvalError, ValueError):
    """A malformed objective: bad syntax, an unknown policy or metric, a bad weight or name.

    ``position`` is the 0-based character of the objective string at fault, when
    the error is one of syntax (``None`` otherwise).
    """

    def __init__(self, message: str, *, position: int | None = None):
        super().__init__(message)
        self.position = position


def _policies() -> tuple[str, ...]:
    from .scoring._pairs import OOV_POLICIES

    return OOV_POLICIES


def _check_goldset_name(name: object) -> str:
    if not isinstance(name, str):
        raise ObjectiveError(
            f"a gold set is named by a string (a catalogued name or a file path), got {name!r}"
        )
    problem = None
    if not name.strip():
        problem = "is empty"
    elif name != name.strip():
        problem = "starts or ends with white space"
    elif any(c in name for c in _FORBIDDEN):
        problem = (
            f"contains one of {' '.join(_FORBIDDEN)}, which separate the parts of an "
            "objective; rename or copy the file"
        )
    elif any(unicodedata.category(c) == "Cc" for c in name):
        problem = "contains a control character"
    elif name.startswith(_TAG_PREFIXES):
        problem = "is a tag, which selects several gold sets; name each set with its own weight"
    if problem:
        raise ObjectiveError(f"the gold-set name {name!r} {problem}")
    return name


def _check_weight(weight: object) -> float:
    if isinstance(weight, bool) or not isinstance(weight, (int, float)):
        raise ObjectiveError(f"a weight must be a positive number, got {weight!r}")
    value = float(weight)
    if not math.isfinite(value) or value <= 0:
        raise ObjectiveError(f"a weight must be a positive finite number, got {weight!r}")
    return value


@dataclass(frozen=True)
class Term:
    """One gold set and its weight in an objective."""

    weight: float
    goldset: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "weight", _check_weight(self.weight))
        _check_goldset_name(self.goldset)

    def __str__(self) -> str:
        return f"{_format_weight(self.weight)}*{self.goldset}"


def _shares(terms: tuple[Term, ...]) -> tuple[float, ...]:
    """The weights divided by their sum, without overflow (1e308) or underflow (5e-324)."""
    largest = max(t.weight for t in terms)
    scaled = [t.weight / largest for t in terms]  # in (0, 1]: the sum cannot overflow
    total = math.fsum(scaled)
    # A weight below 1e-308 of the largest gets share 0: its term changes the value by less
    # than a double can show, as exact arithmetic would.
    return tuple(s / total for s in scaled)


def _load_json(text: str) -> Any:
    """``json.loads`` with a bound on nesting (deep input would exhaust the recursion limit)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            escaped, in_string = (False, True) if escaped else (char == "\\", char != '"')
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_JSON_DEPTH:
                raise ObjectiveError(
                    f"objective JSON nests deeper than {MAX_JSON_DEPTH} levels; "
                    'an objective is {"terms": [{"weight": ..., "goldset": ...}]}'
                )
        elif char in "]}":
            depth -= 1
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise ObjectiveError(
            f"cannot parse objective JSON at char {err.pos}: {err.msg}", position=err.pos
        ) from None
    except RecursionError:  # unreachable after the depth check; kept as the last line of defence
        raise ObjectiveError("objective JSON nests too deeply") from None


def _terms(terms: object) -> tuple[Term, ...]:
    """``terms`` as Terms: each a Term or a (weight, gold set) pair, no gold set twice."""
    if isinstance(terms, (str, bytes, Mapping)) or not isinstance(terms, Iterable):
        raise ObjectiveError(f"terms must be a sequence of (weight, gold set) pairs, got {terms!r}")
    normalised = []
    for term in terms:
        if not isinstance(term, Term):
            try:
                weight, goldset = term
            except (TypeError, ValueError):
                raise ObjectiveError(f"each term must be a (weight, gold set) pair, got {term!r}") from None
            term = Term(weight, goldset)
        normalised.append(term)
    if not normalised:
        raise ObjectiveError("an objective needs at least one weighted gold set")
    seen = set()
    for term in normalised:
        if term.goldset in seen:
            raise ObjectiveError(
                f"the gold set {term.goldset!r} appears twice; give it one term with the sum of the weights"
            )
        seen.add(term.goldset)
    return tuple(normalised)


def _format_weight(weight: float) -> str:
    """The shortest text that reads back as ``weight`` (``1`` rather than ``1.0``)."""
    text = repr(float(weight))
    return text[:-2] if text.endswith(".0") else text


@dataclass(frozen=True)
class ObjectiveResult:
    """The value of an objective for one vectors source, and the rows it was computed from.

    Attributes
    ----------
    value : float
        ``Σ w·score / Σ w``; NaN when a gold set's score is undefined.
    rows : list of dict
        One :func:`w2veval.scoring.evaluate_rows` row per term, in the objective's order.
    objective : Objective
        How the value was made.
    """

    value: float
    rows: list[dict[str, Any]]
    objective: Objective | None = None

    @property
    def scores(self) -> dict[str, float]:
        """``{gold set: score}`` that went into the value."""
        objective = self.objective or Objective(terms=[(1, row["goldset"]) for row in self.rows])
        scores = {}
        for row in self.rows:
            metric = objective.metric_for(row.get("kind"))
            scores[row["goldset"]] = math.nan if metric is None else row.get(metric, math.nan)
        return scores

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: the objective, its value and direction, and the rows."""
        from ._output import json_safe

        spec = self.objective.to_dict() if self.objective else None
        return json_safe({"objective": spec, "value": self.value, "maximize": True, "rows": self.rows})


@dataclass(frozen=True, init=False)
class Objective:
    """A named, weighted combination of gold-set scores, with an OOV policy.

    Parameters
    ----------
    terms : sequence of Term or (weight, gold set) pairs
        Weights are positive numbers; gold sets are catalogued names or file paths
        (without ``+``, ``;`` or ``*``). A gold set may appear once.
    oov : str, default "drop"
        The OOV policy every gold set is scored with (see :mod:`w2veval.scoring`);
        ``"coverage"`` multiplies each correlation by the gold set's coverage.
    metric : {"spearman", "pearson"}, default "spearman"
        The correlation of word-pair sets.
    task_metric : {"macro_f1", "accuracy"}, default "macro_f1"
        The metric of classification tasks.
    categorization_metric : {"purity", "adjusted_rand", "v_measure"}, default "purity"
    outlier_metric : {"accuracy", "opp"}, default "accuracy"
    name : str, optional
        Defaults to the string form.

    Attributes
    ----------
    shares : tuple of float
        The weights normalised to sum 1, in the order of ``terms``: the value is
        ``Σ share·score``. Computed once, scaling by the largest weight first, so
        any positive finite weights work, from 5e-324 to 1.8e308; the terms keep
        the weights as written.
    maximize : bool
        Always ``True``: higher is better, so a tuner maximises it.

    Examples
    --------
    >>> objective = Objective.parse("0.7*jobs-domain + 0.3*ws353-sim; oov=zero")
    >>> str(objective)
    '0.7*jobs-domain+0.3*ws353-sim;oov=zero'
    >>> objective.terms[0]
    Term(weight=0.7, goldset='jobs-domain')
    >>> Objective.parse(objective.to_json()) == objective
    True
    >>> str(Objective.predefined("mean_rho")), Objective.predefined("mean_rho").maximize
    ('1*ws353+1*ws353-rel+1*ws353-sim', True)
    >>> Objective.parse("0.7*jobs-domain+")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    w2veval.objective.ObjectiveError: cannot parse objective '0.7*jobs-domain+' at char 16: expected ...
    """

    terms: tuple[Term, ...]
    oov: str = "drop"
    metric: str = "spearman"
    name: str | None = None
    task_metric: str = "macro_f1"
    categorization_metric: str = "purity"
    outlier_metric: str = "accuracy"
    shares: tuple[float, ...] = field(init=False, repr=False, compare=False)

    maximize: ClassVar[bool] = True
    direction: ClassVar[str] = "maximize"

    # Written out rather than generated so that ``terms`` may be (weight, gold set) pairs.
    def __init__(
        self,
        terms: Iterable[Term | tuple[float, str]],
        oov: str = "drop",
        metric: str = "spearman",
        name: str | None = None,
        task_metric: str = "macro_f1",
        categorization_metric: str = "purity",
        outlier_metric: str = "accuracy",
    ) -> None:
        object.__setattr__(self, "oov", oov)
        object.__setattr__(self, "metric", metric)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "task_metric", task_metric)
        object.__setattr__(self, "categorization_metric", categorization_metric)
        object.__setattr__(self, "outlier_metric", outlier_metric)
        object.__setattr__(self, "terms", _terms(terms))
        object.__setattr__(self, "shares", _shares(self.terms))
        self._check_options()

    def _check_options(self) -> None:
        if self.oov not in _policies():
            raise ObjectiveError(f"unknown OOV policy {self.oov!r}; choose one of {', '.join(_policies())}")
        if self.metric not in METRICS:
            raise ObjectiveError(f"unknown metric {self.metric!r}; choose one of {', '.join(METRICS)}")
        for option, kind in _KIND_OPTIONS.items():
            if getattr(self, option) not in KIND_METRICS[kind]:
                raise ObjectiveError(
                    f"unknown {option} {getattr(self, option)!r}; choose one of "
                    f"{', '.join(KIND_METRICS[kind])}"
                )
        if self.name is None:
            object.__setattr__(self, "name", self.spec)
        elif not isinstance(self.name, str) or not self.name:
            raise ObjectiveError(f"name must be a non-empty string, got {self.name!r}")

    # --- text forms -----------------------------------------------------------------

    @property
    def spec(self) -> str:
        """The string form: ``W*NAME(+W*NAME)*`` then ``;oov=...``/``;metric=...`` if not default."""
        text = "+".join(str(term) for term in self.terms)
        if self.oov != "drop":
            text += f";oov={self.oov}"
        if self.metric != "spearman":
            text += f";metric={self.metric}"
        for option, kind in _KIND_OPTIONS.items():
            if getattr(self, option) != KIND_METRICS[kind][0]:
                text += f";{option}={getattr(self, option)}"
        return text

    def metric_for(self, kind: str | None) -> str | None:
        """The result column this objective takes from a row of ``kind``.

        ``metric`` for word pairs (similarity, relatedness, mixed, or an unknown kind
        from a plug-in), the kind's chosen metric for classification, categorization
        and outlier sets, None for analogy sets (an objective does not combine them).

        Examples
        --------
        >>> objective = Objective.parse("1*mr-polarity+1*ap;task_metric=accuracy")
        >>> objective.metric_for("classification"), objective.metric_for("categorization")
        ('accuracy', 'purity')
        """
        for option, option_kind in _KIND_OPTIONS.items():
            if kind == option_kind:
                return getattr(self, option)
        return None if kind == "analogy" else self.metric

    def __str__(self) -> str:
        return self.spec

    def __repr__(self) -> str:
        named = "" if self.name == self.spec else f", name={self.name!r}"
        return f"Objective.parse({self.spec!r}){named}"

    def to_dict(self) -> dict[str, Any]:
        """``{"name", "terms": [{"weight", "goldset"}, ...], "oov", "metric"}``, plus
        ``task_metric``/``categorization_metric``/``outlier_metric`` when not the default."""
        data: dict[str, Any] = {
            "name": self.name,
            "terms": [{"weight": t.weight, "goldset": t.goldset} for t in self.terms],
            "oov": self.oov,
            "metric": self.metric,
        }
        for option, kind in _KIND_OPTIONS.items():
            if getattr(self, option) != KIND_METRICS[kind][0]:
                data[option] = getattr(self, option)
        return data

    def to_json(self, **dumps_options: Any) -> str:
        """The objective as JSON; :meth:`parse` reads it back (name included)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, **dumps_options)

    @classmethod
    def parse(cls, text: str | Mapping[str, Any] | Objective) -> Objective:
        """An objective from its string form, its JSON, a dict, or a predefined name.

        Raises
        ------
        ObjectiveError
            Naming the character (``position``) at fault and what was expected there.
        """
        if isinstance(text, Objective):
            return text
        if isinstance(text, Mapping):
            return cls.from_dict(text)
        if not isinstance(text, str):
            raise ObjectiveError(f"an objective is a string, JSON or a dict, got {type(text).__name__}")
        stripped = text.strip()
        if stripped.startswith("{"):
            return cls.from_dict(_load_json(text))
        if stripped in PREDEFINED:
            return cls.predefined(stripped)
        return _Parser(text).objective()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Objective:
        """An objective from its JSON object: ``{"terms": [{"weight", "goldset"}, ...], "oov", ...}``."""
        if not isinstance(data, Mapping):
            raise ObjectiveError(f"objective JSON must be an object, got {type(data).__name__}")
        unknown = sorted(set(data) - set(_JSON_KEYS))
        if unknown:
            raise ObjectiveError(
                f"unknown key(s) {unknown} in objective JSON; expected {', '.join(_JSON_KEYS)}"
            )
        terms = data.get("terms")
        if not isinstance(terms, list):
            raise ObjectiveError('objective JSON needs "terms": a list of {"weight": ..., "goldset": ...}')
        pairs = []
        for i, term in enumerate(terms):
            if not isinstance(term, Mapping) or set(term) != {"weight", "goldset"}:
                raise ObjectiveError(
                    f'term {i} of the objective JSON must be {{"weight": number, '
                    f'"goldset": name}}, got {term!r}'
                )
            pairs.append(Term(term["weight"], term["goldset"]))
        chosen = {option: data[option] for option in _KIND_OPTIONS if option in data}
        return cls(
            terms=tuple(pairs),
            oov=data.get("oov", "drop"),
            metric=data.get("metric", "spearman"),
            name=data.get("name"),
            **chosen,
        )

    @classmethod
    def predefined(cls, name: str) -> Objective:
        """A named objective; ``"mean_rho"`` is SageMaker BlazingText's.

        ``mean_rho``: equal weights on ``ws353``, ``ws353-rel`` and ``ws353-sim``
        (Agirre et al.'s split), Spearman, ``oov="drop"``; its value equals
        :func:`w2veval.mean_rho`.
        """
        try:
            return PREDEFINED[name]
        except (KeyError, TypeError):
            import difflib

            close = difflib.get_close_matches(str(name), list(PREDEFINED), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ObjectiveError(
                f"no predefined objective {name!r}{hint} Predefined: {', '.join(PREDEFINED)}"
            ) from None

    # --- evaluation ---------------------------------------------------------------------

    def evaluate(self, vectors: VectorsSource, **evaluate_options: Any) -> ObjectiveResult:
        """The objective's value for one vectors source.

        Parameters
        ----------
        vectors : source or WordVectors
            Anything :func:`w2veval.evaluate` takes, but one source.
        **evaluate_options
            Passed to :func:`w2veval.scoring.evaluate_rows` (``case_sensitive``,
            ``restrict_vocab``, ``format``, ``trust``, ...); the OOV policy and the
            gold sets are the objective's. p-values are skipped unless
            ``pvalues=True``.

        Returns
        -------
        ObjectiveResult
            NaN, with a warning naming the gold sets, when a score is undefined:
            under every OOV policy when no pair of a gold set has both words in the
            vocabulary, and under ``drop`` and ``coverage`` when fewer than two do.
            A NaN objective is an undefined result, never 0: ``w2veval tune`` records
            the trial as failed.
        """
        from .scoring import evaluate_rows

        for option in ("oov", "goldsets"):
            if option in evaluate_options:
                raise TypeError(
                    f"{option} is part of the objective ({self.spec!r}); write it into the objective instead"
                )
        evaluate_options.setdefault("pvalues", False)
        rows = evaluate_rows(vectors, [t.goldset for t in self.terms], oov=self.oov, **evaluate_options)
        if len(rows) != len(self.terms):
            raise ObjectiveError(
                f"Objective.evaluate scores one vectors source at a time; got "
                f"{len(rows) // len(self.terms)} sources"
            )
        metrics: list[str] = []
        for row in rows:
            metric = self.metric_for(row.get("kind"))
            if metric is None or (metric not in row and row.get("evaluator") != "word-pairs"):
                raise ObjectiveError(
                    f"{row['goldset']} is scored by the {row.get('evaluator')!r} evaluator, which gives "
                    f"no {metric or self.metric}; an objective combines word-pair correlations and the "
                    f"metrics of categorization, outlier and classification sets"
                )
            metrics.append(metric)
        scores = [float(row.get(metric, math.nan)) for row, metric in zip(rows, metrics, strict=True)]
        undefined = [
            (row, metric)
            for row, metric, score in zip(rows, metrics, scores, strict=True)
            if math.isnan(score)
        ]
        if undefined:
            detail = ", ".join(
                f"{row['goldset']} ({'' if metric == self.metric else metric + '; '}"
                f"{row['n_scored']} of {row['n_pairs']} "
                f"{_UNITS.get(row.get('kind'), 'pairs')} scored)"
                for row, metric in undefined
            )
            what = " or ".join(dict.fromkeys(metric for _, metric in undefined))
            warnings.warn(
                f"objective {self.name!r} is NaN: no defined {what} on {detail} "
                f"with oov={self.oov}; the vectors know too few words of these gold sets",
                UserWarning,
                stacklevel=2,
            )
            value = math.nan
        else:
            value = math.fsum(share * s for share, s in zip(self.shares, scores, strict=True))
        return ObjectiveResult(value=value, rows=rows, objective=self)


_UNITS: dict[str | None, str] = {
    "classification": "texts",
    "categorization": "words",
    "outlier": "tests",
    "analogy": "questions",
}


class _Parser:
    """Reads ``W*NAME(+W*NAME)*(;KEY=VALUE)*``, reporting the character at fault."""

    def __init__(self, text: str) -> None:
        self.text, self.pos = text, 0

    def fail(self, problem: str, at: int | None = None) -> NoReturn:
        at = self.pos if at is None else at
        raise ObjectiveError(f"cannot parse objective {self.text!r} at char {at}: {problem}", position=at)

    def found(self, at: int | None = None) -> str:
        at = self.pos if at is None else at
        return "the end" if at >= len(self.text) else repr(self.text[at])

    def skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def objective(self) -> Objective:
        terms: list[Term] = []
        where: dict[str, int] = {}
        while True:
            weight = self.weight()
            self.skip_space()
            if self.text[self.pos : self.pos + 1] != "*":
                self.fail(f"expected '*' after the weight {_format_weight(weight)}, found {self.found()}")
            self.pos += 1
            start, name = self.name()
            if name in where:
                self.fail(
                    f"the gold set {name!r} is already weighted at char {where[name]}; "
                    "give it one term with the sum of the weights",
                    start,
                )
            where[name] = start
            terms.append(Term(weight, name))
            if self.pos >= len(self.text):
                return Objective(terms=tuple(terms))
            if self.text[self.pos] == "+":
                self.pos += 1
                continue
            options = self.options()
            return Objective(terms=tuple(terms), **options)

    def weight(self) -> float:
        self.skip_space()
        match = _NUMBER.match(self.text, self.pos)
        if match is None:
            if self.text[self.pos : self.pos + 1] == "-":
                self.fail("weights must be positive, found '-'")
            rest = re.split(r"[+;]", self.text[self.pos :], maxsplit=1)[0].strip()
            hint = f" (write '1*{rest}' for weight 1)" if rest and "*" not in rest else ""
            self.fail(f"expected a weight (a positive number such as 0.5), found {self.found()}{hint}")
        value = float(match.group())
        if not math.isfinite(value) or value <= 0:
            self.fail(f"a weight must be positive and finite, got {match.group()}")
        self.pos = match.end()
        return value

    def name(self) -> tuple[int, str]:
        self.skip_space()
        start = self.pos
        end = start
        while end < len(self.text) and self.text[end] not in _FORBIDDEN:
            end += 1
        if end < len(self.text) and self.text[end] == "*":
            self.fail("a gold-set name cannot contain '*' (or is a '+' missing before the next weight?)", end)
        name = self.text[start:end].strip()
        if not name:
            self.fail(f"expected a gold-set name after '*', found {self.found(start)}", start)
        try:
            _check_goldset_name(name)
        except ObjectiveError as err:
            self.fail(err.message, start)
        self.pos = end
        return start, name

    def options(self) -> dict[str, str]:
        options: dict[str, str] = {}
        while self.pos < len(self.text):
            # At a ';': one KEY=VALUE up to the next ';' or the end.
            self.pos += 1
            start = self.pos
            end = self.text.find(";", start)
            end = len(self.text) if end < 0 else end
            segment = self.text[start:end]
            key, equals, value = segment.partition("=")
            key, value = key.strip(), value.strip()
            if not equals or not key:
                shown = repr(segment.strip()) if segment.strip() else self.found(start)
                self.fail(
                    f"expected an option KEY=VALUE ({', '.join(_OPTIONS)}) after ';', found {shown}", start
                )
            key_at = start + len(segment) - len(segment.lstrip())
            value_at = start + segment.index("=") + 1
            value_at += len(self.text[value_at:end]) - len(self.text[value_at:end].lstrip())
            if key not in _OPTIONS:
                self.fail(f"unknown option {key!r}; the options are {', '.join(_OPTIONS)}", key_at)
            if key in options:
                self.fail(f"the option {key!r} is given twice", key_at)
            allowed = (
                _policies()
                if key == "oov"
                else METRICS
                if key == "metric"
                else KIND_METRICS[_KIND_OPTIONS[key]]
            )
            if value not in allowed:
                what = "OOV policy" if key == "oov" else "metric" if key == "metric" else key
                self.fail(f"unknown {what} {value!r}; choose one of {', '.join(allowed)}", value_at)
            options[key] = value
            self.pos = end
        return options


PREDEFINED: dict[str, Objective] = {
    "mean_rho": Objective(
        terms=((1.0, "ws353"), (1.0, "ws353-rel"), (1.0, "ws353-sim")),
        oov="drop",
        metric="spearman",
        name="mean_rho",
    ),
}
"""Objectives known by name; see :meth:`Objective.predefined`."""


def predefined_names() -> list[str]:
    """The names :meth:`Objective.predefined` knows."""
    return list(PREDEFINED)
