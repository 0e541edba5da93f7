"""Uploaded documents on disk: sealed, owner-only whatever the umask, readable only through the portal."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from erozgar import crypto
from freelancers.models import Document
from tests.freelancers.conftest import image_bytes
from tests.freelancers.factories import RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_umask() -> Iterator[None]:
    """A process that would create world-readable files (umask 000)."""
    previous = os.umask(0)
    yield
    os.umask(previous)


def upload_through_api(client: Client, name: str = "35202-1234567-3 front.png") -> Document:
    response = client.post(
        "/api/v1/me/registration/documents/",
        {"kind": "cnic_front", "file": SimpleUploadedFile(name, image_bytes("PNG"), "image/png")},
    )
    assert response.status_code == 201, response.content
    return Document.objects.get(pk=response.json()["id"])


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_an_uploaded_document_is_sealed_and_owner_only_on_disk_even_with_an_open_umask(
    freelancer_client: Client, freelancer: Any, private_media: Path, open_umask: None
) -> None:
    document = upload_through_api(freelancer_client)
    path = Path(document.file.path)
    raw = path.read_bytes()
    assert raw.startswith(crypto.MAGIC) and b"PNG" not in raw[:64] and b"IHDR" not in raw
    assert mode(path) == 0o600
    folders = [p for p in path.parents if private_media in p.parents]
    assert folders and all(mode(folder) == 0o700 for folder in folders)


def test_the_owner_and_a_pseb_reviewer_get_the_document_back_in_clear(
    freelancer_client: Client, freelancer: Any, reviewer: Any
) -> None:
    document = upload_through_api(freelancer_client)
    url = f"/registration/documents/{document.pk}/"
    mine = freelancer_client.get(url)
    assert mine.status_code == 200 and b"".join(mine.streaming_content).startswith(b"\x89PNG")
    staff = Client()
    staff.force_login(reviewer)
    theirs = staff.get(url)
    assert theirs.status_code == 200 and b"".join(theirs.streaming_content).startswith(b"\x89PNG")


def test_another_freelancer_and_anonymous_get_nothing(freelancer_client: Client, outsider: Any) -> None:
    document = upload_through_api(freelancer_client)
    url = f"/registration/documents/{document.pk}/"
    other = Client()
    other.force_login(outsider)
    assert other.get(url).status_code == 404
    assert Client().get(url).status_code == 403


def test_the_original_file_name_is_sealed_in_the_database_and_shown_to_its_owner(
    freelancer_client: Client,
) -> None:
    from django.db import connection

    document = upload_through_api(freelancer_client, name="35202-1234567-3 front.png")
    with connection.cursor() as cursor:
        cursor.execute("SELECT original_name FROM freelancers_document WHERE id = %s", [document.pk])
        stored = bytes(cursor.fetchone()[0])
    assert stored.startswith(crypto.MAGIC) and b"1234567" not in stored
    listed = freelancer_client.get("/api/v1/me/registration/documents/").json()
    assert listed[0]["original_name"] == "35202-1234567-3 front.png"


def test_a_tampered_file_is_never_served(freelancer_client: Client) -> None:
    document = upload_through_api(freelancer_client)
    path = Path(document.file.path)
    raw = bytearray(path.read_bytes())
    raw[-1] ^= 0x01
    path.write_bytes(bytes(raw))
    with pytest.raises(crypto.UndecryptableError, match="integrity"):
        freelancer_client.get(f"/registration/documents/{document.pk}/")


def test_a_file_moved_under_another_documents_name_does_not_open(freelancer: Any) -> None:
    mine = RegistrationFactory(user=freelancer, with_documents=True).documents.first()
    theirs = RegistrationFactory(user=UserFactory(), with_documents=True).documents.first()
    assert mine is not None and theirs is not None
    Path(mine.file.path).write_bytes(Path(theirs.file.path).read_bytes())
    with pytest.raises(crypto.UndecryptableError):
        mine.file.open("rb").read()
