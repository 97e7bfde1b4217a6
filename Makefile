# Treaty Atlas — set-up and everyday commands. See README.md.
#   make run    create .venv, install, migrate, load geodata/, serve on 127.0.0.1:$(PORT)
#   make test   install the test tools (Python, npm sources, Chromium), lint, run every test

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
# apt-get as root, or through sudo when there is one.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint derive browser messages clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  echo "Installing python3-venv …"; $(SUDO) apt-get update -qq && \
	  $(SUDO) apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.run-installed

# The interface's translations, compiled with Babel (pure Python).
MESSAGES := $(wildcard locale/*/LC_MESSAGES/django.po)
COMPILED := $(MESSAGES:.po=.mo)
locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(VENV)/.run-installed
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@

messages: $(COMPILED)

run: $(VENV)/.run-installed $(COMPILED)
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 $(BIN)/python manage.py load_atlas
	@echo "Treaty Atlas: http://127.0.0.1:$(PORT)/"
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Natural Earth (npm world-atlas), the source of the derived borders; the tests re-derive them.
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "Installing npm …"; $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm; }
	npm ci --no-audit --no-fund --loglevel=error

# Re-derive the generated layers of geodata/ (base map, borders, territories, 100-li zone).
derive: $(VENV)/.dev-installed node_modules/.package-lock.json
	DJANGO_DEBUG=1 $(BIN)/python manage.py derive_geodata

# The browser tests drive the system's Chromium; install it if it is missing.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Chromium for the browser tests …"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(VENV)/.dev-installed $(COMPILED) node_modules/.package-lock.json browser lint
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

clean:
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles .pytest_cache .ruff_cache
