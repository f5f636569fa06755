# Footing: `make run` starts the app with its worker and scheduler; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test lint format install install-dev backup restore bench bench-notifications bench-dashboard

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Footing needs $(PYTHON) on the PATH."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# A first run writes .env with a fresh SECRET_KEY; it is never overwritten.
.env:
	@printf '%s\n' "# Written by 'make run' for this machine. See .env.example for every setting." \
		"SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
		"DEBUG=true" > .env
	@echo "Wrote .env with a new SECRET_KEY."

run: $(VENV)/.installed .env
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	PATH="$(CURDIR)/$(BIN):$$PATH" PORT=$(PORT) $(BIN)/honcho start --port $(PORT)

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -n auto --dist loadgroup

# Caseload-breach detection at national scale, on a throwaway PostgreSQL database it creates and
# drops (benchmarks/README.md); e.g. make bench BENCH_ARGS="--enrolments 1000 --database-url …".
bench: $(VENV)/.installed
	$(BIN)/python -m benchmarks.caseload_breaches $(BENCH_ARGS)

# Two real Celery workers on Redis email 10,000 notifications to a counting stub; a throwaway
# PostgreSQL database, created and dropped (benchmarks/README.md). BENCH_ARGS as above.
bench-notifications: $(VENV)/.installed
	$(BIN)/python -m benchmarks.notifications $(BENCH_ARGS)

# The cohort dashboard at 9,000 active enrolments and a year of records, through the test client
# and gunicorn on loopback, beside raw SQL (benchmarks/README.md). BENCH_ARGS as above.
bench-dashboard: $(VENV)/.installed
	$(BIN)/python -m benchmarks.dashboard $(BENCH_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The embedded default (SQLite + uploaded files) into var/backups/; PostgreSQL: see README.
backup: $(VENV)/.installed
	$(BIN)/python manage.py backup

# Replaces the database and uploaded files: stop `make run` first. make restore FILE=var/backups/…
restore: $(VENV)/.installed
	@test -n "$(FILE)" || { echo "Name the backup to restore: make restore FILE=var/backups/footing-….tar.gz"; exit 1; }
	$(BIN)/python manage.py restore "$(FILE)" --yes
