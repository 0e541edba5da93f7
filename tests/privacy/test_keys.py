"""The key ring: what it seals only it opens, a rotation moves everything to the newest key, and
production refuses to start without real keys."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db import connection

from erozgar import crypto
from freelancers.models import Document, Registration
from freelancers.selectors import find_registration_by_cnic_or_mobile
from tests.freelancers.factories import RegistrationFactory

OLD, NEW = crypto.new_key(), crypto.new_key()


def test_a_sealed_value_opens_only_for_its_purpose_and_only_untampered() -> None:
    ring = crypto.key_ring()
    sealed = ring.seal(b"35202-1234567-3", purpose=b"registration.cnic")
    assert b"1234567" not in sealed
    assert ring.seal(b"35202-1234567-3", purpose=b"registration.cnic") != sealed  # a fresh nonce each time
    assert ring.open(sealed, purpose=b"registration.cnic") == b"35202-1234567-3"
    with pytest.raises(crypto.UndecryptableError):
        ring.open(sealed, purpose=b"registration.mobile")  # moved into another column
    tampered = sealed[:-1] + bytes([sealed[-1] ^ 1])
    with pytest.raises(crypto.UndecryptableError, match="integrity"):
        ring.open(tampered, purpose=b"registration.cnic")


def test_a_value_sealed_with_a_key_no_longer_in_the_ring_says_which_key_is_missing(settings: Any) -> None:
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    sealed = crypto.key_ring().seal(b"x", purpose=b"p")
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    with pytest.raises(crypto.UndecryptableError, match=crypto.key_id(crypto.parse_key(OLD, name="t")).hex()):
        crypto.key_ring().open(sealed, purpose=b"p")


def raw_key_ids(table: str, column: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT encode(substring({column} from 4 for 4), 'hex') FROM {table} "
            f"WHERE {column} IS NOT NULL"
        )
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db
def test_rotation_reseals_rows_and_files_under_the_newest_key_and_reindexes(settings: Any) -> None:
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    registration = RegistrationFactory(
        submitted=True, cnic="35202-1234567-3", mobile="+923001234567", with_documents=True
    )
    RegistrationFactory(cnic=None, mobile=None)
    old_id, new_id = (crypto.key_id(crypto.parse_key(k, name="t")).hex() for k in (OLD, NEW))

    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    settings.BLIND_INDEX_KEY = crypto.new_key()
    assert find_registration_by_cnic_or_mobile("35202-1234567-3") is None  # indexed with the old index key
    with pytest.raises(CommandError, match="not sealed with the newest key"):
        call_command("rotate_encryption_keys", "--check", "--no-progress", stdout=io.StringIO())

    out, progress = io.StringIO(), io.StringIO()
    call_command("rotate_encryption_keys", stdout=out, stderr=progress)
    assert "100%" in progress.getvalue() and "freelancers.Registration" in progress.getvalue()
    assert raw_key_ids("freelancers_registration", "cnic") == {new_id} != {old_id}
    assert raw_key_ids("freelancers_document", "original_name") == {new_id}
    call_command("rotate_encryption_keys", "--check", "--no-progress", stdout=(report := io.StringIO()))
    assert f"under key {new_id} (newest)" in report.getvalue()

    settings.FIELD_ENCRYPTION_KEYS = [NEW]  # the old key is retired: everything still opens
    assert find_registration_by_cnic_or_mobile("3520212345673") == registration
    found = Registration.objects.get(pk=registration.pk)
    assert (found.cnic, found.mobile) == ("35202-1234567-3", "+923001234567")
    for document in Document.objects.filter(registration=registration):
        assert Path(document.file.path).read_bytes()[3:7].hex() == new_id
        assert document.file.open("rb").read().startswith(b"\x89PNG")

    settings.FIELD_ENCRYPTION_KEYS = [OLD]  # and the old key alone opens nothing any more
    with pytest.raises(crypto.UndecryptableError):
        Registration.objects.get(pk=registration.pk)


def production(env: dict[str, str], *command: str) -> subprocess.CompletedProcess[str]:
    base = {
        "PATH": os.environ["PATH"],
        "DJANGO_ENV": "production",
        "SECRET_KEY": "x" * 60 + "production-test-secret",
        "ALLOWED_HOSTS": "erozgar.example.pk",
        "SITE_URL": "https://erozgar.example.pk",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
        "REDIS_URL": "redis://127.0.0.1:1/0",
        "EMAIL_URL": "smtp+tls://ci:ci@127.0.0.1:587",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=django_settings.BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("keys", "complaint"),
    [
        ({}, "FIELD_ENCRYPTION_KEYS"),
        ({"FIELD_ENCRYPTION_KEYS": NEW}, "BLIND_INDEX_KEY"),
        ({"FIELD_ENCRYPTION_KEYS": "too-short", "BLIND_INDEX_KEY": OLD}, "32 random bytes"),
        (
            {"FIELD_ENCRYPTION_KEYS": crypto.development_key("field encryption key"), "BLIND_INDEX_KEY": OLD},
            "development keys are public",
        ),
        ({"FIELD_ENCRYPTION_KEYS": NEW, "BLIND_INDEX_KEY": NEW}, "must not be one of"),
    ],
    ids=["no keys", "no index key", "malformed", "development key", "same key twice"],
)
def test_production_refuses_to_start_without_real_keys(keys: dict[str, str], complaint: str) -> None:
    result = production(keys, "check")
    assert result.returncode != 0 and complaint in result.stderr


def test_production_with_real_keys_passes_the_deploy_check() -> None:
    result = production(
        {"FIELD_ENCRYPTION_KEYS": f"{NEW},{OLD}", "BLIND_INDEX_KEY": crypto.new_key()},
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stderr
