# Production image: gunicorn serves Django (whitenoise serves static files); the same image
# runs the Celery worker and beat. Build: docker compose build
# Both architectures: docker buildx build --platform linux/amd64,linux/arm64 -t erozgar-portal .
# Only the production lock is installed (hash-checked): no embedded PostgreSQL or Redis, no
# honcho, no test or lint tools (they are in requirements-dev.lock).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

RUN useradd --create-home --uid 10001 erozgar
COPY requirements.lock ./
RUN pip install uv==0.13.8 && uv pip install --system --require-hashes -r requirements.lock

COPY . .
# Static files and compiled translations are built into the image (dummy settings: no I/O; the
# keys below seal nothing, they only let production settings load).
RUN DJANGO_ENV=production SECRET_KEY=build-only ALLOWED_HOSTS=build SITE_URL=https://build DATABASE_URL=postgres://build@localhost/build \
    REDIS_URL=redis://localhost:6379/0 EMAIL_URL=consolemail:// \
    FIELD_ENCRYPTION_KEYS=lg4beG8shnc5ERJRrZZM5FKdbbLx5n3s0rEDNhNSF7I= BLIND_INDEX_KEY=H_C7z3pBwx-8He6iUMcn_KYF8RzEcMrCMovDivtXZmo= \
    sh -c "python manage.py collectstatic --noinput && python manage.py compile_translations" \
 && mkdir -p /app/var/media && chown -R erozgar /app/var && chmod 700 /app/var/media

USER erozgar
EXPOSE 8000
# Logs: one JSON line per request from Django itself (request id, method, path without its
# query string, status, duration; a desk look-up's ?q=<CNIC> never reaches the logs), so
# gunicorn keeps no access log of its own. /metrics sums every gunicorn worker's counters
# through PROMETHEUS_MULTIPROC_DIR (empty in a fresh container).
ENV PROMETHEUS_MULTIPROC_DIR=/tmp/erozgar-metrics
CMD ["gunicorn", "erozgar.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--max-requests", "1000", "--max-requests-jitter", "100"]
