# Two commands for a fresh machine with Python 3.11+: `make demo` and `make test`.
# Installs come from the lock files in requirements/ (exact versions with hashes), so a new release upstream cannot
# change what a fresh clone installs; `make upgrade` is how new versions come in.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --quiet --require-hashes --no-deps
LOCK_APP := requirements/app.txt
LOCK_TEST := requirements/test.txt
LOCK_DEV := requirements/dev.txt
# uv's resolver writes the lock files; every lock holds the build tools too (requirements/build.in).
COMPILE := $(BIN)/uv pip compile pyproject.toml requirements/build.in --quiet --generate-hashes --universal \
	--python-version 3.11

.PHONY: demo test test-db test-dates lint bench install install-app upgrade lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# One stamp per lock: the package itself is installed editable, without build isolation, with the locked setuptools.
$(VENV)/.installed-app: $(LOCK_APP) pyproject.toml | $(BIN)/python
	$(PIP) -r $(LOCK_APP)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.installed-test: $(LOCK_TEST) pyproject.toml | $(BIN)/python
	$(PIP) -r $(LOCK_TEST)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@ $(VENV)/.installed-app

$(VENV)/.installed-dev: $(LOCK_DEV) pyproject.toml | $(BIN)/python
	$(PIP) -r $(LOCK_DEV)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@ $(VENV)/.installed-test $(VENV)/.installed-app

install-app: $(VENV)/.installed-app
install: $(VENV)/.installed-test

## Load the demo centre into the embedded SQLite database, generate and publish next month, serve on 127.0.0.1.
demo: $(VENV)/.installed-app
	$(BIN)/duty-roster demo

## Lint, the whole test suite on the embedded SQLite default (at a fixed "today"), then the date-sensitive tests
## again at the other fixed days of tests/clock.py.
test: $(VENV)/.installed-test
	$(BIN)/ruff check duty_roster tests benchmarks
	./scripts/install-chromium
	$(BIN)/python -m pytest -q
	$(MAKE) --no-print-directory test-dates

## The date-sensitive tests (marker `dates`) at each fixed "today" other than the default one.
test-dates: $(VENV)/.installed-test
	$(BIN)/python -m tests.clock --each-other-day -- $(BIN)/python -m pytest -q -m dates -p no:cacheprovider

## The database tests again against DUTY_ROSTER_TEST_DATABASE_URL (PostgreSQL in CI).
test-db: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q -m db

lint: $(VENV)/.installed-test
	$(BIN)/ruff check duty_roster tests benchmarks

## Benchmarks (minutes; never part of `make test`). See benchmarks/README.md.
bench: $(VENV)/.installed-test
	$(BIN)/python -m benchmarks.run

## Take the newest versions that pyproject.toml allows into the lock files, install them, and run the whole suite.
## Review `git diff requirements/`, then commit the lock files with the suite's result.
upgrade: $(VENV)/.installed-dev
	$(COMPILE) --upgrade -o $(LOCK_APP)
	$(COMPILE) --upgrade --extra test -o $(LOCK_TEST)
	$(COMPILE) --upgrade --extra test --extra dev -o $(LOCK_DEV)
	$(PIP) -r $(LOCK_DEV)
	touch $(VENV)/.installed-dev $(VENV)/.installed-test $(VENV)/.installed-app
	$(MAKE) --no-print-directory test

## Re-lock after editing dependencies in pyproject.toml, keeping every other version as it is.
lock: $(VENV)/.installed-dev
	$(COMPILE) -o $(LOCK_APP)
	$(COMPILE) --extra test -o $(LOCK_TEST)
	$(COMPILE) --extra test --extra dev -o $(LOCK_DEV)

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
