"""Print a new random key for FIELD_ENCRYPTION_KEYS or BLIND_INDEX_KEY (32 bytes, URL-safe base64)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from erozgar.crypto import new_key


class Command(BaseCommand):
    help = "Print a new random key for FIELD_ENCRYPTION_KEYS or BLIND_INDEX_KEY."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(new_key())
