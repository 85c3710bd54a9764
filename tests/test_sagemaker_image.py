"""The SageMaker image (examples/sagemaker/Dockerfile), built by a real Docker engine and run as
SageMaker runs it: ``<image> train`` with ``--network none`` on a temporary /opt/ml.

No image registry is reachable here, so the builds start from a base image already present
(``W2VEVAL_TEST_BASE_IMAGE``, default ``w2veval-base:offline``, made by
examples/sagemaker/offline-base-image.sh: Debian's Python 3.11 and the lock's wheels). The
tests skip, saying why, where there is no engine or no such image. Two images are built, once
per test session (the engine's layer cache makes a rebuild of unchanged layers instant):

* by download, from the repository root (the real ``.dockerignore``), the gold sets fetched
  from a real HTTP server on 127.0.0.1 that serves ../shared/goldsets (the build's only
  network is the host's loopback);
* offline (``--network none``) from a local gold-set folder, with the unprivileged ``USER``.

The checks use the corpus and gold sets themselves (word counts, pair counts), not the job's code.
"""

from __future__ import annotations

import collections
import json
import math
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCKERFILE = REPO / "examples" / "sagemaker" / "Dockerfile"
LOCK = REPO / "examples" / "sagemaker" / "requirements.txt"
BASE_IMAGE = os.environ.get("W2VEVAL_TEST_BASE_IMAGE", "w2veval-base:offline")
TAG = "w2veval-test-image"
WS353 = {"EN-WS-353-ALL.txt": 353, "EN-WS-353-REL.txt": 252, "EN-WS-353-SIM.txt": 203}
HYPERPARAMETERS = {"mode": "batch_skipgram", "vector_dim": "16", "epochs": "2", "min_count": "2"}
METRIC = re.compile(r"^#(w2veval:objective|mean_rho): (\S+)$", re.MULTILINE)
BUILD_TIMEOUT = 900


# -- what the image is made of (no engine needed) ----------------------------------------------


def _arg_default(name: str) -> str:
    match = re.search(rf"^ARG {name}=(\S+)$", DOCKERFILE.read_text(), re.MULTILINE)
    assert match, f"no ARG {name}=... in {DOCKERFILE}"
    return match.group(1)


def test_base_image_is_pinned_by_exact_tag_and_digest():
    image = _arg_default("BASE_IMAGE")
    assert re.fullmatch(r"python:3\.11\.\d+-slim-bookworm@sha256:[0-9a-f]{64}", image), image
    assert re.search(r"^FROM \$\{BASE_IMAGE\}$", DOCKERFILE.read_text(), re.MULTILINE)


def test_entrypoint_takes_sagemakers_train_argument():
    assert 'ENTRYPOINT ["w2veval-sagemaker-job"]' in DOCKERFILE.read_text().splitlines()


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)==(\S+)", line)
        if match:
            pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return pins


def test_lock_pins_every_package_exactly_with_hashes_and_agrees_with_the_constraints():
    import tomllib

    from packaging.requirements import Requirement

    text = LOCK.read_text()
    pins = _pins(LOCK)
    requirement_lines = [line for line in text.splitlines() if line and not line.startswith((" ", "#"))]
    assert len(requirement_lines) == len(pins), "every requirement is name==version"
    blocks = re.split(r"\n(?=[A-Za-z])", text)
    for block in blocks:
        if re.match(r"^[A-Za-z0-9_.-]+==", block):
            assert "--hash=sha256:" in block, block.splitlines()[0]
    tested = _pins(REPO / "requirements" / "constraints.txt")
    for name, version in pins.items():
        if name in tested:
            assert version == tested[name], f"{name}: lock {version}, constraints {tested[name]}"
    project = tomllib.loads((REPO / "pyproject.toml").read_text())
    for dependency in project["project"]["dependencies"] + project["build-system"]["requires"]:
        requirement = Requirement(dependency)
        name = requirement.name.lower().replace("_", "-")
        assert name in pins, f"{name} (pyproject.toml) is not in the lock"
        assert requirement.specifier.contains(pins[name]), f"{name}=={pins[name]} vs {requirement}"
    assert "sagemaker-train" not in pins and "sagemaker-core" not in pins  # the job needs no SDK


# -- the engine ---------------------------------------------------------------------------------


def _docker(*args, timeout=120, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout, **kwargs)


def _why_no_engine() -> str | None:
    if shutil.which("docker") is None:
        return "no docker client on PATH (apt-get install docker.io)"
    try:
        info = _docker("version", "--format", "{{.Server.Version}}", timeout=30)
    except subprocess.TimeoutExpired:
        return "the Docker engine did not answer `docker version` within 30 s"
    if info.returncode != 0:
        first = (info.stderr.strip().splitlines() or ["no message"])[-1]
        return f"no Docker engine answers ({first}); start one, e.g. `dockerd &`"
    if _docker("image", "inspect", BASE_IMAGE).returncode != 0:
        return (
            f"base image {BASE_IMAGE} is not present and no image registry can be reached; make "
            f"it with `sh examples/sagemaker/offline-base-image.sh` (Debian's Python 3.11 by "
            f"debootstrap and the lock's wheels) or name another with W2VEVAL_TEST_BASE_IMAGE"
        )
    return None


@pytest.fixture(scope="module")
def engine():
    reason = _why_no_engine()
    if reason:
        pytest.skip(reason)


def _build(tag: str, *args, context: Path = REPO) -> subprocess.CompletedProcess:
    command = [
        "docker",
        "build",
        "--platform",
        "linux/amd64",
        "-f",
        "examples/sagemaker/Dockerfile",
        "--build-arg",
        f"BASE_IMAGE={BASE_IMAGE}",
        "-t",
        tag,
        *args,
        ".",
    ]
    return subprocess.run(command, cwd=context, capture_output=True, timeout=BUILD_TIMEOUT)


def _context_with(goldset_files: dict[str, Path], folder: Path) -> Path:
    """A copy of the repository's build context with ``goldset_files`` under examples/sagemaker/goldsets/.

    A folder like the repository's, sent by the client the same way, so that the engine reuses
    the layers of the build by download (the installed lock above all)."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for path in (
        "pyproject.toml",
        "README.md",
        ".dockerignore",
        "examples/sagemaker/Dockerfile",
        "examples/sagemaker/requirements.txt",
        "examples/sagemaker/goldsets/README.md",
    ):
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / path, folder / path)
    for path in ("w2veval", "goldsets"):
        shutil.copytree(REPO / path, folder / path, ignore=ignore)
    for name, source in goldset_files.items():
        (folder / "examples/sagemaker/goldsets" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, folder / "examples/sagemaker/goldsets" / name)
    return folder


def _check_built(done: subprocess.CompletedProcess, what: str) -> None:
    if done.returncode != 0:
        log = (done.stdout + done.stderr).decode("utf-8", "replace")
        pytest.fail(f"{what} failed ({done.returncode}):\n{log[-4000:]}")


@pytest.fixture(scope="module")
def images(engine, shared_goldsets, tmp_path_factory):
    """``{"download": tag, "offline": tag}``, built once per session (a lock serialises workers)."""
    import filelock
    from _http import LocalServer

    ws353 = {path.name: path for path in sorted((shared_goldsets / "ws353").iterdir()) if path.is_file()}
    names = "ws353 ws353-rel ws353-sim"
    lock = tmp_path_factory.getbasetemp().parent / "sagemaker-image-build.lock"
    with filelock.FileLock(str(lock)), LocalServer(shared_goldsets) as mirror:
        _check_built(
            _build(
                f"{TAG}:download",
                "--network",
                "host",
                "--build-arg",
                f"GOLDSET_NAMES={names}",
                "--build-arg",
                f"W2VEVAL_MIRROR={mirror.url}/",
                "--build-arg",
                "W2VEVAL_MIRROR_ONLY=1",
            ),
            "the build by download",
        )
        _check_built(
            _build(
                f"{TAG}:offline",
                "--network",
                "none",
                "--build-arg",
                "GOLDSETS=local",
                "--build-arg",
                f"GOLDSET_NAMES={names}",
                "--build-arg",
                "RUN_AS=w2veval",
                context=_context_with(
                    {f"ws353/{n}": p for n, p in ws353.items()}, tmp_path_factory.mktemp("context")
                ),
            ),
            "the offline build",
        )
    return {"download": f"{TAG}:download", "offline": f"{TAG}:offline"}


def _ml_root(tmp_path: Path) -> Path:
    """A SageMaker-style /opt/ml: hyperparameters, the Lee corpus, and model/ and output/ that any
    user may write (SageMaker makes them before the container starts)."""
    from gensim.test.utils import datapath

    root = tmp_path / "ml"
    (root / "input" / "config").mkdir(parents=True)
    (root / "input" / "config" / "hyperparameters.json").write_text(json.dumps(HYPERPARAMETERS))
    (root / "input" / "data" / "train").mkdir(parents=True)
    shutil.copyfile(datapath("lee_background.cor"), root / "input" / "data" / "train" / "lee.cor")
    for folder in ("model", "output"):
        (root / folder).mkdir()
        (root / folder).chmod(0o777)
    for folder in (root, *[p for p in root.rglob("*") if p.is_dir() and p.name not in ("model", "output")]):
        folder.chmod(0o755)
    return root


def _expected_vocabulary() -> set[str]:
    from gensim.test.utils import datapath

    counts = collections.Counter(Path(datapath("lee_background.cor")).read_text().split())
    return {word for word, n in counts.items() if n >= int(HYPERPARAMETERS["min_count"])}


def _train(image: str, root: Path, *user) -> subprocess.CompletedProcess:
    return _docker(
        "run", "--rm", "--network", "none", *user, "-v", f"{root}:/opt/ml", image, "train", timeout=300
    )


def _assert_trained(root: Path, done: subprocess.CompletedProcess, uid: int) -> None:
    from gensim.models import KeyedVectors

    assert done.returncode == 0, done.stderr
    assert not (root / "output" / "failure").exists()
    assert "Traceback" not in done.stderr
    vectors = root / "model" / "vectors.txt"
    assert vectors.stat().st_uid == uid  # who the job ran as
    kv = KeyedVectors.load_word2vec_format(str(vectors))
    assert kv.vector_size == int(HYPERPARAMETERS["vector_dim"])
    assert set(kv.index_to_key) == _expected_vocabulary()

    evaluation = json.loads((root / "model" / "eval.json").read_text())
    assert {name: evaluation[name]["total_pairs"] for name in WS353} == WS353  # the gold sets in the image
    rhos = [evaluation[name]["spearmans_rho"] for name in WS353]
    assert all(-1 <= rho <= 1 for rho in rhos)
    metrics = collections.defaultdict(list)
    for name, value in METRIC.findall(done.stdout):
        metrics[name].append(float(value))
    assert set(metrics) == {"w2veval:objective", "mean_rho"}, done.stdout
    assert all(math.isfinite(v) for values in metrics.values() for v in values)
    # the tuner takes the last value printed: the objective (mean_rho) of the final model
    assert metrics["mean_rho"][-1] == pytest.approx(sum(rhos) / 3, abs=1e-6)
    assert metrics["w2veval:objective"][-1] == pytest.approx(metrics["mean_rho"][-1], abs=1e-12)


def test_train_as_root_offline(images, tmp_path):
    root = _ml_root(tmp_path)
    _assert_trained(root, _train(images["download"], root), uid=0)


def test_train_as_a_non_root_user_offline(images, tmp_path):
    root = _ml_root(tmp_path)
    _assert_trained(root, _train(images["download"], root, "--user", "1000:1000"), uid=1000)


def test_offline_build_runs_as_its_unprivileged_user(images, tmp_path):
    config = json.loads(_docker("image", "inspect", images["offline"]).stdout)[0]["Config"]
    assert config["User"] == "w2veval" and config["Entrypoint"] == ["w2veval-sagemaker-job"]
    root = _ml_root(tmp_path)
    _assert_trained(root, _train(images["offline"], root), uid=1000)


def test_offline_build_without_the_gold_sets_says_which_are_missing(images):
    # examples/sagemaker/goldsets/ in the repository holds only its README
    done = _build(
        f"{TAG}:missing",
        "--network",
        "none",
        "--build-arg",
        "GOLDSETS=local",
        "--build-arg",
        "GOLDSET_NAMES=ws353 simlex999",
    )
    log = (done.stdout + done.stderr).decode("utf-8", "replace")
    assert done.returncode != 0
    assert "not in examples/sagemaker/goldsets/: ws353 simlex999" in log


def test_the_build_context_holds_only_what_the_image_copies(engine, tmp_path):
    dockerfile = f"FROM {BASE_IMAGE}\nCOPY . /context\n"
    done = subprocess.run(
        ["docker", "build", "-q", "-f", "-", "-t", f"{TAG}:context", "."],
        cwd=REPO,
        input=dockerfile,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
    )
    assert done.returncode == 0, done.stderr
    listed = _docker(
        "run", "--rm", "--network", "none", "--entrypoint", "find", f"{TAG}:context", "/context", "-type", "f"
    )
    assert listed.returncode == 0, listed.stderr
    files = {line.removeprefix("/context/") for line in listed.stdout.split()}
    tops = {name.split("/")[0] for name in files}
    assert tops == {"pyproject.toml", "README.md", "w2veval", "goldsets", "examples"}, tops
    assert {name for name in files if name.startswith("examples/")} >= {
        "examples/sagemaker/requirements.txt",
        "examples/sagemaker/goldsets/README.md",
    }
    assert not [name for name in files if "__pycache__" in name or name.endswith(".pyc")]
    assert "w2veval/sagemaker/job.py" in files
