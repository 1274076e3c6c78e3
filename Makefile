# Loket: `make run` serves the demo on SQLite, `make test` runs everything on both engines.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export HOST PORT

.PHONY: install browser calendar-tools run migrate demo test test-sqlite test-postgres lint bench messages screenshot clean

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

# The embedded SMS backend sends nothing: /dev/messages shows the codes it would have sent.
run: demo
	LOKET_DEV_PAGES=on $(BIN)/loket serve

# Browser tests use Debian's Chromium (Playwright never downloads a browser here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "browser: Chromium is missing; install Debian's chromium package (apt-get install chromium)"; exit 1; fi; }

# Calendar tests read invites with Mozilla's ical.js (npm, pinned in tests/ical_js) and
# serve a Dovecot IMAP server of their own (Debian's dovecot-imapd; no system service).
ICAL_JS := tests/ical_js/node_modules/ical.js/package.json
$(ICAL_JS): tests/ical_js/package-lock.json
	cd tests/ical_js && npm ci --no-audit --no-fund --silent
	touch $(ICAL_JS)

calendar-tools: $(ICAL_JS)
	@command -v dovecot >/dev/null 2>&1 || test -x /usr/sbin/dovecot || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd >/dev/null; \
	  else echo "calendar-tools: Dovecot is missing; install Debian's dovecot-imapd package"; exit 1; fi; }

# Both engines side by side, one per core; scripts/run-tests prints each engine's log at the end.
test: install browser calendar-tools lint
	BIN=$(BIN) scripts/run-tests

lint: install
	$(BIN)/ruff check booking tests bench migrations
	$(BIN)/ruff format --check booking tests bench

# Extracts translatable strings and merges them into every catalog; then translate the
# new empty entries (tests fail while any is left empty or fuzzy).
messages: install
	$(BIN)/pybabel extract --no-wrap --no-location --sort-output --omit-header -F locale/babel.cfg -k N_ -o locale/messages.pot .
	for lang in nl pl ro bg uk; do \
	  if [ -f locale/$$lang/LC_MESSAGES/messages.po ]; then \
	    $(BIN)/pybabel update --no-wrap --no-fuzzy-matching --ignore-obsolete -i locale/messages.pot -d locale -l $$lang; \
	  else $(BIN)/pybabel init -i locale/messages.pot -d locale -l $$lang; fi; \
	done

test-sqlite: install browser calendar-tools
	env -u DATABASE_URL $(BIN)/pytest

# Runs the same suite on a throwaway PostgreSQL cluster when initdb/pg_ctl are available.
test-postgres: install browser calendar-tools
	@if command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  scripts/with-postgres $(BIN)/pytest; \
	else echo "test-postgres: initdb/pg_ctl not found, PostgreSQL run skipped"; fi

bench: install
	env -u DATABASE_URL $(BIN)/python -m bench.run
	scripts/with-postgres $(BIN)/python -m bench.run
	env -u DATABASE_URL $(BIN)/python -m bench.pages
	scripts/with-postgres $(BIN)/python -m bench.pages
	env -u DATABASE_URL $(BIN)/python -m bench.dispatch
	scripts/with-postgres $(BIN)/python -m bench.dispatch

# Refreshes the README's screenshot: the Polish time-choice page at phone width.
screenshot: install browser
	env -u DATABASE_URL LOKET_SCREENSHOT=$(CURDIR)/docs/booking-page.png $(BIN)/pytest -q tests/browser -k full_booking

clean:
	rm -rf $(VENV) var
