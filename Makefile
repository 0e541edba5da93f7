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

.PHONY: run test setup install services migrate translations seed lint typecheck stop status bench lock clean help

help:
	@echo "make run     set up and serve http://127.0.0.1:$(PORT) with a Celery worker and beat"
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

run: seed
	@echo ""
	@echo "  e-Rozgar Portal:  http://127.0.0.1:$(PORT)/   (admin: http://127.0.0.1:$(PORT)/admin/)"
	@echo "  Health:           http://127.0.0.1:$(PORT)/healthz      API docs: http://127.0.0.1:$(PORT)/api/v1/docs/"
	@echo "  Ctrl-C stops the web server, the Celery worker and beat."
	@echo ""
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" PORT=$(PORT) $(VENV)/bin/honcho -f Procfile -e /dev/null start

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
