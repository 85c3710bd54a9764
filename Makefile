# The two commands of the README: `make demo` and `make test`. Both build .venv themselves,
# installing the tested package set of requirements/constraints.txt with uv (pinned below).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
CONSTRAINTS := requirements/constraints.txt
# pytest's workers: every core (a 2-core machine runs the suite in about half the time).
TEST_WORKERS ?= auto

.PHONY: demo test lint docs bench lock system-packages local-wheels clean

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.installed-%: pyproject.toml $(CONSTRAINTS) | $(BIN)/uv
	$(BIN)/uv pip install --python $(BIN)/python -c $(CONSTRAINTS) -e '.[$*]'
	touch $@

demo: $(VENV)/.installed-demo
	$(BIN)/python examples/demo.py

system-packages:
	bash .ci/system-packages

local-wheels: $(VENV)/.installed-test
	bash .ci/local-wheels $(VENV)

# Style and types (ruff, mypy in the mode of pyproject.toml), checked before the tests run.
lint: $(VENV)/.installed-test
	$(BIN)/ruff check --quiet .
	$(BIN)/ruff format --check --quiet .
	$(BIN)/mypy

# The documentation site, built strictly: a broken link or API reference fails the build.
# NO_MKDOCS_2_WARNING quiets Material's end-of-life notice (docs/index.md, "Why MkDocs").
docs: $(VENV)/.installed-test
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet --site-dir build/site

test: $(VENV)/.installed-test lint docs system-packages local-wheels
	$(BIN)/python -m pytest -q -p no:cacheprovider -n $(TEST_WORKERS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$status

bench: $(VENV)/.installed-demo
	$(BIN)/python benchmarks/score_speed.py

# Re-resolve the tested package set after a dependency in pyproject.toml changed.
lock: | $(BIN)/uv
	{ sed -n '1,3p' $(CONSTRAINTS); $(BIN)/uv pip compile pyproject.toml --extra test --extra demo \
	    --python-version 3.11 --no-header --no-annotate; } > $(CONSTRAINTS).new
	mv $(CONSTRAINTS).new $(CONSTRAINTS)

clean:
	rm -rf $(VENV) build dist *.egg-info
