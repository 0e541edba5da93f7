"""Uploaded documents are sealed at rest and owner-only on disk; their original names are sealed too.

Every stored file still in clear is sealed with the newest FIELD_ENCRYPTION_KEYS key (in
place, atomically) and made 0600, its folders 0700. A file already sealed is left as it
is. Reversible: going back writes the files and names in clear again.
"""

from pathlib import Path

from django.conf import settings
from django.db import migrations

import erozgar.fields
from erozgar import crypto
from erozgar.storage import FILE_MODE, SealedFileStorage, secure_folders, write_owner_only

BATCH = 1000


def _documents(Document, *fields):
    return Document.objects.order_by("pk").values_list("pk", *fields).iterator(chunk_size=BATCH)


def seal(apps, schema_editor):
    Document = apps.get_model("freelancers", "Document")
    storage = SealedFileStorage(location=settings.MEDIA_ROOT)
    batch = []
    for pk, name, original in _documents(Document, "file", "original_name"):
        path = Path(storage.path(name)) if name else None
        if path is not None and path.exists():
            storage.reseal(name)  # seals a file in clear; makes it and its folders owner-only
        batch.append(Document(pk=pk, original_name_sealed=original or None))
        if len(batch) == BATCH:
            Document.objects.bulk_update(batch, ["original_name_sealed"])
            batch = []
    Document.objects.bulk_update(batch, ["original_name_sealed"])
    root = Path(settings.MEDIA_ROOT)
    for folder in (p for p in root.rglob("*") if p.is_dir()):
        secure_folders(root, folder)


def unseal(apps, schema_editor):
    Document = apps.get_model("freelancers", "Document")
    storage = SealedFileStorage(location=settings.MEDIA_ROOT)
    ring = crypto.key_ring()
    batch = []
    for pk, name, original in _documents(Document, "file", "original_name_sealed"):
        path = Path(storage.path(name)) if name else None
        if path is not None and path.exists():
            data = path.read_bytes()
            if crypto.is_sealed(data):
                write_owner_only(path, ring.open(data, purpose=storage._purpose(name)))
                path.chmod(FILE_MODE)
        batch.append(Document(pk=pk, original_name=original or ""))
        if len(batch) == BATCH:
            Document.objects.bulk_update(batch, ["original_name"])
            batch = []
    Document.objects.bulk_update(batch, ["original_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("freelancers", "0004_seal_cnic_and_mobile"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="original_name_sealed",
            field=erozgar.fields.SealedTextField(
                blank=True,
                max_length=200,
                null=True,
                purpose="document.original_name",
                verbose_name="original file name",
            ),
        ),
        migrations.RunPython(seal, unseal, elidable=False),
        migrations.RemoveField(model_name="document", name="original_name"),
        migrations.RenameField(model_name="document", old_name="original_name_sealed", new_name="original_name"),
    ]
