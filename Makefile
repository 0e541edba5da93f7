# e-Rozgar Portal. `make run` serves the portal; `make test` runs the whole suite.
# Both set everything up first: virtualenv, pinned dependencies, PostgreSQL and Redis
# (embedded under var/ unless DATABASE_URL / REDIS_URL are set), migrations.

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
# Development and tests install requirements-dev.lock (production's requirements.lock plus the
# embedded servers, honcho and the test and lint tools); the Docker image installs requirements.lock.
DEV_LOCK := requirements-dev.lock
STAMP := $(VENV)/.installed-$(shell sha1sum $(DEV_LOCK) | cut -c1-12)
PORT ?= 8000
WORKER_CONCURRENCY ?= 2
RUN_DIR := $(CURDIR)/var/run

.PHONY: run dev banner test setup install services migrate translations seed lint typecheck stop status bench lock clean help

help:
	@echo "make run     set up and serve http://127.0.0.1:$(PORT) on gunicorn with a Celery worker and beat"
	@echo "make dev     the same with Django's autoreloading development server (for changing code)"
	@echo "make test    set up and run the whole test suite"
	@echo "make lint    ruff check, ruff format --check and mypy;  make stop: stop the embedded PostgreSQL and Redis"

$(STAMP): $(DEV_LOCK)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv==0.13.8
	$(VENV)/bin/uv pip install --quiet --python $(PY) --require-hashes -r $(DEV_LOCK)
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)

services: install
	$(PY) -m erozgar.devservices up

translations: install
	$(PY) manage.py compile_translations

migrate: services
	$(PY) manage.py migrate --noinput

setup: migrate translations

seed: setup
	$(PY) manage.py seed_demo

# The portal for real: gunicorn (sync workers: WEB_CONCURRENCY, else 2 x CPUs + 1), the Celery
# worker and beat, under supervisord (supervisord.conf), which restarts whichever crashes.
run: seed
	@$(MAKE) --no-print-directory banner
	@echo "  Ctrl-C stops the web server, the Celery worker and beat (supervisord restarts any that crashes)."
	@echo ""
	@mkdir -p $(RUN_DIR) && rm -rf $(RUN_DIR)/prometheus && mkdir $(RUN_DIR)/prometheus
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" PORT=$(PORT) EROZGAR_RUN_DIR=$(RUN_DIR) \
	  WORKER_CONCURRENCY=$(WORKER_CONCURRENCY) DEBUG=$${DEBUG:-false} \
	  PROMETHEUS_MULTIPROC_DIR=$(RUN_DIR)/prometheus \
	  $(VENV)/bin/supervisord -c supervisord.conf

# For people changing code: Django's autoreloading development server, the worker and beat (honcho).
dev: seed
	@$(MAKE) --no-print-directory banner
	@echo "  Development server (reloads on code changes). Ctrl-C stops it, the Celery worker and beat."
	@echo ""
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" PORT=$(PORT) $(VENV)/bin/honcho -f Procfile -e /dev/null start

banner:
	@echo ""
	@echo "  e-Rozgar Portal:  http://127.0.0.1:$(PORT)/   (admin: http://127.0.0.1:$(PORT)/admin/)"
	@echo "  Health:           http://127.0.0.1:$(PORT)/healthz      API docs: http://127.0.0.1:$(PORT)/api/v1/docs/"

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

bench: setup
	$(PY) -m pytest bench -q -s -p no:warnings

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy .

typecheck: install
	$(PY) -m mypy .

stop: install
	$(PY) -m erozgar.devservices down

status: install
	$(PY) -m erozgar.devservices status

# Both lock files, with hashes, for every platform (the image builds for amd64 and arm64). The
# development lock is compiled first and the production lock keeps its versions, so the two agree.
LOCK_FLAGS := --generate-hashes --universal --python-version 3.11 --quiet
lock: install
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev $(LOCK_FLAGS) -o $(DEV_LOCK)
	$(VENV)/bin/uv pip compile pyproject.toml -c $(DEV_LOCK) $(LOCK_FLAGS) -o requirements.lock

clean: stop
	rm -rf var/staticfiles
