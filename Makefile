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

# The project's own code, not its tests or migrations.
PACKAGES := accounts clients exports serviceplans referrals supervision scheduling outcomes quality reports workspace audit casemgmt devtools
SOURCES := grep -rn --include='*.py' --exclude-dir=migrations

# Ruff, migrations in step with the models, the import contracts (pyproject.toml), mypy over all
# project code, bandit (no medium or high finding that is not fixed or marked
# `# nosec <id>  # reason`), no function of complexity D or worse, and no hidden imports or
# bare ignores.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/bandit -q -r $(PACKAGES) -x '*/migrations/*' --severity-level medium
	@too_complex=$$($(BIN)/radon cc -n D -s $(PACKAGES) -e '*/migrations/*'); \
	if [ -n "$$too_complex" ]; then echo "$$too_complex"; \
		echo "radon: split these into named steps (complexity 21 or more)"; exit 1; fi
	@if $(SOURCES) 'type: ignore' $(PACKAGES) \
		| grep -vE '# type: ignore\[[a-z0-9_-]+(, [a-z0-9_-]+)*\]  # [A-Za-z]'; then \
		echo "a type ignore names its code and says why: '# type: ignore[code]  # reason'"; \
		exit 1; fi
	@if $(SOURCES) -E 'apps\.get_model|import_string' $(PACKAGES); then \
		echo "no model or module looked up by name: import it (the contracts must see it)"; \
		exit 1; fi
