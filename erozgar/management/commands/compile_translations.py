"""Compile every .po file of the project into .mo, in pure Python (no gettext needed)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand

SKIP = {".venv", "var", "node_modules", ".git"}


class Command(BaseCommand):
    help = "Compile the project's .po translation files into .mo files."

    def handle(self, *args: object, **options: object) -> None:
        base = Path(settings.BASE_DIR)
        count = 0
        for po_path in sorted(base.rglob("*.po")):
            if SKIP.intersection(po_path.relative_to(base).parts):
                continue
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file)
            with po_path.with_suffix(".mo").open("wb") as mo_file:
                write_mo(mo_file, catalog, use_fuzzy=False)
            count += 1
        self.stdout.write(f"compiled {count} translation file(s)")
