"""Uploads are judged by content, capped, checked for sane dimensions and stripped of EXIF."""

from __future__ import annotations

import io
import struct
import time
import tracemalloc
import zlib
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from freelancers import services
from freelancers.models import Document, DocumentKind
from freelancers.uploads import MAX_UPLOAD_BYTES, clean_upload
from tests.freelancers.conftest import PDF_BYTES, image_bytes
from tests.freelancers.factories import DocumentFactory, RegistrationFactory


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")  # the browser's claim is ignored


def test_jpeg_is_accepted_and_its_exif_is_stripped() -> None:
    original = image_bytes("JPEG", exif=True)
    assert Image.open(io.BytesIO(original)).getexif().get(0x010F) == "SpyCam Ltd"
    cleaned = clean_upload(upload("cnic.jpg", original))
    assert cleaned.content_type == "image/jpeg" and cleaned.extension == ".jpg"
    assert len(Image.open(io.BytesIO(cleaned.content)).getexif()) == 0
    assert b"SpyCam" not in cleaned.content


def test_png_and_pdf_are_accepted_by_content() -> None:
    assert clean_upload(upload("photo.png", image_bytes("PNG"))).content_type == "image/png"
    assert clean_upload(upload("scan.pdf", PDF_BYTES)).content_type == "application/pdf"


def test_file_without_an_extension_is_judged_by_its_content() -> None:
    assert clean_upload(upload("scan", image_bytes("PNG"))).content_type == "image/png"


def test_pdf_renamed_to_jpg_is_refused() -> None:
    with pytest.raises(ValidationError, match="really a PDF"):
        clean_upload(upload("cnic-front.jpg", PDF_BYTES))


def test_html_renamed_to_png_is_refused() -> None:
    with pytest.raises(ValidationError, match="Only JPEG or PNG images and PDF files"):
        clean_upload(upload("photo.png", b"<html><script>alert(1)</script></html>"))


def test_file_over_5_mb_is_refused() -> None:
    with pytest.raises(ValidationError, match="5 MB"):
        clean_upload(upload("big.jpg", b"\xff\xd8\xff" + b"0" * MAX_UPLOAD_BYTES))


def test_tiny_and_gigantic_images_are_refused_with_their_dimensions() -> None:
    with pytest.raises(ValidationError, match="20 x 20"):
        clean_upload(upload("tiny.png", image_bytes("PNG", size=(20, 20))))
    with pytest.raises(ValidationError, match="9000 x 300"):
        clean_upload(upload("wide.png", image_bytes("PNG", size=(9000, 300))))


def test_truncated_image_is_refused_as_unreadable() -> None:
    data = image_bytes("JPEG")
    with pytest.raises(ValidationError):
        clean_upload(upload("half.jpg", data[: len(data) // 3]))


def test_pdf_with_javascript_is_refused() -> None:
    hostile = PDF_BYTES.replace(
        b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>"
    )
    with pytest.raises(ValidationError, match="script"):
        clean_upload(upload("scan.pdf", hostile))


def test_photo_must_be_an_image_not_a_pdf() -> None:
    with pytest.raises(ValidationError, match="JPEG or PNG image"):
        clean_upload(upload("me.pdf", PDF_BYTES), images_only=True)


def test_empty_file_is_refused() -> None:
    with pytest.raises(ValidationError, match="empty"):
        clean_upload(upload("nothing.jpg", b""))


def png_claiming(width: int, height: int) -> bytes:
    """A real, valid greyscale PNG of ``width`` x ``height`` black pixels, written row by row so
    that neither the test nor the file holds the pixels: 8000 x 8000 is about 62 KB on disk."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    packer = zlib.compressobj(9)
    row = b"\x00" * (width + 1)  # filter byte, then one byte per pixel
    pixels = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def test_an_8000_by_8000_png_is_refused_from_its_header_fast_and_without_decoding() -> None:
    bomb = png_claiming(8000, 8000)
    assert len(bomb) < 100_000
    assert struct.unpack(">II", bomb[16:24]) == (8000, 8000)  # what the header claims
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ValidationError, match="too many pixels"):
            clean_upload(upload("cnic.png", bomb))
        elapsed = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Decoding it would take 64 MB for the pixels alone (and 0.6 s); reading the header takes neither.
    assert peak < 2 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB: the pixels were decoded"
    assert elapsed < 0.2


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_an_image_just_over_the_pixel_limit_is_refused_before_decoding() -> None:
    with pytest.raises(ValidationError, match="at most 16 megapixels"):
        clean_upload(upload("scan.png", png_claiming(4001, 4000)))


def test_an_image_within_the_pixel_limit_is_accepted() -> None:
    assert clean_upload(upload("scan.png", png_claiming(4000, 4000))).content_type == "image/png"


class Unreadable:
    """An upload that must never be read: reading it fails the test."""

    name = "sixth.png"
    size = 62_000

    def seek(self, *args: Any) -> None:
        raise AssertionError("the upload was read")

    def read(self, *args: Any) -> bytes:
        raise AssertionError("the upload was read")


def test_the_supporting_document_limit_is_checked_before_the_file_is_read(freelancer: Any) -> None:
    registration = RegistrationFactory(user=freelancer)
    for _ in range(services.MAX_SUPPORTING_DOCUMENTS):
        DocumentFactory(registration=registration, kind=DocumentKind.SUPPORTING)
    with pytest.raises(services.DomainError, match="at most 5 supporting documents"):
        services.document_add(
            registration=registration, actor=freelancer, kind=DocumentKind.SUPPORTING, upload=Unreadable()
        )
    assert Document.objects.filter(registration=registration).count() == 5
