# The README's two commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast install install-dev lint migrations-check fixtures

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "Python 3.12+ is needed; found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet --require-hashes -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## Install, migrate, sync the shipped content (editors' edits stay) and serve http://127.0.0.1:8000 on SQLite.
run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py synccontent
	$(PY) manage.py populate_history --auto
	$(PY) manage.py runserver $(HOST):$(PORT)

## Install and run the whole test suite, with the project checks.
test: install-dev
	$(PY) -m ruff check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py buildfixtures --check
	$(PY) -m pytest

## The edit-test loop: `make test` without the tests marked slow (subprocesses, browsers,
## the crawl). The fixture check runs inside pytest too. `make test` and CI run everything.
test-fast: install-dev
	$(PY) -m ruff check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -m "not slow"

lint: install-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

migrations-check: install-dev
	$(PY) manage.py makemigrations --check --dry-run

## Rebuild codes/fixtures/catalogue.json after editing codes/data or codes/content.
fixtures: install-dev
	$(PY) manage.py buildfixtures
