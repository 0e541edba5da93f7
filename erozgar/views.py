from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from erozgar import health


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database, Redis and Celery worker: 200 when all answer, 503 naming what is down."""
    checks = {
        "database": health.check_database(),
        "redis": health.check_redis(),
        "celery": health.check_celery(),
    }
    down = [name for name, (ok, _detail) in checks.items() if not ok]
    body = {
        "status": "ok" if not down else "down",
        "down": down,
        "checks": {name: {"ok": ok, "detail": detail} for name, (ok, detail) in checks.items()},
        "beat_last_seen": health.beat_last_seen(),
    }
    return JsonResponse(body, status=200 if not down else 503)
