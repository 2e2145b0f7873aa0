# The two commands a newcomer needs: `make run` and `make test`. Each installs what it needs.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
PY      = $(BIN)/python
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test lint pytest bench browser clean help

help:
	@echo "make run    start the bot on SQLite with the local playground (http://127.0.0.1:3000)"
	@echo "make test   ruff, mypy, then pytest on SQLite and PostgreSQL, with the browser tests"
	@echo "make lint   ruff and mypy only"
	@echo "make bench  matcher and sensitivity-check evaluations, and the matcher, roundup and Slack benchmarks (docs/PERFORMANCE.md, docs/evidence.md)"

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstall when pyproject.toml changes; the stamp files record what was installed.
$(VENV)/.installed-run: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	touch $@

# Tests cover the optional Graph features too, so the dev install includes that extra.
$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev,graph]'
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

pytest: $(VENV)/.installed-dev browser
	$(PY) -m pytest -q

test: lint pytest

bench: $(VENV)/.installed-dev
	$(PY) -m bench.matching_eval
	$(PY) -m bench.sensitivity_eval
	$(PY) -m bench.sensitivity_eval --eval bench/data/sensitivity_holdout.json --min-masked 0.75
	$(PY) -m bench.sensitivity_speed
	$(PY) -m bench.similarity --sizes 1000,10000,100000
	$(PY) -m bench.roundups
	$(PY) -m bench.slack_events

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache .hypothesis
