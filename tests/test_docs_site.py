"""The documentation site: it builds strictly, its API reference covers the public API, and
strict really fails on a broken link (mkdocs.yml, docs/, CONTRIBUTING.md "Documentation")."""

import importlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from _public_api import public_modules

REPO = Path(__file__).resolve().parents[1]


def _build(config: Path, site: Path) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` of ``config``, run from its folder as ``make docs`` is."""
    # NO_MKDOCS_2_WARNING: Material's notice about MkDocs 2 would fill the stderr shown on failure.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)]
    return subprocess.run(
        [*command, "-f", str(config)], cwd=config.parent, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def api_html(tmp_path_factory) -> str:
    """The HTML of the API reference, from the site built strictly into a temporary folder.

    One test uses it: pytest-xdist may run a module's tests in different processes, and each
    would build the site again.
    """
    site = tmp_path_factory.mktemp("site")
    built = _build(REPO / "mkdocs.yml", site)
    assert built.returncode == 0, f"mkdocs build --strict failed:\n{built.stderr}"
    return "\n".join(page.read_text(encoding="utf-8") for page in (site / "api").rglob("*.html"))


def test_the_api_reference_documents_every_public_name(api_html):
    """Each public module has its heading, each name of its ``__all__`` its anchor and no other
    name a heading of its own; and the docstrings' Sphinx roles became links or code
    (docs/_ext/sphinx_markup.py)."""
    modules = public_modules()
    headings = set(re.findall(r'<h[1-6] id="([^"]+)"', api_html))
    missing, extra = [], []
    for name in modules:
        exported = getattr(importlib.import_module(name), "__all__", None)
        assert exported is not None, f"public module {name} has no __all__: say what it exports"
        anchors = [name, *(f"{name}.{member}" for member in exported)]
        missing += [anchor for anchor in anchors if f'id="{anchor}"' not in api_html]
        shown = {h for h in headings if h.startswith(f"{name}.") and "." not in h[len(name) + 1 :]}
        extra += sorted(shown - set(anchors) - set(modules))
    assert missing == [], "not in the API reference (docs/api/ has a page per public module)"
    assert extra == [], "documented although not in the module's __all__"
    roles = [role for role in (":func:`", ":meth:`", ":class:`", ":exc:`", ":mod:`") if role in api_html]
    assert roles == [], "Sphinx roles left as text in the API reference"


def test_every_public_name_has_a_docstring():
    """What the API reference shows under each name: Griffe reads the docstrings as mkdocstrings
    does, so a constant's docstring is the string literal after its assignment."""
    import griffe

    package = griffe.load("w2veval", search_paths=[str(REPO)], resolve_aliases=True)
    undocumented = []
    for name in public_modules():
        module = package if name == "w2veval" else package[name.removeprefix("w2veval.")]
        for member in importlib.import_module(name).__all__:
            docstring = module[member].docstring
            if docstring is None or not docstring.value.strip():
                undocumented.append(f"{name}.{member}")
    assert undocumented == []


def _nav_pages(nav) -> list[str]:
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [page for value in nav.values() for page in _nav_pages(value)]
    return [page for item in nav for page in _nav_pages(item)]


def test_every_page_is_in_the_nav():
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    docs = REPO / config["docs_dir"]
    pages = {page.relative_to(docs).as_posix() for page in docs.rglob("*.md")}
    assert sorted(pages - set(_nav_pages(config["nav"]))) == []
    assert sorted(set(_nav_pages(config["nav"])) - pages) == []


def test_a_broken_link_or_anchor_fails_the_strict_build(tmp_path):
    """The same configuration on a copy of the pages with a dead link and a dead anchor.

    The API pages of the copy are stubs (they take most of the build's time); the two dead
    links must then be the only warnings, and fail the build.
    """
    for name in ("mkdocs.yml", "CHANGELOG.md", "CONTRIBUTING.md"):
        shutil.copy(REPO / name, tmp_path / name)
    shutil.copytree(REPO / "docs", tmp_path / "docs")
    for page in (tmp_path / "docs" / "api").glob("*.md"):
        page.write_text(f"# {page.stem}\n", encoding="utf-8")
    with open(tmp_path / "docs" / "usage.md", "a", encoding="utf-8") as page:
        page.write("\nSee [nowhere](no-such-page.md) and [matching](matching.md#no-such-heading).\n")

    built = _build(tmp_path / "mkdocs.yml", tmp_path / "site")

    assert built.returncode != 0
    warnings = [line for line in built.stderr.splitlines() if line.startswith("WARNING")]
    assert len(warnings) == 2, built.stderr
    assert "'no-such-page.md'" in warnings[0] + warnings[1], built.stderr
    assert "'matching.md#no-such-heading'" in warnings[0] + warnings[1], built.stderr
