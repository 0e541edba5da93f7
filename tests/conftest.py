"""Shared test fixtures: named actors, a real Celery worker, and Chromium for Playwright."""

from __future__ import annotations

import os
import random
import shutil
import string
from collections.abc import Callable, Iterator
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "en-GB", "timezone_id": "Asia/Karachi"}


@pytest.fixture(autouse=True)
def _english_by_default() -> Iterator[None]:
    """Each test starts in English; a test that switches to Urdu cannot leak it into the next."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    """Rate-limit counters and cached data must not leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _force_login_includes_the_second_factor(monkeypatch: pytest.MonkeyPatch) -> None:
    """``force_login`` skips the sign-in form, and so the second factor staff must give there: the
    session it makes counts as signed in with both (tests of two-factor sign-in use the real form)."""
    from django.test import Client

    from accounts.two_factor import SESSION_KEY

    original = Client.force_login

    def force_login(self: Client, user: Any, backend: str | None = None) -> None:
        original(self, user, backend)
        session = self.session
        session[SESSION_KEY] = str(user.pk)
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(scope="session")
def celery_worker_thread(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Any]:
    """A real Celery worker (in a thread of this process) consuming from the real Redis broker.

    It runs tasks against the test database, so tests using it need `transactional_db`.
    """
    from celery.contrib.testing.worker import start_worker

    from erozgar.celery import app

    app.conf.task_always_eager = False
    with django_db_blocker.unblock():
        app.control.purge()
        with start_worker(
            app, pool="solo", perform_ping_check=False, shutdown_timeout=10, loglevel="WARNING"
        ) as worker:
            yield worker


@pytest.fixture
def wait_for() -> Callable[..., Any]:
    """Poll a condition (a real worker works asynchronously) for up to `timeout` seconds."""
    from tests.concurrency import wait_until

    def _wait(condition: Callable[[], Any], timeout: float = 15.0, interval: float = 0.1) -> Any:
        return wait_until(condition, timeout=timeout, interval=interval)

    return _wait


@pytest.fixture
def password() -> str:
    return "Correct-Horse-Battery-42"


@pytest.fixture
def make_user(password: str) -> Callable[..., Any]:
    """Create a user whose email is verified (allauth would block the login otherwise)."""
    from allauth.account.models import EmailAddress

    from accounts.models import User

    def _make(email: str | None = None, **extra: Any) -> User:
        # Letters only: digits in the address can make a numeric test password "too similar to
        # the email" by chance, which made password tests flaky.
        tag = "".join(random.choices(string.ascii_lowercase, k=12))
        email = email or f"person-{tag}@example.pk"
        user = User.objects.create_user(email=email, password=password, **extra)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        return user

    return _make


@pytest.fixture
def pseb_admin(make_user: Callable[..., Any]) -> Any:
    return make_user("admin@pseb.test", full_name="PSEB Admin", is_staff=True, is_superuser=True)
