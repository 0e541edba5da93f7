"""The registration certificate: a QR code pointing at the public verification page, and a PDF.

reportlab draws the PDF in pure Python; segno makes the QR code, drawn module by
module as vector squares so it stays sharp when printed.
"""

from __future__ import annotations

import io

import segno
from django.utils import formats, translation
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from erozgar.mail import absolute_url
from freelancers.models import Registration

GREEN = colors.HexColor("#01411c")


def verification_url(number: str) -> str:
    return absolute_url("freelancers:verify", number)


def qr_svg_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=5, border=2, dark="#01411c")


def certificate_pdf(registration: Registration) -> bytes:
    """An A4 landscape certificate. Text is English: PDF fonts for Urdu script are not bundled."""
    assert registration.registration_number and registration.valid_until and registration.approved_at
    number = registration.registration_number
    url = verification_url(number)
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"PSEB freelancer registration {number}")
    pdf.setAuthor("Pakistan Software Export Board")

    pdf.setStrokeColor(GREEN)
    pdf.setLineWidth(4)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    pdf.setLineWidth(1)
    pdf.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)

    with translation.override("en"):
        pdf.setFillColor(GREEN)
        pdf.setFont("Helvetica-Bold", 14)
        pdf.drawCentredString(width / 2, height - 35 * mm, "Pakistan Software Export Board (PSEB)")
        pdf.setFont("Helvetica-Bold", 28)
        pdf.drawCentredString(width / 2, height - 52 * mm, "Certificate of Freelancer Registration")
        pdf.setFillColor(colors.black)
        pdf.setFont("Helvetica", 13)
        pdf.drawCentredString(width / 2, height - 70 * mm, "This is to certify that")
        pdf.setFont("Helvetica-Bold", 24)
        pdf.drawCentredString(width / 2, height - 85 * mm, registration.full_name[:60])
        pdf.setFont("Helvetica", 13)
        skills = ", ".join(skill.name_en for skill in registration.skills.all())[:110]
        pdf.drawCentredString(
            width / 2,
            height - 98 * mm,
            "is registered with PSEB as a freelancer" + (f" in {skills}" if skills else "."),
        )
        issued = formats.date_format(registration.approved_at.date(), "j F Y")
        valid = formats.date_format(registration.valid_until, "j F Y")
        rows = [("Registration number", number), ("Issued", issued), ("Valid until", valid)]
        y = height - 120 * mm
        for label, value in rows:
            pdf.setFont("Helvetica", 12)
            pdf.drawString(40 * mm, y, label + ":")
            pdf.setFont("Helvetica-Bold", 12)
            pdf.drawString(85 * mm, y, value)
            y -= 8 * mm
        pdf.setFont("Helvetica", 10)
        pdf.drawString(40 * mm, 30 * mm, "Verify this certificate by scanning the QR code or visiting:")
        pdf.setFillColor(colors.HexColor("#0a4d8c"))
        pdf.drawString(40 * mm, 25 * mm, url)
        pdf.linkURL(url, (40 * mm, 23 * mm, 160 * mm, 29 * mm), relative=0)

    _draw_qr(pdf, url, x=width - 80 * mm, y=25 * mm, size=50 * mm)
    pdf.setFillColor(colors.black)
    pdf.setFont("Helvetica", 8)
    pdf.drawCentredString(width - 55 * mm, 21 * mm, "Scan to verify")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _draw_qr(pdf: canvas.Canvas, url: str, *, x: float, y: float, size: float) -> None:
    qr = segno.make(url, error="m")
    matrix = [list(row) for row in qr.matrix_iter(scale=1, border=2)]
    module = size / len(matrix)
    pdf.setFillColor(colors.white)
    pdf.rect(x, y, size, size, stroke=0, fill=1)
    pdf.setFillColor(colors.black)
    for row_index, row in enumerate(matrix):
        for col_index, dark in enumerate(row):
            if dark:
                pdf.rect(
                    x + col_index * module,
                    y + size - (row_index + 1) * module,
                    module,
                    module,
                    stroke=0,
                    fill=1,
                )
