# One task runner: CI calls `make test` unchanged (see .ci/run).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip install --quiet --disable-pip-version-check
# What each command needs (pyproject.toml's extras, pinned in requirements/):
# the site alone for `make serve`/`make build`, everything for `make test`.
SITE_STAMP := $(VENV)/.installed-site
DEV_STAMP := $(VENV)/.installed-dev
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install install-site serve build test lint lint-js lint-imports lint-workflows typecheck validate schema config pytest browser-deps node-deps clean bench

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(SITE_STAMP): requirements/site.txt pyproject.toml | $(VENV)/bin/python
	$(PIP) -r requirements/site.txt
	$(PIP) --no-deps --no-build-isolation -e .
	touch $(SITE_STAMP)

$(DEV_STAMP): $(SITE_STAMP) requirements/dev.txt requirements/batch.txt
	$(PIP) -r requirements/dev.txt
	touch $(DEV_STAMP)

install-site: $(SITE_STAMP) node-deps

install: $(DEV_STAMP) node-deps

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

validate: $(SITE_STAMP)
	$(PY) -m cslibrary validate

# Regenerate the committed generated files; each generator exits 1 when it changed something.
schema: $(SITE_STAMP)
	$(PY) -m cslibrary schema

config: $(SITE_STAMP)
	$(PY) -m cslibrary config

build: install-site
	$(PY) -m mkdocs build --strict

serve: install-site
	$(PY) -m mkdocs serve --strict --dev-addr 127.0.0.1:8000

# The GitHub workflows against the schema check-jsonschema ships (no network needed).
lint-workflows: $(DEV_STAMP)
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml

# The layers of pyproject.toml's [tool.importlinter]: no upward import, no cycle.
lint-imports: $(DEV_STAMP)
	$(VENV)/bin/lint-imports --no-cache

# The JavaScript, type-checked by TypeScript (// @ts-check): the pages' scripts and the Node
# helpers (jsconfig.json), and the calculators' Web Worker (jsconfig.worker.json).
lint-js: node-deps
	node_modules/.bin/tsc -p jsconfig.json
	node_modules/.bin/tsc -p jsconfig.worker.json

lint: $(DEV_STAMP) lint-workflows lint-imports lint-js
	$(PY) -m ruff check calculators cslibrary hooks tests bench
	$(PY) -m ruff format --check calculators cslibrary hooks tests bench

typecheck: $(DEV_STAMP)
	$(PY) -m mypy --strict calculators cslibrary hooks tests bench

pytest: install browser-deps
	$(PY) -m pytest -q

test: install browser-deps lint typecheck validate pytest

bench: install
	$(PY) bench/run_all.py

clean:
	rm -rf site build .pytest_cache .mypy_cache .ruff_cache
