# Two commands a new machine needs: `make serve` and `make test`. Each sets up .venv itself.
PYTHON ?= python3
# Material prints a banner about its successor on every build; keep the output about this project.
export NO_MKDOCS_2_WARNING := 1
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve test lint typecheck browser build bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## Preview the demo handbook on http://127.0.0.1:8000 with live reload.
# MkDocs 1.6.1 with click newer than 8.2.1 turns live reload off unless --livereload is passed.
serve: $(STAMP)
	$(BIN)/mkdocs serve --livereload --dev-addr 127.0.0.1:8000

build: $(STAMP)
	$(BIN)/mkdocs build --strict

## Lint, type-check and run the whole test suite (browser tests included).
test: $(STAMP) browser lint typecheck
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff format --check mkdocs_seml_plugin tests benchmarks
	$(BIN)/ruff check mkdocs_seml_plugin tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

# Browser tests drive Debian's chromium (browsers cannot be downloaded here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null) \
	      || { echo "could not install chromium"; exit 1; }; \
	  else echo "chromium missing and not root; browser tests will be skipped"; fi; }

## Benchmarks: table cost in a build, and the online link check against its ideal.
bench: $(STAMP)
	$(BIN)/python benchmarks/build_speed.py
	$(BIN)/python benchmarks/linkcheck_speed.py

clean:
	rm -rf $(VENV) site .pytest_cache .mypy_cache .ruff_cache
