# govportal: the two commands that matter are `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
STAMP := $(VENV)/.installed-dev

.PHONY: run test lint format install requirements demo clean test-browser test-fast \
	test-postgres bench

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(STAMP): requirements/dev.txt | $(BIN)/uv
	$(BIN)/uv pip sync --quiet --require-hashes --python $(BIN)/python requirements/dev.txt
	touch $@

install: $(STAMP)

## Pin dependencies (with hashes) after editing requirements/*.in.
requirements: | $(BIN)/uv
	cd requirements && ../$(BIN)/uv pip compile -q --generate-hashes --python-version 3.11 --universal -o base.txt base.in
	cd requirements && ../$(BIN)/uv pip compile -q --generate-hashes --python-version 3.11 --universal -o dev.txt dev.in

## Install, migrate, load the demo district on an empty database, serve web + worker.
run: install
	$(BIN)/python manage.py migrate --no-input
	# Static files first: the demo's first daily check renders pages, which name them.
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(BIN)/python manage.py load_demo --if-empty
	$(BIN)/python bin/serve.py

lint: install
	$(BIN)/ruff format --check govportal bench bin
	$(BIN)/ruff check govportal bench bin
	$(BIN)/djhtml --check $$(find govportal -path "*/templates/*" -name "*.html")
	$(BIN)/mypy govportal bench bin

format: install
	$(BIN)/ruff format govportal bench bin
	$(BIN)/ruff check --fix govportal bench bin
	$(BIN)/djhtml $$(find govportal -path '*/templates/*' -name '*.html')

## Lint, then the whole suite on SQLite (browser tests run when chromium is installed), then
## say which legs did not run here and why. PYTEST_ARGS adds pytest options (.ci/run uses it).
## PYTEST_WORKERS="-n 2 --dist loadfile --no-loadscope-reorder" runs the suite on both cores with pytest-xdist, one
## file per worker at a time (a module's demo fixture is loaded once, not once per worker).
## Empty (one process) until two whole runs on each database have passed with it.
PYTEST_ARGS ?=
PYTEST_WORKERS ?=
test: lint
	$(BIN)/python manage.py makemigrations --check --dry-run --verbosity 0 \
		|| { echo "A model change has no migration: run manage.py makemigrations."; exit 1; }
	$(BIN)/python -m pytest $(PYTEST_WORKERS) $(PYTEST_ARGS)
	@echo "legs: SQLite with a local-memory cache: ran."
	@case '$(PYTEST_ARGS)' in \
		*"not browser"*) echo "legs: browser tests: deselected here (PYTEST_ARGS); .ci/run gives them their own leg." ;; \
		*) if [ -x /usr/bin/chromium ]; then echo "legs: browser tests: ran in /usr/bin/chromium."; \
		   else echo "legs: browser tests: SKIPPED, /usr/bin/chromium is missing (apt-get install chromium fonts-noto-cjk, then make test-browser)."; fi ;; \
	esac
	@if $(BIN)/python -c "import psycopg; psycopg.connect('host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=3').close()" 2>/dev/null; \
	then echo "legs: PostgreSQL + Redis: not part of make test; PostgreSQL answers on 127.0.0.1:5432, so make test-postgres runs it."; \
	else echo "legs: PostgreSQL + Redis: SKIPPED, no PostgreSQL answers on 127.0.0.1:5432 (user postgres); .ci/run starts it and runs that leg."; fi

test-fast: install
	$(BIN)/python -m pytest -x -q -m "not browser"

## The browser tests alone, in Debian's chromium (skipped with the reason when it is missing).
test-browser: install
	$(BIN)/python -m pytest -m browser

## The whole suite on a fresh PostgreSQL database with Redis (the second leg of .ci/run).
test-postgres: install
	bash .ci/run postgres

## Serve the demo site with gunicorn and nginx and measure both with wrk (prints a table).
bench: install
	$(BIN)/python bench/serve.py

clean:
	rm -rf $(VENV) var/*.sqlite3 staticfiles
