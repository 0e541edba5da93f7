from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_safe

from erozgar import health
from erozgar.api import error_body


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


# Browsers, feed readers and the admin ask for /favicon.ico whatever the page's <link rel="icon">.
FAVICON = settings.BASE_DIR / "static" / "img" / "favicon.svg"


@require_safe
@cache_control(max_age=7 * 24 * 3600, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """The portal's icon at the address browsers try first (SVG, which every current browser reads)."""
    return HttpResponse(FAVICON.read_bytes(), content_type="image/svg+xml")


@never_cache
@require_GET
def healthz_live(request: HttpRequest) -> JsonResponse:
    """The process is up and answering. Touches nothing else (a load balancer's liveness probe)."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def healthz_ready(request: HttpRequest) -> JsonResponse:
    """Database and Redis answer (readiness: send this process traffic); 503 naming what is down."""
    checks = {"database": health.check_database(), "redis": health.check_redis()}
    down = [name for name, (ok, _detail) in checks.items() if not ok]
    body = {
        "status": "ok" if not down else "down",
        "down": down,
        "checks": {name: {"ok": ok, "detail": detail} for name, (ok, detail) in checks.items()},
    }
    return JsonResponse(body, status=200 if not down else 503)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database, Redis and Celery worker (its heartbeat): 200 when all are up, 503 naming what is down."""
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


# --- error pages: the API answers in its JSON error shape, the portal with its pages ----------


def _api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _api(request):
        return JsonResponse(error_body("bad_request", _("The request could not be read.")), status=400)
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _api(request):
        return JsonResponse(
            error_body("permission_denied", _("You do not have permission to do this.")), status=403
        )
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _api(request):
        return JsonResponse(error_body("not_found", _("Not found.")), status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _api(request):
        body = error_body("server_error", _("The portal hit an error. Please try again in a minute."))
        return JsonResponse(body, status=500)
    return defaults.server_error(request)
