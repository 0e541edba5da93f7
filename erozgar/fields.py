"""Model fields for personal data at rest: a sealed text column and its blind index.

``SealedTextField`` reads and writes plain text in Python and stores it sealed
(``erozgar.crypto``) in a ``bytea`` column: a ``pg_dump`` holds only ciphertext. The
ciphertext is different every time, so the field refuses every look-up but ``isnull``:
finding a row by its value goes through a ``BlindIndexField`` beside it, which holds the
keyed hash of the same value and carries the unique constraint or the index.

A blind index is never set, only read: its value is computed from the source field each
time it is read (saving, ``full_clean``, constraint checks), so the two cannot disagree.
``save(update_fields=[...])`` must still name both; models with a blind index call
``with_blind_indexes`` in ``save`` so that naming the source is enough.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import IsNull

from erozgar import crypto


class SealedTextField(models.Field):
    """Text sealed with the key ring; ``purpose`` names the column inside the ciphertext."""

    description = "Text stored encrypted (AES-256-GCM)"
    empty_values = [None, ""]

    def __init__(self, *args: Any, purpose: str, **kwargs: Any) -> None:
        self.purpose = purpose
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["purpose"] = self.purpose
        return name, path, args, kwargs

    def get_internal_type(self) -> str:
        return "BinaryField"

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise FieldError(
                f"{self.model.__name__}.{self.name} is stored encrypted: look rows up by its blind index, "
                f"not with __{lookup_name}."
            )
        return IsNull

    def seal(self, value: str) -> bytes:
        return crypto.key_ring().seal(value.encode(), purpose=self.purpose.encode())

    def unseal(self, value: bytes) -> str:
        return crypto.key_ring().open(value, purpose=self.purpose.encode()).decode()

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        return None if value is None else self.unseal(bytes(value))

    def to_python(self, value: Any) -> str | None:
        return None if value is None else str(value)

    def get_prep_value(self, value: Any) -> bytes | None:
        value = super().get_prep_value(value)
        return None if value in self.empty_values else self.seal(str(value))

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if not prepared:
            value = self.get_prep_value(value)
        return None if value is None else connection.Database.Binary(value)

    def value_to_string(self, obj: Any) -> str:
        return "" if (value := self.value_from_object(obj)) is None else str(value)

    def formfield(self, **kwargs: Any) -> Any:
        return models.CharField(max_length=self.max_length).formfield(**kwargs)


class _Derived:
    """The instance attribute of a blind index: always the digest of the source's current value."""

    def __init__(self, field: BlindIndexField) -> None:
        self.field = field

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        if instance is None:
            return self
        return self.field.digest(getattr(instance, self.field.source))

    def __set__(self, instance: Any, value: Any) -> None:
        # Loaded from the database or given to the constructor: the source decides the value. The
        # placeholder tells Django the field is loaded (not deferred), so save() writes it.
        instance.__dict__[self.field.attname] = None


class BlindIndexField(models.BinaryField):
    """HMAC-SHA256 of the ``source`` field's value (NULL when it is empty), derived, never set."""

    description = "Keyed hash of another field, for look-ups and uniqueness"

    def __init__(self, *args: Any, source: str, purpose: str, **kwargs: Any) -> None:
        self.source = source
        self.purpose = purpose
        kwargs.setdefault("null", True)
        kwargs.setdefault("max_length", 32)
        kwargs["editable"] = False
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.update(source=self.source, purpose=self.purpose)
        kwargs.pop("editable", None)
        return name, path, args, kwargs

    def digest(self, value: str | None) -> bytes | None:
        return crypto.blind_index(value, purpose=self.purpose) if value else None

    def contribute_to_class(self, cls: type[models.Model], name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only)
        setattr(cls, self.attname, _Derived(self))


def blind_indexes(model: type[models.Model]) -> list[BlindIndexField]:
    return [field for field in model._meta.concrete_fields if isinstance(field, BlindIndexField)]


def with_blind_indexes(model: type[models.Model], update_fields: Iterable[str]) -> list[str]:
    """``update_fields`` plus the blind index of every source it names."""
    fields = list(update_fields)
    for index in blind_indexes(model):
        if index.source in fields and index.name not in fields:
            fields.append(index.name)
    return fields
