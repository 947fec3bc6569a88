# timebank — one command to run, one to test. See README.md.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
HOST   ?= 127.0.0.1
PORT   ?= 5000
POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

# Fails on any medium or high finding not explained where it is (README: "Security notes"); the settings are
# pyproject.toml's [tool.bandit].
BANDIT := $(BIN)/bandit --quiet --configfile pyproject.toml --severity-level medium \
          --recursive timebank config.py wsgi.py

.PHONY: run test install install-test migrate demo translations bench lint clean help

help:
	@echo "make run    - set up, migrate, load demo data and serve http://$(HOST):$(PORT)"
	@echo "make test   - run the whole test suite (PostgreSQL too when TIMEBANK_TEST_POSTGRES_URL is set)"
	@echo "make bench  - measure speed and memory (see bench/); BENCH_ARGS=--quick for a short run"
	@echo "make lint   - ruff and bandit"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "timebank needs Python 3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

install: $(VENV)/.installed translations
install-test: $(VENV)/.installed-test translations

# Compiled catalogues are build output, made from the committed .po files.
translations: $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d timebank/translations

migrate: install
	@mkdir -p instance
	$(FLASK) db upgrade

demo: migrate
	$(FLASK) demo

run: demo
	$(FLASK) run --host $(HOST) --port $(PORT)

test: install-test
	$(BIN)/ruff check timebank tests bench
	$(BANDIT)
	$(BIN)/pytest $(PYTEST_ARGS)

bench: install-test
	$(BIN)/python bench/run.py $(BENCH_ARGS)

lint: install-test
	$(BIN)/ruff check timebank tests bench
	$(BANDIT)

# Refresh the message catalogue after adding or changing user-facing strings.
messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o timebank/translations/messages.pot .
	$(BIN)/pybabel update -i timebank/translations/messages.pot -d timebank/translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis
