# One command to serve (make run) and one to test (make test), from a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
DIST := app/static/dist
PYTEST_ARGS ?=
# `make run PORT=5050` serves there, and the links it prints follow (app/config.py).
PORT ?= 5000
export PORT

.PHONY: run test lint format assets translations bench audit lock clean

# Two locks, made from pyproject.toml by `make lock`: requirements.txt is what the app needs
# to run (all `make run` installs); requirements-dev.txt adds the test, lint and benchmark
# tools at the same versions, for `make test`, `make lint` and `make bench`.
RUNTIME := $(BIN)/.installed
DEVELOPMENT_TOOLS := $(BIN)/.installed-dev

$(RUNTIME): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(DEVELOPMENT_TOOLS): $(RUNTIME) requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# After changing the dependencies in pyproject.toml. Versions already locked stay as they
# are; `make lock LOCK_ARGS=--upgrade` (or --upgrade-package NAME) moves them on.
LOCK_ARGS ?=
PIP_COMPILE := CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --strip-extras \
	--no-emit-index-url --no-emit-find-links $(LOCK_ARGS)
lock: $(DEVELOPMENT_TOOLS)
	$(PIP_COMPILE) --output-file requirements.txt pyproject.toml
	$(PIP_COMPILE) --all-extras --constraint requirements.txt --output-file requirements-dev.txt \
		pyproject.toml

# Operators' commands read .env (through python-dotenv), so on a development machine
# `flask --app wsgi ...` runs without SECRET_KEY, as the README shows. Never in production.
.env:
	printf '# Development settings for flask commands (see README.md). Not for production.\nDEVELOPMENT=1\n' > $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(DIST)/.built: node_modules/.installed $(wildcard app/assets/scss/*.scss) $(wildcard app/assets/js/*.js)
	npm run --silent build
	touch $@

assets: $(DIST)/.built

# The .mo files the app reads are build output, compiled from the committed .po files.
CATALOGUES := $(wildcard translations/*/LC_MESSAGES/messages.po)
translations/.compiled: $(CATALOGUES) $(RUNTIME)
	DEVELOPMENT=1 $(FLASK) translate compile
	touch $@

translations: translations/.compiled

run: $(RUNTIME) assets translations | .env
	DEVELOPMENT=1 $(FLASK) db upgrade
	DEVELOPMENT=1 $(FLASK) demo load --if-empty
	DEVELOPMENT=1 $(FLASK) run --host 127.0.0.1 --port $(PORT)

# The layers (pyproject.toml, [tool.importlinter]): a pure core with no Flask, no blueprint
# importing another, nothing below the pages importing them, and no import loops.
lint: $(DEVELOPMENT_TOOLS)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(DEVELOPMENT_TOOLS)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# pytest exits 5 when it collected nothing: that is a broken suite, not a pass.
test: $(DEVELOPMENT_TOOLS) assets translations lint
	$(BIN)/python -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: the suite is missing"; fi; \
	exit $$status

# Throughput (locust against gunicorn, SQLite and PostgreSQL), page weight in Chromium and
# worker memory; figures go to bench-results/bench.json. Not part of make test.
bench: $(DEVELOPMENT_TOOLS) assets
	$(BIN)/python -m tests.bench.run $(BENCH_ARGS)

# Known vulnerabilities in the pinned requirements (PyPI's advisory data or OSV). Needs the
# internet; in its own virtual environment, so the audit tool is not a dependency of the app.
PIP_AUDIT_VERSION := 2.10.1
audit:
	test -x .venv-audit/bin/pip-audit || ($(PYTHON) -m venv .venv-audit && \
		.venv-audit/bin/pip install --quiet pip-audit==$(PIP_AUDIT_VERSION))
	.venv-audit/bin/pip-audit --strict --no-deps --disable-pip -r requirements.txt

clean:
	rm -rf $(DIST) .pytest_cache translations/.compiled
	find translations -name '*.mo' -delete
