"""Labelled-text task files (w2veval/goldsets/_taskfile.py, _kinds.py): the polarity and SMS
sets against independent readings and ../shared/tasks/SOURCES.md, the three layouts, encodings,
detection and prefixes in load(), import through the CLI, and hypothesis properties."""

from __future__ import annotations

import csv
import json
import string
import warnings
from collections import Counter

import pytest
from _outcomes import value_or_error
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from w2veval import goldsets
from w2veval.errors import GoldSetFormatError, GoldSetNotFoundError
from w2veval.goldsets import TextTask
from w2veval.goldsets._kinds import detect_kind
from w2veval.goldsets._taskfile import HeaderLineWarning, label_of_file, read_task

POS, NEG, SMS = "mr-polarity/rt-polarity.pos", "mr-polarity/rt-polarity.neg", "sms-spam/SMSSpamCollection"


def _byte_lines(path):
    """Independent reading: the file's bytes split at b"\\n", without the final empty piece."""
    pieces = path.read_bytes().split(b"\n")
    assert pieces[-1] == b""
    return pieces[:-1]


@pytest.fixture(scope="module")
def polarity(shared_tasks):
    return read_task([shared_tasks / POS, shared_tasks / NEG], encoding="cp1252")


def test_polarity_has_5331_texts_per_label_kept_verbatim(polarity, shared_tasks):
    pos, neg = _byte_lines(shared_tasks / POS), _byte_lines(shared_tasks / NEG)
    assert len(pos) == len(neg) == 5331 and len(polarity) == 10662
    assert Counter(polarity.labels) == {"pos": 5331, "neg": 5331}
    assert list(polarity.texts) == [b.decode("cp1252") for b in pos + neg]
    assert polarity.sha256 == goldsets.entry("mr-polarity").files[0].sha256


def test_polarity_windows_1252_bytes_are_punctuation(polarity, shared_tasks):
    data = (shared_tasks / POS).read_bytes() + (shared_tasks / NEG).read_bytes()
    high = {b for b in data if 0x80 <= b <= 0x9F}
    assert high == {0x85, 0x91, 0x96, 0x97}  # ellipsis, left single quote, en and em dash
    text = "".join(polarity.texts)
    assert text.count("\u2026") == data.count(b"\x85") and "\x85" not in text
    assert text.count("\u2014") == data.count(b"\x97")
    # Latin-1 would decode 0x85 as NEL (U+0085); the line count must not change (no splitlines)
    latin = read_task([shared_tasks / POS, shared_tasks / NEG], encoding="latin-1")
    assert len(latin) == 10662 and "\x85" in "".join(latin.texts)


def test_polarity_as_utf8_fails_naming_file_line_and_the_option(shared_tasks):
    with pytest.raises(GoldSetFormatError) as caught:
        read_task([shared_tasks / POS, shared_tasks / NEG])
    lines = _byte_lines(shared_tasks / POS)
    first_bad = next(i for i, b in enumerate(lines, 1) if any(x >= 0x80 for x in b))
    assert caught.value.path == str(shared_tasks / POS) and caught.value.line == first_bad
    assert "encoding" in str(caught.value)


def test_sms_spam_header_counts_and_tabs(shared_tasks):
    path = shared_tasks / SMS
    lines = [b.decode("utf-8") for b in _byte_lines(path)]
    assert lines[0] == "Label\tSMS"
    rows = [line.split("\t", 1) for line in lines[1:]]
    got = read_task(path, label_column="Label", text_column="SMS")
    assert len(got) == 5574 and Counter(got.labels) == {"ham": 4827, "spam": 747}  # SOURCES.md
    assert list(zip(got.labels, got.texts, strict=True)) == [tuple(r) for r in rows]
    # without naming the columns, the header line is recognised (a label used once) and said so
    with pytest.warns(HeaderLineWarning, match="line 1"):
        plain = read_task(path)
    assert plain.texts == got.texts


def test_catalogued_tasks_load_after_a_cli_import(tmp_path, shared_tasks, w2veval_cli, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("W2VEVAL_HOME", str(home))
    done = w2veval_cli("goldsets", "import", shared_tasks)
    assert done.returncode == 0, done.stderr
    assert "complete (2): mr-polarity, sms-spam" in done.stdout
    rows = {r["name"]: r for r in json.loads(w2veval_cli("goldsets", "list", "--format", "json").stdout)}
    assert rows["mr-polarity"]["installed"] and rows["sms-spam"]["installed"]
    assert rows["mr-polarity"]["kind"] == "classification" and rows["sms-spam"]["n_pairs"] == 5574
    assert not rows["ap"]["installed"]
    goldsets._read_catalogued.cache_clear()
    task = goldsets.load("mr-polarity")
    assert isinstance(task, TextTask) and len(task) == 10662 and task.classes == ("neg", "pos")
    assert [t.name for t in goldsets.resolve("kind:classification")] == ["mr-polarity", "sms-spam"]
    cited = w2veval_cli("goldsets", "cite", "mr-polarity", "sms-spam", "ap", "8-8-8")
    assert cited.returncode == 0 and cited.stdout.count("\n@") + cited.stdout.startswith("@") == 4
    assert "pang2005seeing" in cited.stdout and "almeida2011contributions" in cited.stdout
    shown = w2veval_cli("goldsets", "show", "sms-spam")
    assert shown.returncode == 0 and "Label<TAB>SMS" in shown.stdout
    refused = w2veval_cli("goldsets", "validate", "mr-polarity")
    assert refused.returncode == 2 and "word-pair gold sets" in refused.stderr
    assert "Traceback" not in refused.stderr and len(refused.stderr.strip().splitlines()) == 1


def test_lang_tags_keep_selecting_word_pair_sets_only(monkeypatch):
    monkeypatch.setattr(goldsets, "installed_names", goldsets.names)  # as if everything were installed
    english_pairs = sorted(
        n
        for n, e in goldsets.catalog().items()
        if e.language == "en" and e.kind in ("similarity", "relatedness", "mixed")
    )
    assert goldsets._tagged("lang:en") == english_pairs
    assert not {"ap", "8-8-8", "mr-polarity", "google-analogy"} & set(english_pairs)
    assert goldsets._tagged("kind:categorization") == ["ap", "battig", "bless-categories", "essli-2008"]
    assert goldsets._tagged("kind:outlier") == ["8-8-8", "wikisem500"]
    assert goldsets._tagged("kind:classification") == ["mr-polarity", "sms-spam"]


def test_label_of_file():
    assert label_of_file("rt-polarity.pos") == "pos" and label_of_file("x/spam.txt") == "spam"
    assert label_of_file("ham") == "ham" and label_of_file("a.b.neg") == "neg"


def test_user_layouts_and_detection(tmp_path):
    raw = tmp_path / "raw.tsv"
    raw.write_text(
        "spam\tWIN money now\r\nham\tsee you at lunch, ok?\r\nham\ttabs\tinside\r\n", encoding="utf-8"
    )
    named = tmp_path / "named.tsv"
    named.write_text("id\tText\tLabel\n1\tWIN money now\tspam\n2\tsee you\tham\n", encoding="utf-8")
    comma = tmp_path / "named.csv"
    comma.write_text('label,text\nspam,"WIN, money ""now"""\nham,see you\n', encoding="utf-8")
    assert read_task(raw).texts == ("WIN money now", "see you at lunch, ok?", "tabs\tinside")
    assert read_task(named).texts == ("WIN money now", "see you")
    assert read_task(comma).texts == ('WIN, money "now"', "see you")
    assert [detect_kind(p) for p in (raw, named, comma)] == ["pairs", "classification", "classification"]
    assert goldsets.load(named).labels == ("spam", "ham")
    assert goldsets.load(f"task:{raw}").labels == ("spam", "ham", "ham")
    with pytest.raises(GoldSetFormatError) as caught:
        goldsets.load(str(raw))
    assert f"write task:{raw}" in str(caught.value) and caught.value.path == str(raw)
    latin = tmp_path / "latin.tsv"
    latin.write_bytes("pos\tcaf\u00e9 cr\u00e8me\nneg\tna\u00efve\n".encode("latin-1"))
    assert goldsets.load(f"task:{latin}", encoding="latin-1").texts == ("caf\u00e9 cr\u00e8me", "na\u00efve")
    with pytest.raises(GoldSetFormatError, match="encoding") as caught:
        goldsets.load(f"task:{latin}")
    assert caught.value.line == 1
    with pytest.raises(GoldSetNotFoundError, match="no file"):
        goldsets.load(f"task:{tmp_path / 'missing.tsv'}")


@pytest.mark.parametrize(
    "text, line, fragment",
    [
        ("spam\tbuy\nham see you\n", 2, "no TAB"),
        ("spam\tbuy\n\tsee you\n", 2, "empty label"),
        ("spam\tbuy\nham\t  \n", 2, "empty text"),
        ("spam\tbuy\n\nham\tsee\n", 2, "blank line"),
        ("spam\tbuy\nspam\tsee\n", None, "at least two labels"),
        ("label\ttext\nspam\tbuy\tmore\textra\nham\tx\n", None, None),  # text last: TABs kept in it
        ("text\tlabel\nbuy\tspam\textra\nx\tham\n", 2, "expected 2 TAB-separated"),
        ('label,text\nspam,"buy\n', 2, "CSV quoting error"),
        ("", None, "the file is empty"),
    ],
)
def test_malformed_task_files_name_the_line(tmp_path, text, line, fragment):
    path = tmp_path / "bad.tsv"
    path.write_text(text, encoding="utf-8")
    if fragment is None:
        assert read_task(path).texts == ("buy\tmore\textra", "x")
        return
    with pytest.raises(GoldSetFormatError) as caught:
        read_task(path)
    assert caught.value.line == line and caught.value.path == str(path) and fragment in str(caught.value)


def test_file_per_label_errors(tmp_path):
    good, blank = tmp_path / "a.pos", tmp_path / "b.neg"
    good.write_text("fine film\n", encoding="utf-8")
    blank.write_text("bad film\n \nworse\n", encoding="utf-8")
    with pytest.raises(GoldSetFormatError) as caught:
        read_task([good, blank])
    assert (caught.value.path, caught.value.line) == (str(blank), 2)
    task = read_task({"good": good, "bad": tmp_path / "a.pos"})
    assert task.labels == ("good", "bad")


# --- hypothesis -----------------------------------------------------------------------------

_label = st.text(alphabet=string.ascii_letters + string.digits + "_-", min_size=1, max_size=8).filter(
    lambda s: s.lower() not in ("label", "labels", "class", "category", "target", "y")
)
_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r\x00"),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.tuples(_label, _text), min_size=2, max_size=10).filter(
        lambda rows: len({r[0] for r in rows}) >= 2
    ),
    layout=st.sampled_from(["raw", "tsv", "csv", "files"]),
    crlf=st.booleans(),
)
def test_round_trip_of_each_layout(tmp_path, rows, layout, crlf):
    end = "\r\n" if crlf else "\n"
    if layout == "raw":
        path = tmp_path / "raw.txt"
        path.write_text("".join(f"{lab}\t{txt}{end}" for lab, txt in rows), encoding="utf-8", newline="")
        with warnings.catch_warnings():
            warnings.simplefilter("error", HeaderLineWarning)  # no generated label names a column
            got = read_task(path, header=False)
    elif layout == "tsv":
        path = tmp_path / "t.tsv"
        path.write_text(
            "text\tlabel" + end + "".join(f"{t.replace(chr(9), ' ')}\t{lab}{end}" for lab, t in rows),
            encoding="utf-8",
            newline="",
        )
        rows = [(lab, t.replace("\t", " ")) for lab, t in rows]
        got = read_task(path)
    elif layout == "csv":
        path = tmp_path / "t.csv"
        with open(path, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh, lineterminator=end)
            w.writerow(["label", "text"])
            w.writerows(rows)
        got = read_task(path)
    else:
        by_label = {}
        for lab, t in rows:
            by_label.setdefault(lab, []).append(t)
        paths = []
        for i, (lab, texts) in enumerate(by_label.items()):
            paths.append(tmp_path / f"f{i}.{lab}")
            paths[-1].write_text("".join(t + end for t in texts), encoding="utf-8", newline="")
        rows = [(lab, t) for lab, texts in by_label.items() for t in texts]
        got = read_task(paths, labels=list(by_label))
    assert list(zip(got.labels, got.texts, strict=True)) == rows


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=120), encoding=st.sampled_from(["utf-8", "cp1252", "latin-1"]))
def test_arbitrary_bytes_read_or_raise_a_located_format_error(tmp_path, data, encoding):
    path = tmp_path / "any.tsv"
    path.write_bytes(data)
    got, exc = value_or_error(read_task, path, encoding=encoding, header=False, catching=GoldSetFormatError)
    if exc is not None:
        assert exc.path == str(path)
        whole_file = ("labels", "the file is empty", "the file is UTF-")  # no one line to name
        assert exc.line is not None or any(w in exc.message for w in whole_file), exc.message
    else:
        assert len(set(got.labels)) >= 2 and all(t.strip() for t in got.texts)


@pytest.mark.parametrize(
    "content",
    [
        "label\ttext\nspam\tbuy now\nspam \twin cash\nham\tsee you\nham\tcall me\n",
        "spam\tbuy now\n spam\twin cash\nham\tsee you\nham \tcall me\n",
    ],
)
def test_a_space_around_a_label_does_not_make_another_class(tmp_path, content):
    path = tmp_path / "t.tsv"
    path.write_text(content, encoding="utf-8")
    task = goldsets.load(f"task:{path}")
    assert task.classes == ("ham", "spam")
    assert task.labels == ("spam", "spam", "ham", "ham")
