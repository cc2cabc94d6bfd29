# The README's quick start: `make demo` and `make test` on a fresh machine with Python 3.11+.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
AS_OF ?= 2026-11-23

.PHONY: demo test lint docs venv bench clean

#: what ruff checks and formats
LINTED := engine models cli fzcheck tests bench docs
#: the documents with blocks generated from the code (cog)
GENERATED_DOCS := $(shell grep -l '\[\[\[cog' docs/*.md)

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

## The quality gates CI runs before the tests: ruff (lint, format), mypy on the package, generated docs up to date.
lint: venv
	$(BIN)/python -m pip install --quiet -e ".[test]"
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/mypy
	$(BIN)/cog --check -I docs $(GENERATED_DOCS)

## Rewrite the generated blocks of the docs (the derive-function table, the field reference) from the code.
docs: venv
	$(BIN)/python -m pip install --quiet -e ".[test]"
	$(BIN)/cog -r -I docs $(GENERATED_DOCS)

bench: venv
	$(BIN)/python -m pip install --quiet -e ".[test]"
	$(BIN)/python bench/bench_check.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis .mypy_cache .ruff_cache
