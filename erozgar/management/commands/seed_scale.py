"""Load national-scale data for measuring: ``manage.py seed_scale --preset small|national``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from erozgar.scale import PRESETS, seed


class Command(BaseCommand):
    help = (
        "Load centres, spaces, freelancers with registrations and 14 days of bookings with COPY "
        "(small: seconds; national: 10,000 centres, 1,000,000 spaces, 1,500,000 freelancers). "
        "Run again: the earlier run's data is removed first, nothing else is touched."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--preset", choices=sorted(PRESETS), default="small")

    def handle(self, *args: Any, **options: Any) -> None:
        preset = PRESETS[options["preset"]]
        self.stdout.ending = ""  # the progress bar redraws its line with "\r"
        self.stdout.write(
            f"seed_scale {options['preset']}: {preset.centres:,} centres, "
            f"{preset.centres * preset.spaces_per_centre:,} spaces, {preset.freelancers:,} freelancers\n"
        )
        seed(preset, out=self.stdout)
