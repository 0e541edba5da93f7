"""Re-seal all personal data with the newest key, and recompute every blind index.

    manage.py rotate_encryption_keys           # re-seal and re-index, with a progress bar
    manage.py rotate_encryption_keys --check   # only say what is sealed under which key

Rotating the encryption key: put a new key first in FIELD_ENCRYPTION_KEYS (keep the old
ones after it), deploy, run this command, then remove the old keys. Rotating
BLIND_INDEX_KEY: set the new key and run this command at once; until it has finished,
look-ups by CNIC or mobile miss the rows it has not reached yet.

Every sealed column of every model is visited (``erozgar.fields``), and every file of
a sealed storage (``erozgar.storage``). Rows are locked batch by batch while they are
re-sealed, so a person saving their form at the same moment loses nothing. Running it
twice is harmless.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, TextIO, cast

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from tqdm import tqdm

from erozgar import crypto
from erozgar.fields import BlindIndexField, SealedTextField, blind_indexes
from erozgar.storage import sealed_file_fields

BATCH = 500


def sealed_models() -> list[tuple[type[models.Model], list[SealedTextField], list[BlindIndexField]]]:
    found = []
    for model in apps.get_models():
        sealed = [f for f in model._meta.concrete_fields if isinstance(f, SealedTextField)]
        if sealed:
            found.append((model, sealed, blind_indexes(model)))
    return found


class Command(BaseCommand):
    help = "Re-seal personal data with the newest FIELD_ENCRYPTION_KEYS key and recompute blind indexes."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--check", action="store_true", help="count only; change nothing")
        parser.add_argument("--no-progress", action="store_true", help="no progress bars")

    def handle(self, *args: Any, check: bool, no_progress: bool, **options: Any) -> None:
        ring = crypto.key_ring()
        self.newest = ring.newest_id.hex()
        self.progress = not no_progress
        self.stdout.write(f"newest key: {self.newest}")
        stale = 0
        for model, sealed, indexes in sealed_models():
            stale += self._check_rows(model, sealed, indexes) if check else self._rotate_rows(model, sealed)
        for model, field in sealed_file_fields():
            stale += self._files(model, field, check=check)
        if check and stale:
            raise CommandError(f"{stale} value(s) or file(s) are not sealed with the newest key or index key")

    def _bar(self, total: int, label: str) -> tqdm[Any]:
        stream = cast(TextIO, self.stderr._out)  # the command's stderr (a test's buffer, or the terminal)
        return tqdm(total=total, desc=label, unit=" rows", disable=not self.progress, file=stream)

    def _rotate_rows(self, model: type[models.Model], sealed: list[SealedTextField]) -> int:
        label = model._meta.label
        sources = [f.name for f in sealed]
        writes = sources + [f.name for f in blind_indexes(model)]
        manager = model._default_manager
        last = None
        with self._bar(manager.count(), label) as bar:
            while True:
                with transaction.atomic():
                    queryset = manager.select_for_update().order_by("pk").only("pk", *sources)
                    batch = list((queryset.filter(pk__gt=last) if last is not None else queryset)[:BATCH])
                    if not batch:
                        break
                    # Saving writes each value sealed anew (newest key) and each blind index as the
                    # index key computes it now.
                    manager.bulk_update(batch, writes)
                last = batch[-1].pk
                bar.update(len(batch))
        self.stdout.write(f"{label}: re-sealed {', '.join(writes)}")
        return 0

    def _check_rows(
        self, model: type[models.Model], sealed: list[SealedTextField], indexes: list[BlindIndexField]
    ) -> int:
        stale = 0
        for field in sealed:
            for kid, count in sorted(self._key_ids(model, field).items()):
                newest = kid == self.newest
                mark = " (newest)" if newest else ""
                self.stdout.write(f"{model._meta.label}.{field.name}: {count} under key {kid}{mark}")
                stale += 0 if newest else count
        for index in indexes:
            stale += self._stale_index(model, index)
        return stale

    def _key_ids(self, model: type[models.Model], field: SealedTextField) -> Counter[str]:
        """Rows by the id of the key that sealed them, read from the raw column (nothing is unsealed)."""
        table = connection.ops.quote_name(model._meta.db_table)
        column = connection.ops.quote_name(str(field.column))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT encode(substring({column} from %s for %s), 'hex'), count(*) "  # noqa: S608
                f"FROM {table} WHERE {column} IS NOT NULL GROUP BY 1",
                [len(crypto.MAGIC) + 1, crypto.KEY_ID_BYTES],
            )
            return Counter(dict(cursor.fetchall()))

    def _stale_index(self, model: type[models.Model], index: BlindIndexField) -> int:
        """Rows whose stored blind index is not what BLIND_INDEX_KEY makes of their value now."""
        stale = 0
        for source, stored in model._default_manager.values_list(index.source, index.name).iterator(
            chunk_size=2000
        ):
            expected = index.digest(source)
            stale += (bytes(stored) if stored is not None else None) != expected
        self.stdout.write(
            f"{model._meta.label}.{index.name}: {stale} not made with the current BLIND_INDEX_KEY"
        )
        return stale

    def _files(self, model: type[models.Model], field: models.FileField, *, check: bool) -> int:
        label = f"{model._meta.label}.{field.name}"
        names = list(model._default_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True))
        storage = field.storage
        stale = 0
        with self._bar(len(names), f"{label} files") as bar:
            for name in names:
                if check:
                    stale += not storage.is_current(name)  # type: ignore[attr-defined]
                else:
                    storage.reseal(name)  # type: ignore[attr-defined]
                bar.update(1)
        self.stdout.write(
            f"{label}: {len(names)} file(s){f', {stale} not under the newest key' if check else ' re-sealed'}"
        )
        return stale
