"""Personal data at rest: sealed with AES-256-GCM, and found again through keyed hashes.

Two kinds of key, both from the environment (``erozgar.settings``):

- ``FIELD_ENCRYPTION_KEYS``: the key ring, newest first. Everything is sealed with the
  newest key; every key in the ring still opens what was sealed with it, because each
  sealed value starts with the id of its key. ``manage.py rotate_encryption_keys``
  re-seals everything with the newest key, after which the older ones can be dropped.
- ``BLIND_INDEX_KEY``: the HMAC-SHA256 key of the blind indexes. The index of a CNIC is
  the same every time, so PostgreSQL can hold it in a unique index and find a row by it
  with one index probe, but without the key nobody can tell which CNIC it stands for.

A sealed value: ``MAGIC`` (3 bytes), the key id (4 bytes: the start of the key's SHA-256),
a 96-bit random nonce, then the ciphertext and its 128-bit tag. A ``purpose`` (the column,
or the file's name) is bound in as associated data, so a sealed CNIC cannot be moved into
another column, or one person's document file put in place of another's, unnoticed.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MAGIC = b"EZ\x01"
KEY_ID_BYTES = 4
NONCE_BYTES = 12
HEADER_BYTES = len(MAGIC) + KEY_ID_BYTES + NONCE_BYTES


class UndecryptableError(Exception):
    """A sealed value that no key of the ring opens (a missing key, or tampered data)."""


def parse_key(text: str, *, name: str) -> bytes:
    """A key as written in the environment (URL-safe base64 of 32 random bytes) -> the bytes."""
    try:
        key = base64.urlsafe_b64decode(text.strip().encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError):
        key = b""
    if len(key) != 32:
        raise ImproperlyConfigured(
            f"{name}: each key must be 32 random bytes in URL-safe base64 (44 characters); "
            "make one with `python manage.py generate_encryption_key`."
        )
    return key


def new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode("ascii")


def development_key(label: str) -> str:
    """A fixed key for development and tests only (settings refuse it in production)."""
    return base64.urlsafe_b64encode(
        hashlib.sha256(f"e-Rozgar development {label}".encode()).digest()
    ).decode()


def key_id(key: bytes) -> bytes:
    return hashlib.sha256(b"e-Rozgar key id" + key).digest()[:KEY_ID_BYTES]


@dataclass(frozen=True)
class KeyRing:
    ciphers: tuple[tuple[bytes, AESGCM], ...]  # (key id, cipher), newest first

    @property
    def newest_id(self) -> bytes:
        return self.ciphers[0][0]

    def seal(self, plaintext: bytes, *, purpose: bytes) -> bytes:
        kid, cipher = self.ciphers[0]
        nonce = os.urandom(NONCE_BYTES)
        return MAGIC + kid + nonce + cipher.encrypt(nonce, plaintext, purpose)

    def open(self, sealed: bytes, *, purpose: bytes) -> bytes:
        if not is_sealed(sealed):
            raise UndecryptableError("not a sealed value")
        kid = sealed_key_id(sealed)
        for candidate, cipher in self.ciphers:
            if candidate == kid:
                nonce = sealed[len(MAGIC) + KEY_ID_BYTES : HEADER_BYTES]
                try:
                    return cipher.decrypt(nonce, sealed[HEADER_BYTES:], purpose)
                except InvalidTag:
                    raise UndecryptableError(
                        f"sealed value for {purpose.decode(errors='replace')} failed its integrity check"
                    ) from None
        raise UndecryptableError(
            f"sealed with key id {kid.hex()}, which is not in FIELD_ENCRYPTION_KEYS "
            f"(the ring has {', '.join(k.hex() for k, _c in self.ciphers)})"
        )

    def is_current(self, sealed: bytes) -> bool:
        return is_sealed(sealed) and sealed_key_id(sealed) == self.newest_id


def is_sealed(data: bytes) -> bool:
    return data[: len(MAGIC)] == MAGIC and len(data) >= HEADER_BYTES + 16


def sealed_key_id(sealed: bytes) -> bytes:
    return sealed[len(MAGIC) : len(MAGIC) + KEY_ID_BYTES]


@functools.lru_cache(maxsize=4)
def _ring(keys: tuple[str, ...]) -> KeyRing:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must hold at least one key.")
    ciphers = []
    for text in keys:
        key = parse_key(text, name="FIELD_ENCRYPTION_KEYS")
        ciphers.append((key_id(key), AESGCM(key)))
    if len({kid for kid, _cipher in ciphers}) != len(ciphers):
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS lists the same key twice.")
    return KeyRing(tuple(ciphers))


def key_ring() -> KeyRing:
    return _ring(tuple(settings.FIELD_ENCRYPTION_KEYS))


@functools.lru_cache(maxsize=4)
def _index_key(text: str) -> bytes:
    return parse_key(text, name="BLIND_INDEX_KEY")


def blind_index(value: str, *, purpose: str) -> bytes:
    """The keyed hash PostgreSQL indexes in place of ``value`` (already in its one canonical form)."""
    key = _index_key(settings.BLIND_INDEX_KEY)
    return hmac.new(key, purpose.encode() + b"\x00" + value.encode(), hashlib.sha256).digest()


def check_production_keys(field_keys: list[str], index_key: str) -> None:
    """Settings call this in production: real keys, well formed, and never the development ones."""
    parsed = [parse_key(text, name="FIELD_ENCRYPTION_KEYS") for text in field_keys]
    index = parse_key(index_key, name="BLIND_INDEX_KEY")
    development = {
        parse_key(development_key(label), name="development")
        for label in ("field encryption key", "blind index key")
    }
    if not parsed:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must hold at least one key in production.")
    if development.intersection([*parsed, index]):
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS / BLIND_INDEX_KEY: the development keys are public."
        )
    if index in parsed:
        raise ImproperlyConfigured("BLIND_INDEX_KEY must not be one of the FIELD_ENCRYPTION_KEYS.")
