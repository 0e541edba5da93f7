"""`manage.py import_centres FILE.csv [--dry-run]`: the admin's CSV import, from the shell."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from centres import csv_io


class Command(BaseCommand):
    help = "Import centres and their spaces from a CSV file (one row per centre). All rows must be valid."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="CSV file, UTF-8, with a header row")
        parser.add_argument("--dry-run", action="store_true", help="check every row and write nothing")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="import the good rows even when some rows are bad"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            total = max(sum(1 for _ in path.open(encoding="utf-8-sig")) - 1, 0)
            with (
                path.open(encoding="utf-8-sig", newline="") as stream,
                tqdm(
                    total=total,
                    unit="row",
                    desc="Checking",
                    file=self.stderr,
                    disable=options["verbosity"] == 0,
                ) as bar,
            ):
                result = csv_io.import_centres_csv(
                    stream,
                    dry_run=options["dry_run"],
                    skip_invalid=options["skip_invalid"],
                    progress=bar.update,
                )
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path} is not UTF-8 text: {exc}") from exc
        for error in result.errors:
            self.stdout.write(self.style.ERROR(f"  line {error.line}: {error.reason}"))
        self.stdout.write(
            self.style.SUCCESS(result.summary()) if result.ok else self.style.WARNING(result.summary())
        )
        if result.errors and not result.written:
            raise CommandError(f"{len(result.errors)} bad row(s); fix them and run again.", returncode=1)
