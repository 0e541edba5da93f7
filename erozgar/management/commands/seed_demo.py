"""Load demo data for `make run`. Idempotent: running it again changes nothing it made."""

from __future__ import annotations

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

# Each app may offer a `demo` module with `seed(stdout) -> list[tuple[str, str, str]]`
# returning (role, email, password) rows to print. Order matters: centres before bookings.
DEMO_APPS = ["accounts", "centres", "freelancers", "bookings", "desk"]


class Command(BaseCommand):
    help = "Create demo centres, spaces, users and bookings (safe to run again)."

    def handle(self, *args: object, **options: object) -> None:
        logins: list[tuple[str, str, str]] = []
        for app in DEMO_APPS:
            try:
                module = import_module(f"{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.demo":
                    raise
                continue
            with transaction.atomic():
                logins.extend(module.seed(self.stdout) or [])
        self.stdout.write(self.style.SUCCESS("Demo data ready. Demo logins:"))
        width = max((len(role) for role, _, _ in logins), default=10)
        for role, email, password in logins:
            self.stdout.write(f"  {role.ljust(width)}  {email}  /  {password}")
