# Two commands for a fresh machine with Python 3.11+: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-db lint bench install clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

## Load the demo centre into the embedded SQLite database, generate and publish next month, serve on 127.0.0.1.
demo: $(STAMP)
	$(BIN)/duty-roster demo

## Lint, then the whole test suite on the embedded SQLite default.
test: $(STAMP)
	$(BIN)/ruff check duty_roster tests benchmarks
	./scripts/install-chromium
	$(BIN)/python -m pytest -q

## The database tests again against DUTY_ROSTER_TEST_DATABASE_URL (PostgreSQL in CI).
test-db: $(STAMP)
	$(BIN)/python -m pytest -q -m db

## Benchmarks (minutes; never part of `make test`). See benchmarks/README.md.
bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
