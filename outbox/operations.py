"""PSEB's operations page (/admin/operations/): Celery's queues and workers, the last run of each
of beat's jobs, and the outbox's backlog. Read-only; answers even when Redis is down."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from erozgar import health, operations

from . import selectors

logger = logging.getLogger(__name__)


def may_see_operations(user: Any) -> bool:
    """PSEB's administrators: superusers, and staff who may read the outgoing emails."""
    return bool(user.is_active and user.is_staff and user.has_perm("outbox.view_outgoingemail"))


def _or_none(read: Any, *args: Any) -> Any:
    try:
        return read(*args)
    except Exception as exc:  # noqa: BLE001 - Redis down: the page says so
        logger.warning("operations page: %s failed: %s: %s", read.__name__, type(exc).__name__, exc)
        return None


def operations_page(request: HttpRequest) -> HttpResponse:
    if not may_see_operations(request.user):
        raise PermissionDenied
    from erozgar.celery import app

    workers = _or_none(health.worker_heartbeats)
    context = {
        **admin.site.each_context(request),
        "title": _("Operations"),
        "queues": _or_none(operations.queue_lengths, sorted(app.amqp.queues.keys())),
        "workers": None
        if workers is None
        else [
            {"name": name, "age": age, "alive": age <= health.HEARTBEAT_MAX_AGE}
            for name, age in sorted(workers.items())
        ],
        "jobs": _or_none(operations.job_runs, app.conf.beat_schedule),
        "beat_last_seen": health.beat_last_seen(),
        "backlog": selectors.outbox_backlog(),
    }
    return TemplateResponse(request, "admin/operations.html", context)
