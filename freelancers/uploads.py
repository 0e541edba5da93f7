"""Checking an uploaded document by its content, and cleaning it before it is stored.

The file name and the browser's content type are ignored: ``filetype`` reads the
magic bytes. Images are decoded and re-encoded by Pillow, which drops EXIF (GPS,
camera serials) and anything smuggled after the image data.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import filetype
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MIN_IMAGE_SIDE = 200
MAX_IMAGE_SIDE = 8000
ALLOWED = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}
# PDF features that run code or open other things; a CNIC scan never needs them.
PDF_ACTIVE_CONTENT = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/OpenAction")

TOO_LARGE = _("The file is larger than 5 MB. Please upload a smaller scan or photo.")


@dataclass(frozen=True)
class CleanFile:
    content: bytes
    content_type: str
    extension: str


NAMED_AS = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".pdf": "application/pdf"}
TYPE_NAMES = {"image/jpeg": "JPEG", "image/png": "PNG", "application/pdf": "PDF"}


def clean_upload(upload: Any, *, images_only: bool = False) -> CleanFile:
    """Return the bytes to store, or raise ValidationError saying what is wrong with the file.

    A file whose name promises one type but whose content is another (a PDF renamed
    to .jpg) is refused: it is either a mistake or a disguise.
    """
    size = getattr(upload, "size", None) or 0
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(TOO_LARGE, code="too_large")
    upload.seek(0)
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(TOO_LARGE, code="too_large")
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    kind = filetype.guess(data)
    mime = kind.mime if kind else None
    if mime not in ALLOWED:
        raise ValidationError(
            _("Only JPEG or PNG images and PDF files can be uploaded. This file is not one of them."),
            code="wrong_type",
        )
    name = str(getattr(upload, "name", "") or "").lower()
    suffix = name[name.rfind(".") :] if "." in name else ""
    if suffix in NAMED_AS and NAMED_AS[suffix] != mime:
        raise ValidationError(
            _(
                "This file is named as %(named)s but it is really a %(actual)s file. "
                "Please upload the original "
                "file without renaming it."
            ),
            code="disguised",
            params={"named": TYPE_NAMES[NAMED_AS[suffix]], "actual": TYPE_NAMES[mime]},
        )
    if images_only and mime == "application/pdf":
        raise ValidationError(_("The photo must be a JPEG or PNG image, not a PDF."), code="photo_not_image")
    if mime == "application/pdf":
        return CleanFile(_clean_pdf(data), mime, ALLOWED[mime])
    return _clean_image(data, mime)


def _clean_pdf(data: bytes) -> bytes:
    if b"%%EOF" not in data[-2048:]:
        raise ValidationError(_("The PDF file is damaged or incomplete."), code="broken_pdf")
    if any(marker in data for marker in PDF_ACTIVE_CONTENT):
        raise ValidationError(
            _("PDF files with scripts or embedded files are not accepted. Please print it to a plain PDF."),
            code="active_pdf",
        )
    return data


def _clean_image(data: bytes, mime: str) -> CleanFile:
    unreadable = ValidationError(
        _("The image could not be read. Please upload another file."), code="broken_image"
    )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            width, height = probe.size
            declared = probe.format
        if min(width, height) < MIN_IMAGE_SIDE:
            raise ValidationError(
                _(
                    "The image is too small (%(width)d x %(height)d pixels). "
                    "It must be at least %(min)d pixels "
                    "on each side so the text can be read."
                ),
                code="too_small",
                params={"width": width, "height": height, "min": MIN_IMAGE_SIDE},
            )
        if max(width, height) > MAX_IMAGE_SIDE:
            raise ValidationError(
                _(
                    "The image is too large (%(width)d x %(height)d pixels). The longest side can be at most "
                    "%(max)d pixels."
                ),
                code="too_big",
                params={"width": width, "height": height, "max": MAX_IMAGE_SIDE},
            )
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            image: Image.Image = ImageOps.exif_transpose(opened)  # keep it upright once EXIF is gone
            out = io.BytesIO()
            if mime == "image/jpeg" or declared == "JPEG":
                image.convert("RGB").save(out, format="JPEG", quality=90, optimize=True)
                mime = "image/jpeg"
            else:
                if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                    image = image.convert("RGBA")
                image.save(out, format="PNG", optimize=True)
                mime = "image/png"
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError, SyntaxError):
        raise unreadable from None
    cleaned = out.getvalue()
    if len(cleaned) > MAX_UPLOAD_BYTES:
        raise ValidationError(TOO_LARGE, code="too_large")
    return CleanFile(cleaned, mime, ALLOWED[mime])


class SizeCappedUploadHandler(FileUploadHandler):
    """Stops reading a file once it passes the cap, so a 50 MB upload never reaches the disk.

    The request is marked (``request.upload_too_large_fields``) and the form says the file was too big.
    """

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > MAX_UPLOAD_BYTES:
            if self.request is not None:
                too_large: set[str] = getattr(self.request, "upload_too_large_fields", set())
                too_large.add(self.field_name)
                self.request.upload_too_large_fields = too_large  # type: ignore[attr-defined]
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
