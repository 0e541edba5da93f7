"""Fixtures for the registry tests: named actors, real files of each kind, private media in a temp dir."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from tests.freelancers.factories import RegistrationFactory, SkillCategoryFactory, UserFactory


@pytest.fixture(autouse=True)
def private_media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def freelancer(db: Any) -> Any:
    return UserFactory(email="ayesha@example.pk", full_name="Ayesha Khan")


@pytest.fixture
def outsider(db: Any) -> Any:
    return UserFactory(email="someone.else@example.pk", full_name="Someone Else")


@pytest.fixture
def reviewer(db: Any) -> Any:
    """A PSEB reviewer: staff, in the group made by the data migration, not a superuser."""
    user = UserFactory(email="reviewer@pseb.test", full_name="PSEB Reviewer", is_staff=True)
    user.groups.add(Group.objects.get(name="PSEB reviewer"))
    return user


@pytest.fixture
def freelancer_client(freelancer: Any) -> Client:
    client = Client()
    client.force_login(freelancer)
    return client


@pytest.fixture
def skills(db: Any) -> list[Any]:
    return [SkillCategoryFactory(code="web-development"), SkillCategoryFactory(code="graphic-design")]


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (640, 400), exif: bool = False) -> bytes:
    image = Image.new("RGB", size, "#336699")
    buffer = io.BytesIO()
    kwargs: dict[str, Any] = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "SpyCam Ltd"  # Make
        data[0x0131] = "Secret Software 1.0"  # Software
        kwargs["exif"] = data.tobytes()
    image.save(buffer, format=fmt, **kwargs)
    return buffer.getvalue()


PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n0\n%%EOF\n"
)


@pytest.fixture
def make_file() -> Callable[..., SimpleUploadedFile]:
    def _make(name: str = "front.jpg", content: bytes | None = None, content_type: str = "image/jpeg") -> Any:
        return SimpleUploadedFile(
            name, image_bytes() if content is None else content, content_type=content_type
        )

    return _make


@pytest.fixture
def complete_draft(freelancer: Any, make_file: Callable[..., Any]) -> Any:
    """A draft with everything filled in and all documents, ready to submit."""
    from freelancers import services

    registration = RegistrationFactory(user=freelancer, full_name="Ayesha Khan")
    for kind in ("cnic_front", "cnic_back", "photo"):
        services.document_add(
            registration=registration, actor=freelancer, kind=kind, upload=make_file(f"{kind}.jpg")
        )
    services.registration_set_declaration(registration=registration, actor=freelancer, accepted=True)
    return registration
