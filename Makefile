# The two commands a newcomer needs: `make run` and `make test`. Each installs what it needs.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
PY      = $(BIN)/python
CHROMIUM ?= /usr/bin/chromium
# Every install takes its versions from this lock, so a new release of a dependency or a dev tool cannot
# break a clean checkout. `make lock` refreshes it (see the README).
LOCK    = constraints.txt
PIP     = -m pip install --quiet --disable-pip-version-check -c $(LOCK)
# Microsoft 365 Agents Playground (npm), for trying the Teams side locally and for its browser test.
AGENTS_PLAYGROUND = tools/agents-playground
# axe-core (npm), the accessibility rules the browser tests run on every page (WCAG 2.2 AA).
AXE = tools/axe

.PHONY: run test lint pytest runtime-check bench browser agents-playground axe lock clean help

help:
	@echo "make run    start the bot on SQLite with the local playground (http://127.0.0.1:3000)"
	@echo "make test   ruff, mypy, then pytest on SQLite and PostgreSQL, with the browser tests"
	@echo "make lint   ruff and mypy only"
	@echo "make lock   refresh constraints.txt from the newest releases pyproject.toml allows"
	@echo "make bench  matcher and sensitivity-check evaluations, and the matcher, roundup, Slack and time-to-reply benchmarks (docs/PERFORMANCE.md, docs/evidence.md)"
	@echo "make agents-playground  install Microsoft 365 Agents Playground (npm) to try the Teams side (docs/teams.md)"

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstall when pyproject.toml changes; the stamp files record what was installed.
$(VENV)/.installed-run: pyproject.toml $(LOCK) | $(PY)
	$(PY) $(PIP) -e .
	touch $@

# Tests cover the optional Graph features too, so the dev install includes that extra.
$(VENV)/.installed-dev: pyproject.toml $(LOCK) | $(PY)
	$(PY) $(PIP) -e '.[dev,graph]'
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(BIN)/innovation-bot migrate --demo
	$(BIN)/innovation-bot serve

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/mypy

# Debian's Chromium for the browser tests: installed when missing and we are root (as in CI).
browser:
	@if [ -x "$(CHROMIUM)" ]; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "Chromium is missing: install Debian's 'chromium' package (the browser tests need it)" >&2; exit 1; \
	fi

# npm ci from the committed lock file into tools/agents-playground/node_modules (git ignores it);
# npm writes node_modules/.package-lock.json last, so it marks a finished install.
$(AGENTS_PLAYGROUND)/node_modules/.package-lock.json: $(AGENTS_PLAYGROUND)/package.json $(AGENTS_PLAYGROUND)/package-lock.json
	@if command -v npm >/dev/null; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "installing Debian's nodejs and npm for Microsoft 365 Agents Playground"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	else \
		echo "npm is missing: install Debian's nodejs and npm packages (Agents Playground and its test need them)" >&2; \
		exit 1; \
	fi
	cd $(AGENTS_PLAYGROUND) && npm ci --ignore-scripts --no-audit --no-fund
	touch $@

agents-playground: $(AGENTS_PLAYGROUND)/node_modules/.package-lock.json

# The same for axe-core: npm ci from tools/axe's committed lock (npm itself is installed as above).
$(AXE)/node_modules/.package-lock.json: $(AXE)/package.json $(AXE)/package-lock.json | $(AGENTS_PLAYGROUND)/node_modules/.package-lock.json
	cd $(AXE) && npm ci --ignore-scripts --no-audit --no-fund
	touch $@

axe: $(AXE)/node_modules/.package-lock.json

pytest: $(VENV)/.installed-dev browser agents-playground axe
	$(PY) -m pytest -q

# The runtime install alone (`pip install .`, no dev tools, no extras) must migrate, serve and answer:
# the dev tools once hid a missing runtime dependency.
runtime-check:
	PYTHON=$(PYTHON) LOCK=$(LOCK) bash tests/runtime_check.sh

test: lint runtime-check pytest

bench: $(VENV)/.installed-dev
	$(PY) -m bench.matching_eval
	$(PY) -m bench.matching_eval --eval bench/data/matching_eval_hard.json
	$(PY) -m bench.sensitivity_eval
	$(PY) -m bench.sensitivity_eval --eval bench/data/sensitivity_holdout.json --min-masked 0.75
	$(PY) -m bench.sensitivity_speed
	$(PY) -m bench.similarity --sizes 1000,10000,100000
	$(PY) -m bench.semantic_speed --sizes 100000,1000000
	$(PY) -m bench.roundups
	$(PY) -m bench.slack_events
	$(PY) -m bench.time_to_reply
	$(PY) -m bench.outbox_dispatch

lock:
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --disable-pip-version-check '.[dev,graph]'
	{ echo "# The lock: exact versions for make run and make test. Refresh with 'make lock' (README)."; \
	  .venv-lock/bin/python -m pip freeze --exclude-editable --all | grep -v -i -E '^(innovation[-_]bot|pip|setuptools|wheel)( @|==)'; } > $(LOCK)
	rm -rf .venv-lock

clean:
	rm -rf $(VENV) .venv-runtime .venv-lock var .mypy_cache .ruff_cache .pytest_cache .hypothesis \
		$(AGENTS_PLAYGROUND)/node_modules
