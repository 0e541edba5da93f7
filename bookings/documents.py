"""What a booking hands out: a QR code (the reference, nothing personal) and a calendar file."""

from __future__ import annotations

import io

import segno
from django.utils import timezone
from icalendar import Calendar, Event, vText

from erozgar.mail import absolute_url

from .models import Booking


def booking_qr(booking: Booking) -> segno.QRCode:
    # Only the reference: the desk looks the rest up; a lost phone reveals nothing about the person.
    return segno.make(booking.reference, error="m", micro=False)


def booking_qr_svg(booking: Booking, *, scale: int = 6) -> str:
    buffer = io.BytesIO()
    booking_qr(booking).save(
        buffer,
        kind="svg",
        scale=scale,
        border=2,
        xmldecl=False,
        svgns=True,
        omitsize=True,
        title=f"QR {booking.reference}",
    )
    return buffer.getvalue().decode("utf-8")


def booking_qr_png(booking: Booking, *, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    booking_qr(booking).save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def booking_ics_filename(booking: Booking) -> str:
    return f"erozgar-{booking.reference}.ics"


def booking_ics(booking: Booking) -> bytes:
    """One VEVENT in UTC with a stable UID, so re-importing updates instead of duplicating."""
    centre, space = booking.centre, booking.space
    calendar = Calendar()
    calendar.add("prodid", "-//PSEB//e-Rozgar Portal//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"booking-{booking.reference}@erozgar.pseb.org.pk")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", booking.starts_at)
    event.add("dtend", booking.ends_at)
    event.add("summary", f"e-Rozgar: {space.label} ({space.get_kind_display()}), {centre.name}")
    event.add("location", vText(f"{centre.name}, {centre.address}, {centre.city}"))
    url = absolute_url("bookings:detail", booking.reference)
    event.add("url", url)
    event.add("description", f"Reference {booking.reference}. Show the QR code at the desk. {url}")
    if booking.status == "cancelled":
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
    if centre.latitude is not None and centre.longitude is not None:
        event.add("geo", (float(centre.latitude), float(centre.longitude)))
    calendar.add_component(event)
    return calendar.to_ical()
