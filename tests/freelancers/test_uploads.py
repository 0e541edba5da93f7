"""Uploads are judged by content, capped, checked for sane dimensions and stripped of EXIF."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from freelancers.uploads import MAX_UPLOAD_BYTES, clean_upload
from tests.freelancers.conftest import PDF_BYTES, image_bytes


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
    with pytest.raises(ValidationError, match="scripts"):
        clean_upload(upload("scan.pdf", hostile))


def test_photo_must_be_an_image_not_a_pdf() -> None:
    with pytest.raises(ValidationError, match="JPEG or PNG image"):
        clean_upload(upload("me.pdf", PDF_BYTES), images_only=True)


def test_empty_file_is_refused() -> None:
    with pytest.raises(ValidationError, match="empty"):
        clean_upload(upload("nothing.jpg", b""))
