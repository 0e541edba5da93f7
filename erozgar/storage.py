"""Private files, sealed at rest and readable by the portal's own user only.

``SealedFileStorage`` is a FileSystemStorage under MEDIA_ROOT (which no URL serves) that
seals every file with the key ring before it reaches the disk and unseals it when it is
opened, binding each file to its name (one person's CNIC scan cannot be swapped for
another's). Files are created 0600 and folders 0700 whatever the process umask, so
another account on the server (or a misconfigured web server) reads nothing, and a
copied disk or backup holds only ciphertext.

Uploads are at most 5 MB, so a file is sealed and unsealed whole, in memory.
"""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage
from django.db import models

from erozgar import crypto

FILE_MODE = 0o600
FOLDER_MODE = 0o700


class SealedFileStorage(FileSystemStorage):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("file_permissions_mode", FILE_MODE)
        kwargs.setdefault("directory_permissions_mode", FOLDER_MODE)
        super().__init__(**kwargs)

    @staticmethod
    def _purpose(name: str) -> bytes:
        return b"file:" + name.replace(os.sep, "/").encode()

    def _save(self, name: str, content: Any) -> str:
        content.seek(0)
        plain = content.read()
        ring = crypto.key_ring()
        saved = super()._save(name, ContentFile(ring.seal(plain, purpose=self._purpose(name))))  # type: ignore[misc]
        if saved != name.replace(os.sep, "/"):
            # The name was taken meanwhile and Django picked another: seal for the name it has.
            write_owner_only(Path(self.path(saved)), ring.seal(plain, purpose=self._purpose(saved)))
        return saved

    def _open(self, name: str, mode: str = "rb") -> File:
        if "b" not in mode or any(flag in mode for flag in "wa+"):
            raise ValueError("sealed files are opened for reading bytes only")
        with open(self.path(name), "rb") as handle:
            sealed = handle.read()
        plain = crypto.key_ring().open(sealed, purpose=self._purpose(name))
        return File(io.BytesIO(plain), name=name)

    def size(self, name: str) -> int:
        return max(super().size(name) - crypto.HEADER_BYTES - 16, 0)

    def is_current(self, name: str) -> bool:
        """Sealed with the newest key of the ring (and owner-only on disk)."""
        path = Path(self.path(name))
        with path.open("rb") as handle:
            head = handle.read(crypto.HEADER_BYTES + 16)
        return crypto.key_ring().is_current(head) and stat.S_IMODE(path.stat().st_mode) == FILE_MODE

    def reseal(self, name: str) -> bool:
        """Seal the file again with the newest key (a file still in clear is sealed for the first time),
        replacing it atomically, and make it and its folders owner-only. False if already current."""
        path = Path(self.path(name))
        secure_folders(Path(self.location), path.parent)
        if self.is_current(name):
            return False
        data = path.read_bytes()
        ring = crypto.key_ring()
        plain = ring.open(data, purpose=self._purpose(name)) if crypto.is_sealed(data) else data
        write_owner_only(path, ring.seal(plain, purpose=self._purpose(name)))
        return True


def write_owner_only(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step: a reader sees the old file or the new, never half."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, FILE_MODE)  # whatever the umask did to the mode given to open()
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def secure_folders(root: Path, folder: Path) -> None:
    """``folder`` and every folder between it and ``root`` become 0700 (``root`` itself, MEDIA_ROOT,
    may be a mount point the portal does not own: Django creates it 0700 when it makes it)."""
    current = folder
    while root in current.parents:
        current.chmod(FOLDER_MODE)
        current = current.parent


def sealed_file_fields() -> list[tuple[type[models.Model], models.FileField]]:
    """Every file field stored in a SealedFileStorage, for rotation."""
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField) and isinstance(field.storage, SealedFileStorage)
    ]
