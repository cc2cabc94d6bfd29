# The README's quick start: `make demo` and `make test` on a fresh machine with Python 3.11+.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
AS_OF ?= 2026-11-23

.PHONY: demo test venv bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

venv: $(BIN)/python

## Set up and check the shipped sample cases (exit 1 = violations found, 2 = the deliberate bad-input files).
demo: venv
	$(BIN)/python -m pip install --quiet .
	$(BIN)/fzcheck check sample_cases/ --as-of $(AS_OF) || [ $$? -le 2 ]

## Set up with the test extras and run the whole test suite.
test: venv
	$(BIN)/python -m pip install --quiet -e ".[test]"
	$(BIN)/python -m pytest -q

bench: venv
	$(BIN)/python -m pip install --quiet -e ".[test]"
	$(BIN)/python bench/bench_check.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
