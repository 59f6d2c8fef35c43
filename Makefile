# One command to serve (make run) and one to test (make test), from a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
DIST := app/static/dist
PYTEST_ARGS ?=

.PHONY: run test lint format assets translations bench audit clean

$(BIN)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(DIST)/.built: node_modules/.installed $(wildcard app/assets/scss/*.scss) $(wildcard app/assets/js/*.js)
	npm run --silent build
	touch $@

assets: $(DIST)/.built

# The .mo files the app reads are build output, compiled from the committed .po files.
CATALOGUES := $(wildcard translations/*/LC_MESSAGES/messages.po)
translations/.compiled: $(CATALOGUES) $(BIN)/.installed
	DEVELOPMENT=1 $(FLASK) translate compile
	touch $@

translations: translations/.compiled

run: $(BIN)/.installed assets translations
	DEVELOPMENT=1 $(FLASK) db upgrade
	DEVELOPMENT=1 $(FLASK) demo load --if-empty
	DEVELOPMENT=1 $(FLASK) run --host 127.0.0.1 --port 5000

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# pytest exits 5 when it collected nothing: that is a broken suite, not a pass.
test: $(BIN)/.installed assets translations lint
	$(BIN)/python -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: the suite is missing"; fi; \
	exit $$status

# Throughput (locust against gunicorn, SQLite and PostgreSQL), page weight in Chromium and
# worker memory; figures go to bench-results/bench.json. Not part of make test.
bench: $(BIN)/.installed assets
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
