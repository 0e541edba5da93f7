"""A person's own data, as one ZIP file they can keep: everything the portal holds about them.

``data.json`` holds the account, the registration (with the CNIC and mobile number in clear:
it is their own), platform profiles, status history, bookings with their history and
payments; ``documents/`` holds the uploaded files, decrypted. Built in memory: a
registration has at most a handful of documents of at most 5 MB each.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from bookings import selectors as booking_selectors
from freelancers import selectors as registration_selectors

EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}

README = """Your data from the e-Rozgar Portal, exported on {when}.

data.json   your account, registration, bookings and payments (UTF-8 JSON; times in UTC)
documents/  the documents you uploaded with your registration

Keep this file safe: it contains your CNIC and identity documents.
"""


def _when(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _registration(user: Any) -> tuple[dict[str, Any] | None, list[tuple[str, bytes]]]:
    registration = registration_selectors.registration_for_user(user)
    if registration is None:
        return None, []
    files = []
    documents = []
    for document in registration.documents.all():
        name = f"documents/{document.kind}-{document.pk}.{EXTENSIONS.get(document.content_type, 'bin')}"
        with document.file.open("rb") as handle:
            files.append((name, handle.read()))
        documents.append(
            {
                "kind": document.get_kind_display(),
                "file": name,
                "original_name": document.original_name,
                "uploaded_at": _when(document.uploaded_at),
            }
        )
    data = {
        "status": registration.get_status_display(),
        "registration_number": registration.registration_number,
        "full_name": registration.full_name,
        "guardian_name": registration.guardian_name,
        "date_of_birth": _when(registration.date_of_birth),
        "gender": registration.get_gender_display() if registration.gender else "",
        "cnic": registration.cnic,
        "mobile": registration.mobile,
        "city": registration.city,
        "province": registration.get_province_display() if registration.province else "",
        "address": registration.address,
        "skills": [skill.name_en for skill in registration.skills.all()],
        "years_of_experience": registration.years_of_experience,
        "ntn": registration.ntn,
        "platform_profiles": [
            {"platform": profile.get_platform_display(), "url": profile.url}
            for profile in registration.profiles.all()
        ],
        "submitted_at": _when(registration.submitted_at),
        "approved_at": _when(registration.approved_at),
        "valid_until": _when(registration.valid_until),
        "history": [
            {
                "from": event.from_status,
                "to": event.to_status,
                "reason": event.reason,
                "at": _when(event.created_at),
            }
            for event in registration.events.order_by("created_at", "id")
        ],
        "documents": documents,
    }
    return data, files


def _bookings(user: Any) -> list[dict[str, Any]]:
    rows = booking_selectors.bookings_for_user(user).prefetch_related("events", "payments")
    return [
        {
            "reference": booking.reference,
            "centre": booking.centre.name,
            "space": booking.space.label,
            "product": booking.get_product_display(),
            "starts_at": _when(booking.starts_at),
            "ends_at": _when(booking.ends_at),
            "price_pkr": booking.price_pkr,
            "status": booking.get_status_display(),
            "checked_in_at": _when(booking.checked_in_at),
            "checked_out_at": _when(booking.checked_out_at),
            "cancelled_at": _when(booking.cancelled_at),
            "cancel_reason": booking.cancel_reason,
            "history": [
                {"action": event.get_action_display(), "reason": event.reason, "at": _when(event.at)}
                for event in booking.events.all()
            ],
            "payments": [
                {
                    "amount_pkr": payment.amount_pkr,
                    "method": payment.get_method_display(),
                    "reference": payment.reference,
                    "received_at": _when(payment.received_at),
                }
                for payment in booking.payments.all()
            ],
        }
        for booking in rows
    ]


def personal_data_export(*, user: Any, now: datetime | None = None) -> bytes:
    """The ZIP file's bytes. Only ever for ``user`` themself: callers pass ``request.user``."""
    now = now or timezone.now()
    registration, files = _registration(user)
    data = {
        "exported_at": _when(now),
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "language": user.language,
            "joined_at": _when(user.date_joined),
            "last_login": _when(user.last_login),
        },
        "registration": registration,
        "bookings": _bookings(user),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README.format(when=now.strftime("%Y-%m-%d %H:%M UTC")))
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2))
        for name, content in files:
            archive.writestr(name, content)
    return buffer.getvalue()
