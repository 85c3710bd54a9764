"""`GoldSet`: word pairs with human scores, plus what is known about where they came from."""

from __future__ import annotations

import hashlib
import operator
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import _duplicates, _parse
from ._parse import Where

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = ["KINDS", "GoldSet", "check_language"]

KINDS = ("similarity", "relatedness", "mixed")
"""The kinds of a word-pair gold set: what its human scores rate."""
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[a-z]{2,3})?")
_SHA256 = re.compile(r"[0-9a-f]{64}")
# ISO 639-2/639-3 codes of the languages that have an ISO 639-1 code (from Debian's
# iso-codes): "eng" is refused in favour of "en", while "yue" (Cantonese, no 639-1
# code) is accepted.
_ISO639_1_OF = dict(
    pair.split(":")
    for pair in """
aar:aa abk:ab afr:af aka:ak alb:sq amh:am ara:ar arg:an arm:hy asm:as ava:av ave:ae aym:ay aze:az bak:ba
bam:bm baq:eu bel:be ben:bn bih:bh bis:bi bod:bo bos:bs bre:br bul:bg bur:my cat:ca ces:cs cha:ch che:ce
chi:zh chu:cu chv:cv cor:kw cos:co cre:cr cym:cy cze:cs dan:da deu:de div:dv dut:nl dzo:dz ell:el eng:en
epo:eo est:et eus:eu ewe:ee fao:fo fas:fa fij:fj fin:fi fra:fr fre:fr fry:fy ful:ff geo:ka ger:de gla:gd
gle:ga glg:gl glv:gv gre:el grn:gn guj:gu hat:ht hau:ha hbs:sh heb:he her:hz hin:hi hmo:ho hrv:hr hun:hu
hye:hy ibo:ig ice:is ido:io iii:ii iku:iu ile:ie ina:ia ind:id ipk:ik isl:is ita:it jav:jv jpn:ja kal:kl
kan:kn kas:ks kat:ka kau:kr kaz:kk khm:km kik:ki kin:rw kir:ky kom:kv kon:kg kor:ko kua:kj kur:ku lao:lo
lat:la lav:lv lim:li lin:ln lit:lt ltz:lb lub:lu lug:lg mac:mk mah:mh mal:ml mao:mi mar:mr may:ms mkd:mk
mlg:mg mlt:mt mon:mn mri:mi msa:ms mya:my nau:na nav:nv nbl:nr nde:nd ndo:ng nep:ne nld:nl nno:nn nob:nb
nor:no nya:ny oci:oc oji:oj ori:or orm:om oss:os pan:pa per:fa pli:pi pol:pl por:pt pus:ps que:qu roh:rm
ron:ro rum:ro run:rn rus:ru sag:sg san:sa sin:si slk:sk slo:sk slv:sl sme:se smo:sm sna:sn snd:sd som:so
sot:st spa:es sqi:sq srd:sc srp:sr ssw:ss sun:su swa:sw swe:sv tah:ty tam:ta tat:tt tel:te tgk:tg tgl:tl
tha:th tib:bo tir:ti ton:to tsn:tn tso:ts tuk:tk tur:tr twi:tw uig:ug ukr:uk urd:ur uzb:uz ven:ve vie:vi
vol:vo wel:cy wln:wa wol:wo xho:xh yid:yi yor:yo zha:za zho:zh zul:zu""".split()
)


def check_language(code: object) -> str:
    """``code`` if it is a valid gold-set language, else a ``ValueError`` that says why.

    Valid: an ISO 639-1 code (``"en"``); an ISO 639-3 code for a language that has
    no 639-1 code (``"yue"``, Cantonese); two such codes joined by ``-`` for a
    cross-lingual set whose first word is in one language and second in the other
    (``"de-es"``).

    Examples
    --------
    >>> check_language("yue"), check_language("de-es")
    ('yue', 'de-es')
    >>> check_language("eng")
    Traceback (most recent call last):
    ...
    ValueError: language must be an ISO 639-1 code where one exists: use 'en', not 'eng'
    """
    if not isinstance(code, str) or not _LANGUAGE.fullmatch(code):
        raise ValueError(
            "language must be a lower-case ISO 639-1 code such as 'en' (ISO 639-3 such as "
            f"'yue' where no 639-1 code exists; 'de-es' for a cross-lingual set), got {code!r}"
        )
    for part in code.split("-"):
        if part in _ISO639_1_OF:
            raise ValueError(
                f"language must be an ISO 639-1 code where one exists: use "
                f"{code.replace(part, _ISO639_1_OF[part])!r}, not {code!r}"
            )
    return code


@dataclass(frozen=True, kw_only=True, repr=False)
class GoldSet:
    """Word pairs rated by people, with the metadata a result must carry.

    Instances are immutable and hashable: every sequence is a tuple. Build them with
    :meth:`from_file`, :meth:`from_pairs` or :meth:`from_frame` (which check the
    content and name the offending line), or get a built-in set with
    :func:`w2veval.goldsets.load`.

    Parameters
    ----------
    name : str
        Short identifier, e.g. ``"simlex999"``.
    word1, word2 : tuple of str
        The two words of each pair, exactly as written in the source.
    scores : tuple of float
        The human score of each pair; finite.
    lines : tuple of int, optional
        1-based source line (or record) of each pair, for messages. Defaults to
        ``1 .. n_pairs``.
    language : str, default "en"
        ISO 639-1 code of the words (ISO 639-3 where no 639-1 code exists, e.g.
        ``"yue"``; ``"de-es"`` for a cross-lingual set); see :func:`check_language`.
    kind : {"similarity", "relatedness", "mixed"}, default "mixed"
        What the raters were asked to judge.
    scale : tuple of (low, high), optional
        The score range of the rating instrument; every score lies within it.
    citation : str
        BibTeX or a plain reference.
    licence : str
        The licence as the source states it (``"none stated; ..."`` if it states none).
    source : str
        The file read, or a description of where in-memory pairs came from.
    sha256 : str or None
        Hex digest of the bytes of the file read; ``None`` for in-memory sets.
    illustrative : bool, default False
        True for sets written as examples rather than collected from raters.
    dropped_lines : tuple of int
        Source lines the reader dropped on request (e.g. ``bad_scores="drop"``);
        empty when every row was read.

    Examples
    --------
    >>> gs = GoldSet.from_pairs([("cat", "dog", 7.5), ("cat", "car", 1.0)], name="toy")
    >>> gs
    GoldSet('toy', 2 pairs, mixed, en)
    >>> len(gs), gs.pairs[0], sorted(gs.words)
    (2, ('cat', 'dog', 7.5), ['car', 'cat', 'dog'])
    """

    name: str
    word1: tuple[str, ...]
    word2: tuple[str, ...]
    scores: tuple[float, ...]
    lines: tuple[int, ...] = ()
    language: str = "en"
    kind: str = "mixed"
    scale: tuple[float, float] | None = None
    citation: str = ""
    licence: str = ""
    source: str = ""
    sha256: str | None = None
    illustrative: bool = False
    dropped_lines: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        setattr_ = object.__setattr__  # the documented way to normalise a frozen dataclass
        setattr_(self, "word1", tuple(self.word1))
        setattr_(self, "word2", tuple(self.word2))
        setattr_(self, "scores", tuple(map(float, self.scores)))
        n = len(self.scores)
        setattr_(self, "lines", tuple(self.lines) or tuple(range(1, n + 1)))
        setattr_(self, "dropped_lines", tuple(self.dropped_lines))
        if not (len(self.word1) == len(self.word2) == n == len(self.lines)):
            raise ValueError(
                f"word1, word2, scores and lines must have equal lengths, got "
                f"{len(self.word1)}, {len(self.word2)}, {n} and {len(self.lines)}"
            )
        if not isinstance(self.name, str) or not self.name:
            raise ValueError(f"name must be a non-empty string, got {self.name!r}")
        check_language(self.language)
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {self.kind!r}")
        if self.scale is not None:
            try:
                low, high = self.scale
                valid = float(low) < float(high)
            except (TypeError, ValueError):
                valid = False
            if not valid:
                raise ValueError(f"scale must be a (low, high) pair with low < high, got {self.scale!r}")
            setattr_(self, "scale", (low, high))
        if self.sha256 is not None and not _SHA256.fullmatch(self.sha256):
            raise ValueError(f"sha256 must be 64 lower-case hex digits or None, got {self.sha256!r}")
        _parse.check_pairs(
            self.word1,
            self.word2,
            self.scores,
            self.lines,
            Where(name=self.name, unit="pair"),
            duplicates="keep",
            scale=self.scale,
        )

    # --- views -------------------------------------------------------------------

    @property
    def n_pairs(self) -> int:
        """Number of pairs (rows), repeated pairs included."""
        return len(self.scores)

    def __len__(self) -> int:
        return len(self.scores)

    @property
    def pairs(self) -> list[tuple[str, str, float]]:
        """The ``(word1, word2, score)`` triples in source order."""
        return list(zip(self.word1, self.word2, self.scores, strict=True))

    @cached_property  # stored in the instance __dict__, which a frozen dataclass allows
    def words(self) -> frozenset[str]:
        """Every word that occurs in a pair."""
        return frozenset(self.word1) | frozenset(self.word2)

    def to_frame(self) -> pd.DataFrame:
        """The pairs as a :class:`pandas.DataFrame` with columns word1, word2, score.

        Examples
        --------
        >>> GoldSet.from_pairs([("cat", "dog", 7.5)], name="toy").to_frame()
          word1 word2  score
        0   cat   dog    7.5
        """
        import pandas as pd  # lazily: importing w2veval.goldsets must stay light

        return pd.DataFrame(
            {"word1": list(self.word1), "word2": list(self.word2), "score": list(self.scores)}
        )

    def split(
        self, test_size: float = 0.5, seed: int | np.random.SeedSequence = 0
    ) -> tuple[GoldSet, GoldSet]:
        """``(tune, heldout)`` parts stratified by score; see :func:`w2veval.goldsets._split.split`."""
        from ._split import split

        return split(self, test_size=test_size, seed=seed)

    def __repr__(self) -> str:
        scale = "" if self.scale is None else f", scale={self.scale!r}"
        extra = ", illustrative" if self.illustrative else ""
        n = self.n_pairs
        return (
            f"GoldSet({self.name!r}, {n} pair{'' if n == 1 else 's'}, {self.kind}, "
            f"{self.language}{scale}{extra})"
        )

    # --- constructors ------------------------------------------------------------

    @classmethod
    def from_file(
        cls,
        path: str | os.PathLike[str],
        *,
        name: str | None = None,
        language: str = "en",
        kind: str = "mixed",
        scale: tuple[float, float] | None = None,
        delimiter: str | None = None,
        header: bool | None = None,
        columns: Sequence[int] = (0, 1, 2),
        duplicates: str | None = None,
        encoding: str = "utf-8",
        citation: str = "",
        licence: str = "",
        illustrative: bool = False,
        where: Mapping[str, object] | None = None,
        strip_pos_suffix: bool = False,
        decimal_comma: bool | None = None,
        bad_scores: str = "error",
        known_bad_lines: Sequence[int] = (),
    ) -> GoldSet:
        """Read a CSV, TSV or space-separated file of ``word1 word2 score`` rows.

        LF, CRLF and CR-only line ends, a UTF-8 byte-order mark and a missing final
        newline are all accepted; U+0085, U+2028 and U+2029 do not end a line. Blank
        lines and lines whose first non-blank character is ``#`` are skipped; columns
        beyond those in ``columns`` are ignored. Cells may be quoted as the ``csv``
        module (pandas, spreadsheets) writes them: ``"plane","car",7.5``. Scores follow
        w2veval's number grammar (:mod:`w2veval._numbers`: ``7_5``, ``0x7`` and
        non-ASCII digits are not numbers). The file may be at most
        ``W2VEVAL_MAX_GOLDSET_BYTES`` (4 MiB) and a line ``W2VEVAL_MAX_LINE_BYTES``
        (1 MiB) long. The full rules are in ``docs/errors.md``.

        Parameters
        ----------
        path : str or os.PathLike
            The file.
        name : str, optional
            Defaults to the file name without its suffix.
        delimiter : str, optional
            ``"\\t"``, ``","``, ``";"``, or ``" "`` for runs of ASCII white space
            (other Unicode spaces such as NBSP never separate cells). By default it is
            detected from the first row: tab, then ``;``, then ``,`` if splitting at it
            gives enough cells, else white space.
        header : bool, optional
            Whether the first row (after comments) is a header. By default it is one
            when its score cell is a word: it starts with a letter and is neither a
            number nor a missing-value marker such as ``n/a`` (``score``,
            ``SimLex999``, ``Human (mean)``). A malformed number there (``7.5.1``,
            ``0x7``, ``7,5``) is an error, not a header. ``header=False`` makes a word
            there an error too.
        columns : (int, int, int), default (0, 1, 2)
            0-based columns of word1, word2 and the score; e.g. ``(0, 1, 3)`` for
            SimLex-999.txt, whose third column is the part of speech.
        duplicates : {"keep", "mean", "error"}, optional
            What to do with a pair that occurs twice, in the same or the reversed
            order. ``"keep"`` keeps every row silently (WS-353 keeps its 353 rows, as
            gensim and the catalog do). ``"mean"`` merges the rows of a pair (either
            order) into one pair with the mean score, at the line of its first row.
            ``"error"`` raises on a same-order repeat with a different score, naming
            both lines, and warns (:class:`DuplicatePairWarning`) about identical or
            reversed-order repeats, which published sets such as SimLex-999 list as
            separate items. By default a published file, recognised by its sha256 (a
            catalogued file, or a copy the catalog declares, such as BlazingText's
            ``EN-WS-353-ALL.txt``), is read with its catalog entry's policy, and any
            other file with ``"error"``. (``"warn"``, which warns about conflicts
            instead of raising, still works.)
        encoding : str, default "utf-8"
            The text encoding; a UTF-8 byte-order mark is dropped either way.
        where : mapping, optional
            ``{"column": 2, "equals": "N"}`` keeps only the rows whose cell in that
            0-based column equals the string (a subset such as SimLex-999's nouns);
            the other rows are skipped silently, since skipping them is the point.
        strip_pos_suffix : bool, default False
            Remove the part-of-speech suffix ``-n``, ``-v`` or ``-j`` that MEN's lemma
            form puts on every word (``sun-n`` -> ``sun``); a word without one is an error.
        decimal_comma : bool, optional
            ``True`` reads scores written with a decimal comma (``0,58``; a score with
            a ``.`` is then an error); with the ``,`` delimiter such scores must be
            quoted. By default scores have decimal points, and a ``,``-separated row
            whose score looks cut at a decimal comma (``plane,car,7,5``: an integer
            followed by a cell of digits) is an error unless a header row names as
            many columns as the row has; ``False`` reads such rows as two columns.
        bad_scores : {"error", "drop"}, default "error"
            What to do with a row whose score is not a finite number. ``"drop"`` drops
            such rows, records their lines in :attr:`dropped_lines` and emits one
            :class:`DroppedRowsWarning` that counts them and names
            each line (FinnSim-300 has 8 scores a spreadsheet turned into dates).
        known_bad_lines : sequence of int, optional
            Lines whose scores are known not to be numbers, as a catalog entry declares
            them (FinnSim-300's dates): dropped silently and recorded in
            :attr:`dropped_lines`. A listed line with a valid score is an error (the
            file is not the declared one); other bad scores follow ``bad_scores``.
        language, kind, scale, citation, licence, illustrative
            Stored on the result; see :class:`GoldSet`. With ``scale`` every score
            must lie within it.

        Raises
        ------
        GoldSetNotFoundError
            If ``path`` does not exist.
        GoldSetFormatError
            With path and line: no pairs, too few columns, malformed quoting, a
            score that is not a finite number or looks cut at a decimal comma, an
            empty word or one holding a non-ASCII space or control character, a
            conflicting duplicate, a score outside ``scale``, bytes not valid in
            ``encoding``, a NUL byte, a line over the line limit; with path only: a
            file over the size limit, a UTF-16 or UTF-32 file read as another
            encoding.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     path = pathlib.Path(tmp, "pets.csv")
        ...     _ = path.write_bytes(b"\\xef\\xbb\\xbfword1,word2,score\\r\\ncat,dog,7.5\\r\\ncat,car,1")
        ...     gs = GoldSet.from_file(path, scale=(0, 10))
        >>> gs.name, gs.pairs, gs.lines
        ('pets', [('cat', 'dog', 7.5), ('cat', 'car', 1.0)], (2, 3))
        """
        text, data = _parse.read_file(path, encoding)
        columns = _check_columns(columns)
        keep = _parse.row_filter(where)
        if delimiter is not None and (not isinstance(delimiter, str) or not delimiter):
            raise ValueError(f"delimiter must be None or a non-empty string, got {delimiter!r}")
        detect = delimiter is None
        if delimiter is not None and set(delimiter) == {" "}:
            delimiter = None  # spaces mean runs of whitespace, as in MEN
        origin = Where(path)
        parsed = _parse.parse_rows(
            text,
            origin,
            delimiter=delimiter,
            header=header,
            columns=columns,
            detect=detect,
            keep=keep,
            pos_suffix=strip_pos_suffix,
            decimal_comma=decimal_comma,
            bad_scores=bad_scores,
            known_bad=frozenset(known_bad_lines),
        )
        w1, w2, scores, lines, dropped = parsed
        sha256 = hashlib.sha256(data).hexdigest()
        duplicates, rule = _duplicates.resolve(duplicates, sha256)
        _parse.check_pairs(w1, w2, scores, lines, origin, duplicates=duplicates, scale=scale, rule=rule)
        if duplicates == "mean":
            w1, w2, scores, lines = _duplicates.merge_mean(w1, w2, scores, lines)
        _parse.warn_dropped(origin, _parse.unexpected_drops(origin, dropped, known_bad_lines))
        return cls(
            name=Path(path).stem if name is None else name,
            word1=tuple(w1),
            word2=tuple(w2),
            scores=tuple(scores),
            lines=tuple(lines),
            language=language,
            kind=kind,
            scale=scale,
            citation=citation,
            licence=licence,
            source=os.fspath(path),
            sha256=sha256,
            illustrative=illustrative,
            dropped_lines=tuple(line for line, _ in dropped),
        )

    @classmethod
    def from_pairs(
        cls,
        pairs: Iterable[tuple[str, str, float]],
        *,
        name: str,
        duplicates: str = "error",
        source: str = "",
        **metadata: Any,
    ) -> GoldSet:
        """Build a gold set from ``(word1, word2, score)`` triples.

        Checked like :meth:`from_file`; messages name the 1-based pair number.
        ``metadata`` (language, kind, scale, citation, licence, illustrative) is
        stored on the result.

        Examples
        --------
        >>> GoldSet.from_pairs([("car", "automobile", 9)], name="toy", kind="similarity")
        GoldSet('toy', 1 pair, similarity, en)
        >>> GoldSet.from_pairs([("car", "automobile", "9")], name="toy")
        Traceback (most recent call last):
        ...
        w2veval.errors.GoldSetFormatError: gold set 'toy', pair 1: score '9' is not a number
        """
        where = Where(name=name, unit="pair")

        def triples() -> Iterator[tuple[object, object, object]]:
            for i, item in enumerate(pairs, 1):
                try:
                    a, b, score = item
                except (TypeError, ValueError):
                    raise where.error(f"{item!r} is not a (word1, word2, score) triple", i) from None
                yield a, b, score

        return cls._from_triples(
            triples(), where, name=name, duplicates=duplicates, source=source or "<pairs>", metadata=metadata
        )

    @classmethod
    def _from_triples(
        cls,
        triples: Iterable[tuple[object, object, object]],
        where: Where,
        *,
        name: str,
        duplicates: str,
        source: str,
        metadata: Mapping[str, Any],
    ) -> GoldSet:
        """Check and collect ``(word1, word2, score)`` values; positions count from 1."""
        w1: list[str] = []
        w2: list[str] = []
        scores: list[float] = []
        for i, (a, b, score) in enumerate(triples, 1):
            w1.append(_parse.coerce_word(a, where, i))
            w2.append(_parse.coerce_word(b, where, i))
            scores.append(_parse.coerce_score(score, where, i))
        lines = list(range(1, len(scores) + 1))
        _parse.check_pairs(w1, w2, scores, lines, where, duplicates=duplicates, scale=metadata.get("scale"))
        if duplicates == "mean":
            w1, w2, scores, lines = _duplicates.merge_mean(w1, w2, scores, lines)
        return cls(
            name=name,
            word1=tuple(w1),
            word2=tuple(w2),
            scores=tuple(scores),
            lines=tuple(lines),
            source=source,
            **metadata,
        )

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        *,
        name: str,
        word1: str = "word1",
        word2: str = "word2",
        score: str = "score",
        duplicates: str = "error",
        source: str = "",
        **metadata: Any,
    ) -> GoldSet:
        """Build a gold set from three columns of a :class:`pandas.DataFrame`.

        Checked like :meth:`from_pairs`; messages name the 1-based row position.

        Examples
        --------
        >>> import pandas as pd
        >>> df = pd.DataFrame({"a": ["cat"], "b": ["dog"], "sim": [7.5]})
        >>> GoldSet.from_frame(df, name="toy", word1="a", word2="b", score="sim").pairs
        [('cat', 'dog', 7.5)]
        """
        where = Where(name=name, unit="row")
        missing = [c for c in (word1, word2, score) if c not in frame.columns]
        if missing:
            raise where.error(
                f"no column(s) {missing} in the frame; it has {list(frame.columns)}; "
                "pass word1=..., word2=..., score=... to name the right ones"
            )
        rows = zip(frame[word1].tolist(), frame[word2].tolist(), frame[score].tolist(), strict=True)
        return cls._from_triples(
            rows, where, name=name, duplicates=duplicates, source=source or "<DataFrame>", metadata=metadata
        )


def _check_columns(columns: Sequence[int]) -> tuple[int, int, int]:
    try:
        cols = tuple(operator.index(c) for c in columns if not isinstance(c, bool))
    except TypeError:
        cols = ()
    if len(cols) != 3 or len(set(cols)) != 3 or min(cols) < 0 or len(columns) != 3:
        raise ValueError(
            f"columns must be three distinct 0-based column numbers (word1, word2, score), got {columns!r}"
        )
    return cols
