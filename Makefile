# govportal: the two commands that matter are `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
STAMP := $(VENV)/.installed-dev

.PHONY: run test lint format install requirements demo clean test-browser test-fast

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
	$(BIN)/python manage.py load_demo --if-empty
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
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

## Lint, then the whole suite (browser tests run when chromium is installed).
test: lint
	$(BIN)/python -m pytest

test-fast: install
	$(BIN)/python -m pytest -x -q -m "not browser"

test-browser: install
	$(BIN)/python -m pytest -m browser

clean:
	rm -rf $(VENV) var/*.sqlite3 staticfiles
