"""In Chromium: a clerk scans (types) a reference, seats a walk-in found by CNIC, takes cash, prints.

A second test feeds the camera a QR code (Chromium's fake camera) so the jsQR decoder path runs too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from playwright.sync_api import Page, expect

from bookings.models import Booking, BookingStatus
from desk.models import Payment
from tests.conftest import CHROMIUM
from tests.desk.helpers import today_at
from tests.freelancers.factories import RegistrationFactory
from tests.two_factor import enter_code, staff_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def running_clock() -> Iterator[None]:
    """The server's clock runs from 10:00 on the test day (the browser keeps its own)."""
    with time_machine.travel(today_at(10), tick=True):
        yield


def _log_in(page: Page, base: str, user: Any, password: str, slug: str) -> None:
    secret = staff_totp(user)
    page.goto(f"{base}/accounts/login/?next=/desk/{slug}/")
    page.get_by_label(re.compile(r"^Email")).fill(user.email)
    page.get_by_label(re.compile(r"^Password")).fill(password)
    page.get_by_role("button", name="Sign In").click()
    enter_code(page, secret)
    expect(page.get_by_role("heading", name=re.compile("^Desk: "))).to_be_visible()


def test_clerk_checks_in_by_scan_seats_a_walk_in_and_prints_a_cash_receipt(
    page: Page,
    live_server: Any,
    running_clock: None,
    centre: Any,
    clerk: Any,
    booking: Any,
    workstation: Any,
    password: str,
) -> None:
    walk_in = RegistrationFactory(submitted=True, cnic="61101-7654321-9", user__full_name="Hira Baloch")
    _log_in(page, live_server.url, clerk, password, centre.slug)

    # 1. The scanner "types" the reference into the focused field and presses Enter.
    scan = page.get_by_label("Scan or type a booking reference")
    expect(scan).to_be_focused()
    scan.type(booking.reference)
    scan.press("Enter")
    answer = page.locator("#scan-result")
    expect(answer).to_contain_text("is checked in at 10:0")
    expect(answer).to_contain_text("Cabin A")
    expect(scan).to_have_value("")
    expect(scan).to_be_focused()  # ready for the next person
    expect(page.locator(f"#booking-{booking.reference}")).to_contain_text("Checked in at 10:0")
    expect(page.locator("[data-count='checked-in']")).to_have_text("1")

    # A second scan is harmless.
    scan.type(booking.reference)
    scan.press("Enter")
    expect(answer).to_contain_text("Already checked in at 10:0")

    # 2. A walk-in found by CNIC is booked and checked in in one step.
    page.get_by_role("link", name="Seat a walk-in").click()
    page.get_by_label("Walk-in: CNIC or mobile of a registered freelancer").fill("6110176543219")
    page.get_by_role("button", name="Find the person").click()
    expect(page.get_by_role("heading", name="Free right now for Hira Baloch")).to_be_visible()
    page.get_by_label("How long at WS-01").select_option(label="Until 12:00 · Rs 200")
    page.get_by_role("button", name="Book WS-01 and check in").click()
    expect(page.locator(".messages")).to_contain_text(
        "Hira Baloch is booked and checked in: WS-01 until 12:00"
    )
    seated = Booking.objects.get(user=walk_in.user)
    assert (seated.status, seated.source, seated.created_by_id) == (
        BookingStatus.CHECKED_IN,
        "desk",
        clerk.pk,
    )

    # 3. Cash for the walk-in, then the printable receipt.
    page.get_by_role("link", name="Take payment").click()
    expect(page.get_by_label("Amount (Rs)")).to_have_value("200")
    expect(page.get_by_label("Paid by")).to_have_value("cash")
    page.get_by_role("button", name="Record payment").click()
    payment = Payment.objects.get()
    expect(page.get_by_role("heading", name=f"Receipt R-{payment.pk:06d}")).to_be_visible()
    expect(page.locator(".receipt")).to_contain_text("Hira Baloch")
    expect(page.locator(".receipt")).to_contain_text("Rs 200")
    expect(page.locator(".receipt")).to_contain_text("Paid")
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    page.get_by_role("button", name="Print receipt").click()
    assert page.evaluate("window.__printed") == 1
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("button", name="Print receipt")).to_be_hidden()
    expect(page.locator(".receipt")).to_be_visible()


def _qr_video(booking: Booking, path: Path) -> Path:
    """A few frames of Y4M video showing the booking's own QR code (Chromium's fake camera plays it)."""
    import io

    from PIL import Image

    from bookings.documents import booking_qr_png

    buffer = io.BytesIO(booking_qr_png(booking, scale=8))
    width, height = 640, 480
    frame = Image.new("L", (width, height), 255)
    code = Image.open(buffer).convert("L")
    frame.paste(code, ((width - code.width) // 2, (height - code.height) // 2))
    luma = frame.tobytes()
    chroma = bytes([128]) * (width // 2 * height // 2)
    with path.open("wb") as video:
        video.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(10):
            video.write(b"FRAME\n" + luma + chroma + chroma)
    return path


def test_camera_reads_the_qr_code_and_checks_the_person_in(
    playwright: Any,
    live_server: Any,
    running_clock: None,
    centre: Any,
    clerk: Any,
    booking: Any,
    password: str,
    tmp_path: Path,
) -> None:
    video = _qr_video(booking, tmp_path / "qr.y4m")
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[
            "--no-sandbox",
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        context = browser.new_context(locale="en-GB", timezone_id="Asia/Karachi", permissions=["camera"])
        page = context.new_page()
        # What the page said and fetched, for the failure message (a CI run once read nothing in 15 s).
        trace: list[str] = []
        page.on("console", lambda message: trace.append(f"console {message.type}: {message.text}"))
        page.on("response", lambda response: trace.append(f"{response.status} {response.url}"))
        _log_in(page, live_server.url, clerk, password, centre.slug)
        page.get_by_role("button", name="Scan QR with the camera").click()
        try:
            # A loaded machine decodes slowly (the fake camera's frames reach jsQR late): be patient.
            expect(page.locator("#scan-result")).to_contain_text("is checked in at 10:0", timeout=40_000)
        except AssertionError as failure:
            raise AssertionError("\n".join([str(failure), *trace[-30:]])) from None
        expect(page.locator("[data-camera]")).to_be_hidden()  # the camera stops after a read
    finally:
        browser.close()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CHECKED_IN
