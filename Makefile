# One task runner: CI calls `make test` unchanged (see .ci/run).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install serve build test lint lint-workflows typecheck validate schema config pytest browser-deps node-deps clean bench

$(STAMP): requirements/lock.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/lock.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP) node-deps

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

node-deps: node_modules/.package-lock.json

# Debian's Chromium for the browser tests: installed when we are root, explained otherwise.
browser-deps:
	@if [ -x /usr/bin/chromium ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's chromium for the browser tests…"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
	  echo "The browser tests need Debian's Chromium. Run: sudo apt-get update && sudo apt-get install -y chromium"; exit 1; \
	fi

validate: $(STAMP)
	$(PY) -m cslibrary validate

# Regenerate the committed generated files; each generator exits 1 when it changed something.
schema: $(STAMP)
	$(PY) -m cslibrary schema

config: $(STAMP)
	$(PY) -m cslibrary config

build: install
	$(PY) -m mkdocs build --strict

serve: install
	$(PY) -m mkdocs serve --strict --dev-addr 127.0.0.1:8000

# The GitHub workflows against the schema check-jsonschema ships (no network needed).
lint-workflows: $(STAMP)
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml

lint: $(STAMP) lint-workflows
	$(PY) -m ruff check calculators cslibrary hooks tests bench
	$(PY) -m ruff format --check calculators cslibrary hooks tests bench

typecheck: $(STAMP)
	$(PY) -m mypy --strict calculators

pytest: install browser-deps
	$(PY) -m pytest -q

test: install browser-deps lint typecheck validate pytest

bench: install
	$(PY) bench/run_all.py

clean:
	rm -rf site build .pytest_cache .mypy_cache .ruff_cache
