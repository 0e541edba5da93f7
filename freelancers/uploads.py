"""Checking an uploaded document by its content, and cleaning it before it is stored.

The file name and the browser's content type are ignored: ``filetype`` reads the
magic bytes. Images are measured from their header before any pixel is decoded, then
decoded and re-encoded by Pillow, which drops EXIF (GPS, camera serials) and anything
smuggled after the image data. PDFs are parsed by qpdf in a sandboxed process
(``freelancers.pdf_sandbox``) and stored as qpdf rewrote them.
"""

from __future__ import annotations

import io
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import filetype
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from freelancers import pdf_sandbox

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MIN_IMAGE_SIDE = 200
MAX_IMAGE_SIDE = 8000
# 16 megapixels: a 16 MP phone camera, or an A4 page scanned at 400 dpi. Decoding one takes
# about 50 MB; an 8000 x 8000 image (a 62 KB PNG can claim that) would take 190 MB.
MAX_IMAGE_PIXELS = 16_000_000
# Pillow refuses to open anything past twice this, wherever in the portal an image is opened.
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
ALLOWED = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}
PDF_SANDBOX = Path(pdf_sandbox.__file__)
PDF_SECONDS = 20  # wall clock, beside the sandbox's own CPU limit

PDF_FEATURES = {
    "script": _("a script (JavaScript)"),
    "launch": _("a command that starts a program"),
    "link": _("a link to a web page or to another file"),
    "attachment": _("an attached or embedded file"),
    "automatic": _("an action that runs when the file is opened"),
    "form": _("an interactive (XFA) form"),
    "media": _("embedded media (video, sound or 3D)"),
}

TOO_LARGE = _("The file is larger than 5 MB. Please upload a smaller scan or photo.")
BROKEN_PDF = _("The PDF file is damaged or incomplete.")


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
    """The PDF as qpdf rewrote it after checking every object, or ValidationError saying why not."""
    if b"%%EOF" not in data[-2048:]:
        raise ValidationError(BROKEN_PDF, code="broken_pdf")
    try:
        checked = subprocess.run(  # noqa: S603  (our own interpreter and script, no shell)
            [sys.executable, "-I", str(PDF_SANDBOX)],
            input=data,
            capture_output=True,
            timeout=PDF_SECONDS,
            env={},
            check=False,
        )
    except subprocess.TimeoutExpired:
        checked = None
    if checked is not None and checked.returncode == 0 and checked.stdout.startswith(b"%PDF"):
        return checked.stdout
    if checked is not None and checked.returncode == pdf_sandbox.ACTIVE:
        feature = PDF_FEATURES.get(checked.stdout.decode("ascii", "replace"), PDF_FEATURES["script"])
        raise ValidationError(
            _(
                "This PDF contains %(feature)s, which a document for PSEB never needs. Please print it to a "
                "plain PDF (Print, then Save as PDF) or upload a photo of the document instead."
            ),
            code="active_pdf",
            params={"feature": feature},
        )
    if checked is not None and checked.returncode == pdf_sandbox.ENCRYPTED:
        raise ValidationError(
            _("The PDF is protected with a password. Please upload it without the password."),
            code="encrypted_pdf",
        )
    raise ValidationError(_("The PDF file is damaged or incomplete."), code="broken_pdf")


def _clean_image(data: bytes, mime: str) -> CleanFile:
    unreadable = ValidationError(
        _("The image could not be read. Please upload another file."), code="broken_image"
    )
    too_many_pixels = ValidationError(
        _(
            "The image has too many pixels: at most %(max)d megapixels are accepted. Please take the "
            "photo at a lower resolution, or resize it."
        ),
        code="too_many_pixels",
        params={"max": MAX_IMAGE_PIXELS // 1_000_000},
    )
    try:
        # Opening reads the header only; no pixel is decoded before the size is known and allowed.
        with Image.open(io.BytesIO(data)) as probe:
            width, height = probe.size
            declared = probe.format
        if width * height > MAX_IMAGE_PIXELS:
            raise too_many_pixels
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
    except Image.DecompressionBombError:
        raise too_many_pixels from None  # Pillow's own limit: more than twice ours
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
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
