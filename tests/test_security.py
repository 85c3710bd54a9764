"""What w2veval refuses to trust (docs/security.md): pickles, hostile archives, code in files.

A gensim ``.kv``/``.model`` file is a pickle, and unpickling runs whatever the file says.
The pickles below create a marker file when unpickled, so "never unpickled" is checked
directly: the marker must not appear. The positive control (gensim unpickling it with
``trust=True``) shows the marker does appear when a pickle is loaded.
"""

from __future__ import annotations

import ast
import io
import json
import os
import pickle
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from w2veval.errors import UntrustedPickleError, VectorFormatError, VectorSourceError
from w2veval.io import load_vectors

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "w2veval"
BAD = Path(__file__).parent / "corpus" / "bad"


class _Payload:
    """Unpickling this opens (creates) ``path``: a harmless stand-in for arbitrary code."""

    def __init__(self, path: Path):
        self.path = str(path)

    def __reduce__(self):
        return (open, (self.path, "w"))


def evil_pickle(marker: Path) -> bytes:
    data = pickle.dumps(_Payload(marker), protocol=4)
    assert data[0] == 0x80 and not marker.exists()
    return data


def tar_gz(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


@pytest.fixture(scope="module")
def pickles(tmp_path_factory, w2v_model):
    """gensim's own native files, as users have them."""
    folder = tmp_path_factory.mktemp("pickles")
    w2v_model.save(str(folder / "w2v.model"))
    w2v_model.wv.save(str(folder / "w2v.kv"))
    w2v_model.wv.save(str(folder / "w2v.kv.gz"))  # gensim compresses by the name
    return folder


# -- pickles -------------------------------------------------------------------------------------


def test_the_marker_appears_when_a_pickle_is_trusted(tmp_path):
    """Positive control: with trust=True gensim unpickles, the payload runs (then w2veval
    refuses what came out, which is no KeyedVectors)."""
    marker = tmp_path / "ran"
    path = tmp_path / "evil.kv"
    path.write_bytes(evil_pickle(marker))
    with pytest.raises(VectorFormatError, match="not a valid gensim file"):
        load_vectors(path, trust=True)
    assert marker.exists()


@pytest.mark.parametrize("fmt", ["auto", "gensim"])
@pytest.mark.parametrize("wrap", ["plain", "gzip", "model.tar.gz"])
def test_a_local_pickle_is_never_unpickled_without_trust(tmp_path, fmt, wrap):
    import gzip

    marker = tmp_path / "ran"
    data = evil_pickle(marker)
    if wrap == "gzip":
        path, data = tmp_path / "evil.kv.gz", gzip.compress(data)
    elif wrap == "model.tar.gz":
        path, data = tmp_path / "model.tar.gz", tar_gz({"vectors.txt": data})
    else:
        path = tmp_path / "vectors.txt"  # the name says text; the content decides
    path.write_bytes(data)
    with pytest.raises(UntrustedPickleError) as info:
        load_vectors(path, format=fmt)
    assert str(info.value).startswith(str(path))
    assert "trust=True" in str(info.value) and "save_word2vec_format" in str(info.value)
    assert not marker.exists()


def test_the_streaming_mean_and_evaluate_refuse_pickles_too(tmp_path):
    from w2veval import evaluate
    from w2veval.io._mean import mean_vector

    marker = tmp_path / "ran"
    path = tmp_path / "vectors.kv"
    path.write_bytes(evil_pickle(marker))
    with pytest.raises(UntrustedPickleError):
        mean_vector(path)
    with pytest.raises(UntrustedPickleError):
        evaluate(path, "ws353", oov="mean")
    assert not marker.exists()


def test_a_pickle_inside_an_archive_is_not_unpickled_even_with_trust(tmp_path):
    marker = tmp_path / "ran"
    path = tmp_path / "model.tar.gz"
    path.write_bytes(tar_gz({"vectors.txt": evil_pickle(marker)}))
    with pytest.raises(VectorSourceError, match="only from an uncompressed local path") as info:
        load_vectors(path, trust=True)
    assert str(info.value).startswith(f"{path}[vectors.txt]")
    assert not marker.exists()


def test_gensims_own_files_are_refused_on_the_command_line(pickles, w2veval_cli):
    for name in ("w2v.model", "w2v.kv", "w2v.kv.gz"):
        done = w2veval_cli("score", pickles / name, "-g", "ws353", "--no-progress")
        assert done.returncode == 2 and done.stdout == ""
        assert done.stderr.startswith(f"w2veval: error: {pickles / name}: this is a gensim native file")
        assert "--trust" in done.stderr and done.stderr.count("\n") == 1


@pytest.mark.parametrize("trust", [False, True])
def test_pickles_from_s3_are_never_unpickled(bucket, pickles, tmp_path, trust):
    client, name = bucket
    marker = tmp_path / "ran"
    objects = {key: (pickles / key).read_bytes() for key in ("w2v.model", "w2v.kv", "w2v.kv.gz")}
    objects["evil.kv"] = evil_pickle(marker)
    objects["job-1/output/model.tar.gz"] = tar_gz({"vectors.txt": evil_pickle(marker)})
    for key, data in objects.items():
        client.put_object(Bucket=name, Key=key, Body=data)
        url = f"s3://{name}/{key}"
        expected = (
            (VectorSourceError, "only from an uncompressed local path")
            if trust
            else (UntrustedPickleError, "trust=True")
        )
        with pytest.raises(expected[0], match=expected[1]) as info:
            load_vectors(url, trust=trust)
        assert str(info.value).startswith(url)
    assert not marker.exists()


# -- hostile archives (the bad-input corpus) from S3 and in the SageMaker job ----------------------

HOSTILE = {
    "dotdot.tar.gz": "'..' path component",
    "absolute.tar.gz": "absolute path",
    "symlink.tar.gz": "symbolic link",
    "hardlink.tar.gz": "hard link",
    "device.tar.gz": "device",
    "huge_member.tar.gz": "above the",
}


def test_hostile_archives_from_s3_are_refused_without_extracting(bucket, tmp_path, monkeypatch):
    client, name = bucket
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)  # where a careless extraction would write
    for archive, problem in HOSTILE.items():
        client.upload_file(str(BAD / archive), name, f"models/{archive}")
        url = f"s3://{name}/models/{archive}"
        with pytest.raises(VectorFormatError, match=problem) as info:
            load_vectors(url)
        assert str(info.value).startswith(url)
    assert list(cwd.iterdir()) == [] and not (tmp_path / "vectors.txt").exists()  # dotdot's target
    assert not Path("/tmp/w2veval-corpus").exists()  # absolute.tar.gz's target


def _job_tree(root: Path, model: dict[str, bytes]) -> Path:
    (root / "input" / "config").mkdir(parents=True)
    (root / "input" / "config" / "hyperparameters.json").write_text(
        json.dumps({"evaluation": "false", "objective": "1*ws353"})
    )
    channel = root / "input" / "data" / "model"
    channel.mkdir(parents=True)
    for name, data in model.items():
        (channel / name).write_bytes(data)
    return root


@pytest.mark.parametrize("case", ["pickle", "dotdot", "symlink"])
def test_the_sagemaker_job_never_trusts_its_model_channel(tmp_path, case):
    marker = tmp_path / "ran"
    model = {
        "pickle": tar_gz({"vectors.txt": evil_pickle(marker)}),
        "dotdot": (BAD / "dotdot.tar.gz").read_bytes(),
        "symlink": (BAD / "symlink.tar.gz").read_bytes(),
    }[case]
    root = _job_tree(tmp_path / "ml", {"model.tar.gz": model})
    proc = subprocess.run(
        [sys.executable, "-m", "w2veval.sagemaker.job", "train", "--ml-root", str(root)],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ, W2VEVAL_HOME=str(tmp_path / "home")),
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    failure = (root / "output" / "failure").read_text(encoding="utf-8")
    expected = {"pickle": "is a Python pickle", "dotdot": "'..' path component", "symlink": "symbolic link"}[
        case
    ]
    assert expected in failure and failure.count("\n") == 1
    assert not marker.exists()
    assert not (root / "model").exists()  # nothing extracted or written
    assert sorted(p.name for p in (root / "input" / "data").iterdir()) == ["model"]
    assert not (root / "input" / "data" / "vectors.txt").exists()


# -- gold-set archives from catalogued URLs --------------------------------------------------------


def test_a_goldset_archive_with_dotdot_names_is_not_extracted(shared_goldsets, tmp_path, monkeypatch):
    from _catalog_files import MC30, entry, real_file
    from _http import LocalServer, serve_bytes

    from w2veval.goldsets._fetch import DownloadError, fetch

    home = tmp_path / "home"
    monkeypatch.setenv("W2VEVAL_HOME", str(home))
    monkeypatch.delenv("W2VEVAL_MIRROR", raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    data = (shared_goldsets / MC30).read_bytes()
    archive = tar_gz({"mc/EN-MC-30.txt": data, "mc/EN-MC-30.txt.d/../EN-MC-30.txt.x": b"x"})
    with LocalServer() as server:
        url = server.add("/mc.tar.gz", serve_bytes(archive))
        with pytest.raises(DownloadError) as info:
            fetch(entry("mc30", real_file(shared_goldsets, MC30, urls=(url,), member="mc/EN-MC-30.txt")))
    assert "include absolute or '..' paths; not extracted" in str(info.value)
    # fetch checks first that the cache can be written (which makes its folder); no file lands.
    assert sorted(str(p.relative_to(home)) for p in home.rglob("*") if not p.is_dir()) == []


# -- no code from files: a scan of the package's source --------------------------------------------

#: Calls that run code or unpickle, by the dotted name they are called through.
_FORBIDDEN_CALLS = {
    "eval",
    "exec",
    "compile",
    "os.system",
    "os.popen",
    "os.execv",
    "os.execvp",
    "os.spawnl",
    "pickle.load",
    "pickle.loads",
    "pickle.Unpickler",
    "marshal.load",
    "marshal.loads",
    "shelve.open",
    "dill.load",
    "dill.loads",
    "cloudpickle.load",
    "cloudpickle.loads",
    "joblib.load",
    "torch.load",
    "yaml.load",
    "yaml.unsafe_load",
    "pandas.read_pickle",
    "pd.read_pickle",
    "gensim.utils.unpickle",
    "utils.unpickle",
    "np.load",
    "numpy.load",
}
#: Importing by a name computed at run time could import what a file names.
_IMPORTERS = {"__import__", "importlib.import_module", "import_module"}
_FORBIDDEN_MODULES = {"pickle", "marshal", "shelve", "dill", "cloudpickle", "joblib"}
#: gensim loaders that unpickle: allowed only in the one trusted path.
_GENSIM_LOADERS = {"KeyedVectors", "Word2Vec", "FastText", "Doc2Vec", "SaveLoad"}
TRUSTED = ("w2veval/io/_gensim.py", "load_pickle")


def _dotted(node) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return "?"


def _scan(source: str, relative: str) -> list[tuple[int, str]]:
    """``(line, what)`` for each forbidden thing in ``source`` (a file of the package)."""
    tree = ast.parse(source, filename=relative)
    functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]

    def enclosing(node) -> str:
        inner = [f for f in functions if f.lineno <= node.lineno <= f.end_lineno]
        return max(inner, key=lambda f: f.lineno).name if inner else "<module>"

    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [
                (node.lineno, f"import {a.name}")
                for a in node.names
                if a.name.split(".")[0] in _FORBIDDEN_MODULES
            ]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in _FORBIDDEN_MODULES:
            found.append((node.lineno, f"from {node.module} import ..."))
        elif (
            isinstance(node, ast.Attribute)
            and node.attr == "load"
            and _dotted(node.value).split(".")[-1] in _GENSIM_LOADERS
            and (relative, enclosing(node)) != TRUSTED
        ):  # called or passed on: both unpickle
            found.append((node.lineno, f"{_dotted(node)} unpickles outside {TRUSTED[0]}:{TRUSTED[1]}"))
        elif isinstance(node, ast.Call):
            name = _dotted(node.func)
            keywords = {k.arg: k.value for k in node.keywords}
            if name in _FORBIDDEN_CALLS:
                found.append((node.lineno, f"{name}(...)"))
            if name in _IMPORTERS and not (node.args and isinstance(node.args[0], ast.Constant)):
                found.append((node.lineno, f"{name}(...) of a computed module name"))
            if name.split(".")[-1] in ("extractall", "extract"):
                found.append((node.lineno, f"{name}(...) extracts an archive to disk"))
            shell = keywords.get("shell")
            if shell is not None and not (isinstance(shell, ast.Constant) and shell.value is False):
                found.append((node.lineno, f"{name}(..., shell=...)"))
            if "allow_pickle" in keywords:
                found.append((node.lineno, f"{name}(..., allow_pickle=...)"))
    return sorted(found)


def test_no_eval_exec_pickle_or_shell_anywhere_in_the_package():
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 40
    found = []
    for path in files:
        relative = path.relative_to(REPO).as_posix()
        found += [
            f"{relative}:{line}: {what}" for line, what in _scan(path.read_text(encoding="utf-8"), relative)
        ]
    assert found == []


def test_the_one_trusted_gensim_load_comes_after_the_trust_check():
    tree = ast.parse((REPO / TRUSTED[0]).read_text(encoding="utf-8"))
    function = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == TRUSTED[1])
    body = [s for s in function.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    first = body[0]  # the first statement after the docstring refuses untrusted input
    assert isinstance(first, ast.If) and ast.unparse(first.test) == "not trust"
    assert isinstance(first.body[-1], ast.Raise) and "UntrustedPickleError" in ast.unparse(first.body[-1])
    loads = [n for n in ast.walk(function) if isinstance(n, ast.Attribute) and n.attr == "load"]
    assert [_dotted(n) for n in loads] == ["KeyedVectors.load"]
    assert all(n.lineno > first.end_lineno for n in loads)


def test_the_scan_finds_what_it_looks_for():
    """The scanner itself, on code that does each forbidden thing (never written to the package)."""
    source = (
        "import pickle\n"
        "import subprocess, os, tarfile\n"
        "from gensim.models import KeyedVectors\n"
        "def f(p):\n"
        "    eval(p)\n"
        "    pickle.loads(p)\n"
        "    subprocess.run(p, shell=True)\n"
        "    os.system(p)\n"
        "    KeyedVectors.load(p)\n"
        "    tarfile.open(p).extractall()\n"
        "    np.load(p, allow_pickle=True)\n"
        "    helper(Word2Vec.load, p)\n"
        "    subprocess.run([p], shell=False)\n"
        "    __import__(p)\n"
        "    __import__('optuna')\n"
    )
    found = _scan(source, "w2veval/probe.py")
    assert found == [
        (1, "import pickle"),
        (5, "eval(...)"),
        (6, "pickle.loads(...)"),
        (7, "subprocess.run(..., shell=...)"),
        (8, "os.system(...)"),
        (9, f"KeyedVectors.load unpickles outside {TRUSTED[0]}:{TRUSTED[1]}"),
        (10, "?.extractall(...) extracts an archive to disk"),
        (11, "np.load(...)"),
        (11, "np.load(..., allow_pickle=...)"),
        (12, f"Word2Vec.load unpickles outside {TRUSTED[0]}:{TRUSTED[1]}"),
        (14, "__import__(...) of a computed module name"),
    ]
