# Loket: `make run` serves the demo on SQLite, `make test` runs everything on both engines.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export HOST PORT

.PHONY: install run migrate demo test test-sqlite test-postgres lint bench messages clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/loket migrate

demo: migrate
	$(BIN)/loket demo

run: demo
	$(BIN)/loket serve

test: install lint test-sqlite test-postgres

lint: install
	$(BIN)/ruff check booking tests bench migrations
	$(BIN)/ruff format --check booking tests bench

# Extracts translatable strings and merges them into every catalog; then translate the
# new empty entries (tests fail while any is left empty or fuzzy).
messages: install
	$(BIN)/pybabel extract --no-location --sort-output --omit-header -F locale/babel.cfg -k N_ -o locale/messages.pot .
	for lang in nl pl ro bg uk; do \
	  if [ -f locale/$$lang/LC_MESSAGES/messages.po ]; then \
	    $(BIN)/pybabel update --no-fuzzy-matching -i locale/messages.pot -d locale -l $$lang; \
	  else $(BIN)/pybabel init -i locale/messages.pot -d locale -l $$lang; fi; \
	done

test-sqlite: install
	env -u DATABASE_URL $(BIN)/pytest

# Runs the same suite on a throwaway PostgreSQL cluster when initdb/pg_ctl are available.
test-postgres: install
	@if command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  scripts/with-postgres $(BIN)/pytest; \
	else echo "test-postgres: initdb/pg_ctl not found, PostgreSQL run skipped"; fi

bench: install
	env -u DATABASE_URL $(BIN)/python bench/run.py
	scripts/with-postgres $(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var
