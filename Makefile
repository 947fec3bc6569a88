# timebank — one command to run, one to test. See README.md.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
HOST   ?= 127.0.0.1
PORT   ?= 5000
POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

# Every package pinned with its hashes, for CPython 3.11 on Linux x86_64: the app's, and the app's with the test
# tools. `make lock` makes both from pyproject.toml (README: "The lock files").
LOCK      := requirements.lock
TEST_LOCK := requirements-test.lock
# uv resolves the locks (and only that: installing needs nothing but pip). LOCK_ARGS=--upgrade moves every pin
# to the newest release the ranges allow; LOCK_ARGS='--upgrade-package flask' one package.
UV_VERSION := 0.13.9
UV         := $(VENV)/lock-tool/bin/uv
LOCK_ARGS  ?=
PIP_INSTALL := $(BIN)/python -m pip install --quiet --disable-pip-version-check
# Fails on any medium or high finding not explained where it is (README: "Security notes"); the settings are
# pyproject.toml's [tool.bandit].
BANDIT := $(BIN)/bandit --quiet --configfile pyproject.toml --severity-level medium \
          --recursive timebank config.py wsgi.py

.PHONY: run worker test install install-test migrate demo translations bench bench-readme lint lock clean help

help:
	@echo "make run    - set up, migrate, load demo data and serve http://$(HOST):$(PORT)"
	@echo "make test   - run the whole test suite (PostgreSQL too when TIMEBANK_TEST_POSTGRES_URL is set)"
	@echo "make bench  - measure speed and memory (see bench/); BENCH_ARGS=--quick for a short run"
	@echo "make bench-readme - rewrite README.md's bench table from bench/results/latest.json"
	@echo "make lint   - ruff and bandit"
	@echo "make lock   - pin every dependency with hashes from pyproject.toml (LOCK_ARGS=--upgrade to move pins)"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "timebank needs Python 3.11")'
	$(PYTHON) -m venv $(VENV)

# Only what the lock names, each file checked against its hash; then the project itself, built with the locked
# setuptools (no build isolation, so nothing unpinned is downloaded to build it). `pip check` fails if
# pyproject.toml wants a package the lock lacks: run `make lock`.
$(VENV)/.installed: $(LOCK) pyproject.toml | $(BIN)/python
	$(PIP_INSTALL) --require-hashes -r $(LOCK)
	$(PIP_INSTALL) --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	@touch $@

$(VENV)/.installed-test: $(TEST_LOCK) $(VENV)/.installed
	$(PIP_INSTALL) --require-hashes -r $(TEST_LOCK)
	$(BIN)/python -m pip check
	@touch $@

install: $(VENV)/.installed translations
install-test: $(VENV)/.installed-test translations

# Compiled catalogues are build output, made from the committed .po files.
translations: $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d timebank/translations

# Serving, migrating and loading the demo from here is development on your own machine: a random key kept
# in instance/dev-secret-key signs the sessions. Anything else is production and needs TIMEBANK_SECRET_KEY.
migrate demo run: export TIMEBANK_ENV ?= development

migrate: install
	@mkdir -p instance
	$(FLASK) db upgrade

demo: migrate
	$(FLASK) demo

# Background jobs (imports, reminders) run on a thread inside this server unless TIMEBANK_QUEUE_URL names a
# Redis; then run `make worker` beside it. No reloader: one process serves, so one worker thread runs jobs.
run: demo
	$(FLASK) run --no-reload --host $(HOST) --port $(PORT)

worker: export TIMEBANK_ENV ?= development
worker: install
	$(FLASK) jobs worker

# The suite runs in parallel (pytest-xdist), each worker on databases of its own; TEST_WORKERS=0 runs it in one
# process (README: "Testing: time, workers and profiles").
TEST_WORKERS ?= auto
test: install-test
	$(BIN)/ruff check timebank tests bench
	$(BANDIT)
	$(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# Needs PostgreSQL (TIMEBANK_BENCH_POSTGRES_URL, default postgres@127.0.0.1:5432), wrk and pgbench; exits 1 if a
# target is missed. bench-readme rewrites README.md's bench table from bench/results/latest.json.
bench: install-test
	$(BIN)/python bench/run.py $(BENCH_ARGS)

bench-readme: $(VENV)/.installed
	$(BIN)/python bench/run.py --readme

lint: install-test
	$(BIN)/ruff check timebank tests bench
	$(BANDIT)

# The build backend is locked too (read from [build-system]), so building the project downloads nothing.
BUILD_REQUIRES := $(PYTHON) -c 'import tomllib; \
                  print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], sep="\n")'
UV_COMPILE     := $(UV) pip compile --quiet --no-header --generate-hashes --python-version 3.11 \
                  --python-platform x86_64-unknown-linux-gnu $(LOCK_ARGS)

# The test lock is constrained by the app's, so the packages they share have the same pins.
lock: $(UV)
	$(BUILD_REQUIRES) | $(UV_COMPILE) - pyproject.toml -o $(LOCK)
	$(BUILD_REQUIRES) | $(UV_COMPILE) - pyproject.toml --extra test --constraints $(LOCK) -o $(TEST_LOCK)
	sed -i -e '1i # For CPython 3.11 on Linux x86_64, every package pinned with its hashes. Made by `make lock`' \
	       -e '1i # from pyproject.toml (see README, "The lock files"): do not edit by hand.' $(LOCK) $(TEST_LOCK)

$(UV): | $(BIN)/python
	$(PYTHON) -m venv $(VENV)/lock-tool
	$(VENV)/lock-tool/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Refresh the message catalogue after adding or changing user-facing strings.
messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o timebank/translations/messages.pot .
	$(BIN)/pybabel update -i timebank/translations/messages.pot -d timebank/translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis
