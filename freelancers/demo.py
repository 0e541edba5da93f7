"""Demo registrations: Sana approved (with a certificate), Usman submitted and waiting for review."""

from __future__ import annotations

import datetime
import io
from typing import Any, TextIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from accounts.models import User
from freelancers import lifecycle, services
from freelancers.models import DocumentKind, Registration, RegistrationStatus

PEOPLE: dict[str, dict[str, Any]] = {
    "sana.freelancer@example.pk": {
        "identity": {
            "full_name": "Sana Khan",
            "guardian_name": "Imran Khan",
            "date_of_birth": datetime.date(1997, 3, 14),
            "gender": "female",
            "cnic": "35202-1234567-8",
            "mobile": "0300-1234567",
            "city": "Lahore",
            "province": "punjab",
            "address": "House 21, Street 7, Johar Town, Lahore",
        },
        "work": {
            "skills": ["graphic-design", "web-development"],
            "years_of_experience": 4,
            "ntn": "",
            "profiles": [
                ("fiverr", "https://www.fiverr.com/sanakhan_design"),
                ("linkedin", "https://www.linkedin.com/in/sana-khan-design"),
            ],
        },
        "approve": True,
    },
    "usman.freelancer@example.pk": {
        "identity": {
            "full_name": "Muhammad Usman",
            "guardian_name": "Abdul Rehman",
            "date_of_birth": datetime.date(1994, 9, 2),
            "gender": "male",
            "cnic": "61101-7654321-5",
            "mobile": "+92 321 7654321",
            "city": "Islamabad",
            "province": "ict",
            "address": "Flat 4, Block B, G-11 Markaz, Islamabad",
        },
        "work": {
            "skills": ["software-engineering"],
            "years_of_experience": 6,
            "ntn": "1234567-8",
            "profiles": [
                ("upwork", "https://www.upwork.com/freelancers/~01usmandev"),
                ("github", "https://github.com/usman-dev"),
            ],
        },
        "approve": False,
    },
}


def _demo_image(text: str) -> SimpleUploadedFile:
    image = Image.new("RGB", (640, 400), "#e6f2ea")
    ImageDraw.Draw(image).text((40, 180), text, fill="#01411c")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(f"{text}.png", buffer.getvalue(), content_type="image/png")


def seed(stdout: TextIO) -> list[tuple[str, str, str]]:
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    for email, spec in PEOPLE.items():
        user = User.objects.filter(email=email).first()
        if user is None:
            stdout.write(f"freelancers: {email} missing (accounts demo not loaded); skipped\n")
            continue
        if Registration.objects.filter(user=user).exclude(status=RegistrationStatus.DRAFT).exists():
            continue  # already seeded
        registration = services.registration_start(user=user)
        services.registration_update_identity(registration=registration, actor=user, data=spec["identity"])
        services.registration_update_work(registration=registration, actor=user, data=spec["work"])
        for kind in (DocumentKind.CNIC_FRONT, DocumentKind.CNIC_BACK, DocumentKind.PHOTO):
            services.document_add(registration=registration, actor=user, kind=kind, upload=_demo_image(kind))
        services.registration_set_declaration(registration=registration, actor=user, accepted=True)
        lifecycle.registration_submit(registration=registration, actor=user)
        if spec["approve"] and admin is not None:
            lifecycle.registration_approve(registration=registration, actor=admin, reason="Demo approval")
        registration.refresh_from_db()
        stdout.write(
            f"freelancers: {email} -> {registration.status} {registration.registration_number or ''}\n"
        )
    return []
