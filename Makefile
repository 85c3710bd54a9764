# The two commands of the README: `make demo` and `make test`. Both build .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test bench system-packages clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip

$(VENV)/.installed-%: pyproject.toml | $(BIN)/activate
	$(BIN)/python -m pip install -e '.[$*]'
	touch $@

demo: $(VENV)/.installed-demo
	$(BIN)/python examples/demo.py

system-packages:
	bash .ci/system-packages

test: $(VENV)/.installed-test system-packages
	$(BIN)/python -m pytest -q -p no:cacheprovider; status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$status

bench: $(VENV)/.installed-demo
	$(BIN)/python benchmarks/score_speed.py

clean:
	rm -rf $(VENV) build dist *.egg-info
