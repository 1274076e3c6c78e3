# Loket: `make run` serves the demo on SQLite, `make test` runs everything on both engines.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RUNTIME_STAMP := $(VENV)/.installed-runtime
HOST ?= 127.0.0.1
PORT ?= 8000
export HOST PORT

.PHONY: install install-runtime lock upgrade nginx wrk stack browser axe-core calendar-tools oidc-provider run migrate demo test test-sqlite test-postgres lint bench messages screenshot clean

# Installs come from the lock files only (hashes checked): requirements.txt is what Loket
# runs on, requirements-test.txt adds the test tools. `make lock` re-locks after a change to
# pyproject.toml, `make upgrade` moves every pin to the newest release allowed.
$(VENV)/.created:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	touch $@

# pip check fails when pyproject.toml names a package the lock lacks: run `make lock`.
define install_locked
	$(BIN)/pip install --quiet --require-hashes --no-deps -r $(1)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/pip check >/dev/null || { $(BIN)/pip check; echo "$(1) is stale: run make lock"; exit 1; }
endef

$(RUNTIME_STAMP): $(VENV)/.created requirements.txt pyproject.toml
	$(call install_locked,requirements.txt)
	touch $@

$(STAMP): $(VENV)/.created requirements-test.txt pyproject.toml
	$(call install_locked,requirements-test.txt)
	touch $@ $(RUNTIME_STAMP)

install-runtime: $(RUNTIME_STAMP)

install: $(STAMP)

# The lock tool is installed (pinned) only for these; uv resolves for every platform.
UV := uv==0.13.9
UV_COMPILE = $(BIN)/uv pip compile pyproject.toml --quiet --generate-hashes --universal \
	--python-version 3.11 --group build

lock: $(VENV)/.created
	$(BIN)/pip install --quiet $(UV)
	$(UV_COMPILE) $(UPGRADE) --extra test -o requirements-test.txt
	$(UV_COMPILE) -c requirements-test.txt -o requirements.txt

upgrade:
	$(MAKE) lock UPGRADE=--upgrade

migrate: install-runtime
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

# Single sign-on tests run panva's oidc-provider (npm, pinned in tests/oidc_provider) on loopback.
OIDC_PROVIDER := tests/oidc_provider/node_modules/oidc-provider/package.json
$(OIDC_PROVIDER): tests/oidc_provider/package-lock.json
	cd tests/oidc_provider && npm ci --no-audit --no-fund --silent
	touch $(OIDC_PROVIDER)

oidc-provider: $(OIDC_PROVIDER)

# Accessibility checks inject Deque's axe-core (npm, pinned in tests/axe_core) into Chromium.
AXE_CORE := tests/axe_core/node_modules/axe-core/axe.min.js
$(AXE_CORE): tests/axe_core/package-lock.json
	cd tests/axe_core && npm ci --no-audit --no-fund --silent
	touch $(AXE_CORE)

axe-core: $(AXE_CORE)

calendar-tools: $(ICAL_JS)
	@command -v dovecot >/dev/null 2>&1 || test -x /usr/sbin/dovecot || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd >/dev/null; \
	  else echo "calendar-tools: Dovecot is missing; install Debian's dovecot-imapd package"; exit 1; fi; }

# The local stack (scripts/stack, issue 15) puts Debian's nginx in front of two web processes.
nginx:
	@command -v nginx >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >/dev/null; \
	  else echo "nginx: missing; install Debian's nginx-light package (apt-get install nginx-light)"; exit 1; fi; }

# PostgreSQL, migrate, two web processes behind nginx and a worker, as compose.yaml; Ctrl-C stops it.
stack: install-runtime nginx
	scripts/stack --demo

# Both engines side by side, one per core; scripts/run-tests prints each engine's log at the end.
test: install browser axe-core calendar-tools oidc-provider nginx lint
	BIN=$(BIN) scripts/run-tests

lint: install
	$(BIN)/ruff check booking tests bench migrations
	$(BIN)/ruff format --check booking tests bench

# Extracts translatable strings and merges them into every catalog; then translate the
# new empty entries (tests fail while any is left empty or fuzzy).
messages: install
	PYTHONPATH=$(CURDIR) $(BIN)/python scripts/messages

test-sqlite: install browser axe-core calendar-tools oidc-provider nginx
	env -u DATABASE_URL $(BIN)/pytest

# Runs the same suite on a throwaway PostgreSQL cluster when initdb/pg_ctl are available.
test-postgres: install browser axe-core calendar-tools oidc-provider nginx
	@if command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  scripts/with-postgres $(BIN)/pytest; \
	else echo "test-postgres: initdb/pg_ctl not found, PostgreSQL run skipped"; fi

# The national benchmark measures requests/s with wrk (Debian's package): a compiled load
# generator, so the client does not take the CPU the web workers need.
wrk:
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null; \
	  else echo "wrk: missing; install Debian's wrk package (apt-get install wrk)"; exit 1; fi; }

bench: install wrk
	env -u DATABASE_URL $(BIN)/python -m bench.run
	scripts/with-postgres $(BIN)/python -m bench.run
	env -u DATABASE_URL $(BIN)/python -m bench.pages
	scripts/with-postgres $(BIN)/python -m bench.pages
	env -u DATABASE_URL $(BIN)/python -m bench.dispatch
	scripts/with-postgres $(BIN)/python -m bench.dispatch
	env -u DATABASE_URL $(BIN)/python -m bench.dispatch --crash
	scripts/with-postgres $(BIN)/python -m bench.dispatch --crash
	env -u DATABASE_URL $(BIN)/python -m bench.retention
	scripts/with-postgres $(BIN)/python -m bench.retention
	env -u DATABASE_URL $(BIN)/python -m bench.logins
	scripts/with-postgres $(BIN)/python -m bench.logins
	scripts/with-postgres $(BIN)/python -m bench.national
	env -u DATABASE_URL $(BIN)/python -m bench.audit_log
	scripts/with-postgres $(BIN)/python -m bench.audit_log
	scripts/with-postgres $(BIN)/python -m bench.reports

# Refreshes the README's screenshots: the Polish and the Arabic time-choice page at phone
# width, the walk-in kiosk in Polish at tablet width, and the week calendar at desk width
# after a consultant's evening in it.
screenshot: install browser
	env -u DATABASE_URL LOKET_SCREENSHOT=$(CURDIR)/docs/booking-page.png \
	  LOKET_SCREENSHOT_AR=$(CURDIR)/docs/booking-page-ar.png \
	  LOKET_SCREENSHOT_KIOSK=$(CURDIR)/docs/kiosk.png \
	  $(BIN)/pytest -q tests/browser -k "full_booking or arabic_right_to_left or two_walk_ins"
	env -u DATABASE_URL LOKET_WEEK_SCREENSHOT=$(CURDIR)/docs/week-calendar.png $(BIN)/pytest -q tests/browser/test_week_flow.py

clean:
	rm -rf $(VENV) var
