# Two commands matter: `make demo` and `make test`. Everything else is what they run.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export YRKESBRO_HOME ?= $(CURDIR)/var

.PHONY: demo test setup assets translations static wheel bench-load lint test-sqlite test-postgres bench clean

demo: setup
	$(BIN)/yrkesbro demo --port $(PORT)

test: setup lint test-sqlite test-postgres

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

VENDOR_STAMP := src/yrkesbro/core/static/vendor/.copied
MANIFEST := src/yrkesbro/collected_static/staticfiles.json
STATIC_SOURCES := $(shell find src/yrkesbro -path '*/static/*' -type f -not -path '*/collected_static/*' 2>/dev/null)

assets: $(VENDOR_STAMP)

$(VENDOR_STAMP): node_modules/.package-lock.json tools/vendor_assets.py
	$(BIN)/python tools/vendor_assets.py
	touch $@

translations: $(VENV)/.installed
	$(BIN)/yrkesbro compile_translations

# Collected and compressed once here (and so carried by a wheel), never at each serve/demo;
# again only when a static source file changed.
static: $(MANIFEST)

$(MANIFEST): $(VENDOR_STAMP) $(STATIC_SOURCES) | $(VENV)/.installed
	$(BIN)/yrkesbro collectstatic --noinput --clear --verbosity 0

setup: $(VENV)/.installed assets translations static

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy src/yrkesbro
	$(BIN)/yrkesbro check --fail-level WARNING
	$(BIN)/yrkesbro makemigrations --check --dry-run

# Two workers: the machines this runs on have two cores.
PYTEST_ARGS ?= -n 2

test-sqlite: setup
	env -u DATABASE_URL $(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

test-postgres: setup
	$(BIN)/python tools/test_postgres.py $(PYTEST_ARGS)

bench: setup
	$(BIN)/python bench/pages.py

# Load and faults (bench/README.md): SQLite by default; LOAD_ARGS='--database-url postgres://…'.
bench-load: setup
	$(BIN)/python bench/load.py $(LOAD_ARGS)

# A wheel with the front-end assets and compiled translations in it: `pip install dist/*.whl`.
wheel: setup
	$(BIN)/pip wheel --quiet --no-deps --no-build-isolation --wheel-dir dist .

clean:
	rm -rf $(VENV) node_modules var src/yrkesbro/core/static/vendor src/yrkesbro/collected_static
