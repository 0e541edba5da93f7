"""The migration that seals CNIC and mobile, run on rows written in clear the way they were before it."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from erozgar.crypto import MAGIC
from freelancers.models import Document, Registration
from freelancers.selectors import find_registration_by_cnic_or_mobile
from tests.freelancers.conftest import image_bytes

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("freelancers", "0003_registration_newest_first_index")]
SEALED = [("freelancers", "0004_seal_cnic_and_mobile")]
DOCUMENTS_SEALED = [("freelancers", "0005_seal_documents")]


def migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def column_type(column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT data_type FROM information_schema.columns "
            "WHERE table_name = 'freelancers_registration' AND column_name = %s",
            [column],
        )
        return cursor.fetchone()[0]


def test_existing_plaintext_rows_are_sealed_indexed_and_the_plaintext_columns_dropped() -> None:
    old = migrate(BEFORE)
    try:
        user = old.get_model("accounts", "User").objects.create(email="old@example.pk", password="!")
        old.get_model("freelancers", "Registration").objects.create(
            user=user, status="draft", cnic="35202-1234567-3", mobile="+923001234567", full_name="Old Row"
        )
        without = old.get_model("accounts", "User").objects.create(email="blank@example.pk", password="!")
        old.get_model("freelancers", "Registration").objects.create(user=without, status="draft")
        assert column_type("cnic") == "character varying"

        migrate(SEALED)

        assert column_type("cnic") == "bytea" and column_type("mobile") == "bytea"
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT cnic, mobile, cnic_digest FROM freelancers_registration WHERE full_name = 'Old Row'"
            )
            cnic, mobile, digest = (bytes(value) for value in cursor.fetchone())
        assert cnic.startswith(MAGIC) and mobile.startswith(MAGIC) and len(digest) == 32
        assert b"1234567" not in cnic + mobile
        row = Registration.objects.get(full_name="Old Row")
        assert (row.cnic, row.mobile) == ("35202-1234567-3", "+923001234567")
        blank = Registration.objects.get(user__email="blank@example.pk")
        assert blank.cnic is None and blank.mobile is None and blank.cnic_digest is None

        Registration.objects.filter(pk=row.pk).update(
            status="submitted", submitted_at=row.created_at, declaration_accepted_at=row.created_at
        )
        assert find_registration_by_cnic_or_mobile("3520212345673") == row
        assert find_registration_by_cnic_or_mobile("0300-1234567") == row

        # And back: the migration unseals into plaintext columns again.
        migrate(BEFORE)
        with connection.cursor() as cursor:
            cursor.execute("SELECT cnic, mobile FROM freelancers_registration WHERE full_name = 'Old Row'")
            assert cursor.fetchone() == ("35202-1234567-3", "+923001234567")
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_existing_documents_in_clear_are_sealed_and_made_owner_only(private_media: Path) -> None:
    old = migrate(SEALED)
    try:
        user = old.get_model("accounts", "User").objects.create(email="old@example.pk", password="!")
        registration = old.get_model("freelancers", "Registration").objects.create(user=user, status="draft")
        folder = private_media / "private" / "registrations" / str(registration.pk)
        folder.mkdir(parents=True, mode=0o755)
        png = image_bytes("PNG")
        (folder / "front.png").write_bytes(png)
        (folder / "front.png").chmod(0o644)  # as the old storage left it: readable by every account
        document = old.get_model("freelancers", "Document").objects.create(
            registration=registration,
            kind="cnic_front",
            file=f"private/registrations/{registration.pk}/front.png",
            content_type="image/png",
            size=len(png),
            original_name="35202-1234567-3 front.png",
        )

        migrate(DOCUMENTS_SEALED)

        raw = (folder / "front.png").read_bytes()
        assert raw.startswith(MAGIC) and png[:16] not in raw
        assert stat.S_IMODE((folder / "front.png").stat().st_mode) == 0o600
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert stat.S_IMODE((private_media / "private").stat().st_mode) == 0o700
        migrated = Document.objects.get(pk=document.pk)
        assert migrated.file.open("rb").read() == png
        assert migrated.original_name == "35202-1234567-3 front.png"

        migrate(SEALED)  # and back: the file and its name in clear again
        assert (folder / "front.png").read_bytes() == png
        with connection.cursor() as cursor:
            cursor.execute("SELECT original_name FROM freelancers_document WHERE id = %s", [document.pk])
            assert cursor.fetchone()[0] == "35202-1234567-3 front.png"
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
