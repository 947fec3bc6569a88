# timebank — one command to run, one to test. See README.md.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
HOST   ?= 127.0.0.1
PORT   ?= 5000
POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: run test install install-test migrate demo translations bench lint clean help

help:
	@echo "make run    - set up, migrate, load demo data and serve http://$(HOST):$(PORT)"
	@echo "make test   - run the whole test suite (PostgreSQL too when TIMEBANK_TEST_POSTGRES_URL is set)"
	@echo "make bench  - measure speed and memory (see bench/); BENCH_ARGS=--quick for a short run"
	@echo "make lint   - ruff"

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

# Serving, migrating and loading the demo from here is development on your own machine: a random key kept
# in instance/dev-secret-key signs the sessions. Anything else is production and needs TIMEBANK_SECRET_KEY.
migrate demo run: export TIMEBANK_ENV ?= development

migrate: install
	@mkdir -p instance
	$(FLASK) db upgrade

demo: migrate
	$(FLASK) demo

run: demo
	$(FLASK) run --host $(HOST) --port $(PORT)

test: install-test
	$(BIN)/ruff check timebank tests bench
	$(BIN)/pytest $(PYTEST_ARGS)

bench: install-test
	$(BIN)/python bench/run.py $(BENCH_ARGS)

lint: install-test
	$(BIN)/ruff check timebank tests bench

# Refresh the message catalogue after adding or changing user-facing strings.
messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o timebank/translations/messages.pot .
	$(BIN)/pybabel update -i timebank/translations/messages.pot -d timebank/translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis
