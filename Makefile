# The two commands: `make run` and `make test`. Everything else is a helper of theirs.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Debian packages the test suite needs (browser tests, PDF glyphs, page rendering of exports).
TEST_DEBS := chromium fonts-noto-cjk poppler-utils libpango-1.0-0 libpangoft2-1.0-0 gettext libreoffice-writer libreoffice-calc texlive-lang-chinese

.PHONY: run test install install-test system-deps lint typecheck importcheck pytest bench bench-web messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Compiled once here as a non-editable install would (a shell with PYTHONDONTWRITEBYTECODE
# would otherwise compile the engine again on every `kaohe compute`).
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	$(BIN)/python -m compileall -q kaohe > /dev/null
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	$(BIN)/python -m compileall -q kaohe > /dev/null
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test system-deps

# Installs the Debian packages the tests need, only those that are missing.
system-deps:
	@missing=""; for p in $(TEST_DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

run: install
	$(BIN)/kaohe migrate --noinput
	$(BIN)/kaohe demo --address $(HOST):$(PORT)
	$(BIN)/kaohe runserver $(HOST):$(PORT)

lint: install-test
	$(BIN)/ruff check kaohe tests bench
	$(BIN)/ruff format --check kaohe tests bench

typecheck: install-test
	$(BIN)/mypy kaohe

importcheck: install-test
	$(BIN)/lint-imports

# The suite on every core (pytest-xdist; `auto` is 2 on this machine), each test module whole on
# one worker so that its module-scoped fixtures are built once, in the order of the files (the
# slow browser modules first, the many quick ones last to even out the end; xdist's default
# order would leave the few-test slow ones for last); KAOHE_TEST_WORKERS=0 runs it in this
# process. `pytest tests/x.py` alone still runs in one process. The tests marked `serial` (a
# VACUUM that waits for every transaction on the database server) run afterwards, alone.
KAOHE_TEST_WORKERS ?= auto
pytest: install-test
	$(BIN)/kaohe makemigrations --check --dry-run
	$(BIN)/pytest -n $(KAOHE_TEST_WORKERS) --dist loadscope --no-loadscope-reorder -m "not serial"
	$(BIN)/pytest -m serial

test: lint typecheck importcheck pytest

# The Chinese catalogues (kaohe/locale and kaohe/<app>/locale): update from the code, compile.
messages: install-test
	$(BIN)/python tools/messages.py

bench: install
	$(BIN)/python bench/compute.py

# Pages and ballots under gunicorn on PostgreSQL (127.0.0.1:5432, user postgres) against a bare
# Django app (bench/bare/): BENCH_WEB_ARGS=--quick for one pair of short runs.
bench-web: install
	$(BIN)/python bench/web.py $(BENCH_WEB_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
