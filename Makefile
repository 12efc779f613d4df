# The two commands of the README: `make run` and `make test`. Both create .venv and install
# what pyproject.toml pins; without DATABASE_URL both use the embedded PostgreSQL under var/.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint install e2e

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# Migrates, seeds the demo agency, starts Celery if Redis answers, serves 127.0.0.1:8000.
run: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py run_local

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/mypy
