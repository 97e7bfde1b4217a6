# Treaty Atlas — set-up and everyday commands. See README.md.
#   make run    create .venv, install, migrate, load geodata/, serve on 127.0.0.1:$(PORT)
#   make test   install the test tools (Python, npm sources, Chromium, PostgreSQL, Redis), lint,
#               run every test on SQLite, then again on PostgreSQL, then the cache's and the
#               workers' tests on Redis

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
# apt-get as root, or through sudo when there is one.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint derive browser postgres redis messages clean

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
# No package's install script runs: vnu-jar's would fetch a Java runtime; its jar is in the package.
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "Installing npm …"; $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm; }
	npm ci --no-audit --no-fund --loglevel=error --ignore-scripts

# Re-derive the generated layers of geodata/ (base map, borders, territories, 100-li zone).
derive: $(VENV)/.dev-installed node_modules/.package-lock.json
	DJANGO_DEBUG=1 $(BIN)/python manage.py derive_geodata

# The browser tests drive the system's Chromium; install it if it is missing.
# Chinese names need a CJK font (Noto CJK), or pages, PDFs and PNGs show missing-glyph boxes.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Chromium for the browser tests …"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	@dpkg -s fonts-noto-cjk >/dev/null 2>&1 || { \
	  echo "Installing the Noto CJK fonts …"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk; }

# The suite's second database: a local PostgreSQL cluster (Debian's packages) with a role that
# may create the test database (pytest-django creates and drops test_$(PG_DB)).
PG_USER ?= atlas_test
PG_PASSWORD ?= atlas_test
PG_DB ?= atlas_test
PG_PORT ?= 5432
PG_URL := postgres://$(PG_USER):$(PG_PASSWORD)@127.0.0.1:$(PG_PORT)/$(PG_DB)
PSQL := $(SUDO) su postgres -c
postgres:
	@command -v pg_ctlcluster >/dev/null 2>&1 || { \
	  echo "Installing PostgreSQL for the tests …"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; }
	@pg_isready -q -h 127.0.0.1 -p $(PG_PORT) || { \
	  cluster=$$(pg_lsclusters -h | awk '{print $$1, $$2; exit}'); \
	  [ -n "$$cluster" ] || { echo "No PostgreSQL cluster (pg_createcluster 15 main)"; exit 1; }; \
	  $(SUDO) pg_ctlcluster $$cluster start; \
	  for i in $$(seq 30); do pg_isready -q -h 127.0.0.1 -p $(PG_PORT) && break; sleep 1; done; }
	@$(PSQL) "psql -p $(PG_PORT) -tAc \"SELECT 1 FROM pg_roles WHERE rolname = '$(PG_USER)'\"" | grep -q 1 || \
	  $(PSQL) "psql -p $(PG_PORT) -qc \"CREATE ROLE $(PG_USER) LOGIN CREATEDB PASSWORD '$(PG_PASSWORD)'\""
	@$(PSQL) "psql -p $(PG_PORT) -tAc \"SELECT 1 FROM pg_database WHERE datname = '$(PG_DB)'\"" | grep -q 1 || \
	  $(PSQL) "createdb -p $(PG_PORT) -O $(PG_USER) $(PG_DB)"

# The cache's second backend: Debian's Redis server, on loopback only, in memory (no dump file),
# on a port of its own so that it leaves any other Redis on the machine alone.
REDIS_PORT ?= 6391
REDIS_URL := redis://127.0.0.1:$(REDIS_PORT)/1
redis:
	@command -v redis-server >/dev/null 2>&1 || { \
	  echo "Installing Redis for the tests …"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server; }
	@redis-cli -h 127.0.0.1 -p $(REDIS_PORT) ping 2>/dev/null | grep -q PONG || { \
	  redis-server --bind 127.0.0.1 --port $(REDIS_PORT) --save '' --appendonly no \
	    --daemonize yes --dir /tmp --logfile /tmp/atlas-test-redis-$(REDIS_PORT).log; \
	  for i in $$(seq 50); do \
	    redis-cli -h 127.0.0.1 -p $(REDIS_PORT) ping 2>/dev/null | grep -q PONG && break; sleep 0.2; done; \
	  redis-cli -h 127.0.0.1 -p $(REDIS_PORT) ping | grep -q PONG || { \
	    echo "Redis did not start on port $(REDIS_PORT): /tmp/atlas-test-redis-$(REDIS_PORT).log"; exit 1; }; }

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(VENV)/.dev-installed $(COMPILED) node_modules/.package-lock.json browser postgres redis lint
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	@echo "== The suite on SQLite =="
	env -u DATABASE_URL -u DJANGO_CACHE_URL $(BIN)/pytest
	@echo "== The suite on PostgreSQL =="
	env -u DJANGO_CACHE_URL DATABASE_URL=$(PG_URL) $(BIN)/pytest
	@echo "== The page cache and the two workers on Redis =="
	env -u DATABASE_URL DJANGO_CACHE_URL=$(REDIS_URL) $(BIN)/pytest tests/test_cache.py tests/test_workers.py

clean:
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles .pytest_cache .ruff_cache
