"""The installed wheel, not just the source tree: package data, entry points, CLI script."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel_site(tmp_path_factory):
    """w2veval built as a wheel and installed (without dependencies) into a folder."""
    if importlib.util.find_spec("setuptools") is None:
        pytest.fail("setuptools (from the test extra) is needed to build the wheel offline")
    dist = tmp_path_factory.mktemp("dist")
    site = tmp_path_factory.mktemp("site")
    pip = [sys.executable, "-m", "pip"]
    subprocess.run(
        [
            *pip,
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--no-build-isolation",
            "--wheel-dir",
            str(dist),
            str(REPO),
        ],
        check=True,
        capture_output=True,
        cwd=tmp_path_factory.mktemp("build"),
    )
    wheel = next(dist.glob("w2veval-*.whl"))
    subprocess.run(
        [*pip, "install", "--quiet", "--no-deps", "--no-index", "--target", str(site), str(wheel)],
        check=True,
        capture_output=True,
    )
    return site


def _python(site, code):
    env = dict(os.environ, PYTHONPATH=str(site))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=site)


def test_wheel_ships_the_domain_goldset_and_py_typed(wheel_site):
    done = _python(
        wheel_site,
        "import w2veval, w2veval.goldsets as g; s = g.load('jobs-domain'); "
        "print(w2veval.__file__); print(s.source); print(len(s))",
    )
    assert done.returncode == 0, done.stderr
    package_file, source, n_pairs = done.stdout.split()
    assert package_file.startswith(str(wheel_site))
    assert source.startswith(str(wheel_site)) and source.endswith("jobs-domain.tsv")
    from w2veval import GoldSet

    assert int(n_pairs) == len(GoldSet.from_file(REPO / "goldsets" / "jobs-domain.tsv"))
    assert (wheel_site / "w2veval" / "py.typed").exists()


def test_wheel_registers_the_builtin_evaluator_entry_point(wheel_site):
    done = _python(
        wheel_site,
        "from importlib.metadata import entry_points; "
        "print([e.value for e in entry_points(group='w2veval.evaluators')])",
    )
    assert "w2veval.scoring._pairs:WordPairEvaluator" in done.stdout


def test_wheel_has_the_console_script(wheel_site):
    done = _python(
        wheel_site,
        "from importlib.metadata import entry_points; "
        "print([e.value for e in entry_points(group='console_scripts') if e.name == 'w2veval'])",
    )
    assert "w2veval.cli:main" in done.stdout


def test_wheel_reads_the_catalog_through_importlib_resources(wheel_site):
    done = _python(
        wheel_site,
        "import w2veval.goldsets as g, importlib.resources as r; "
        "print(r.files('w2veval.data').joinpath('catalog.toml')); print(len(g.names()))",
    )
    assert done.returncode == 0, done.stderr
    path, count = done.stdout.split()
    assert path.startswith(str(wheel_site))
    import tomllib

    catalog = tomllib.loads((REPO / "goldsets" / "catalog.toml").read_text(encoding="utf-8"))
    assert int(count) == len(catalog["goldset"])
