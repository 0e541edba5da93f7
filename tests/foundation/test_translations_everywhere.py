"""Every string marked for translation anywhere in the portal reads in Urdu (not only the shell's)."""

from __future__ import annotations

from tests.i18n import BASE, marked_strings, not_in_urdu

# Every template and every app: a new page or message without its Urdu fails here.
SOURCES = ["templates", *sorted(p.name for p in BASE.iterdir() if (p / "apps.py").is_file())]


def test_every_marked_string_of_every_app_and_template_reads_in_urdu() -> None:
    assert not_in_urdu(SOURCES) == []


def test_the_sweep_covers_the_apps_and_their_templates() -> None:
    assert {"accounts", "bookings", "centres", "desk", "erozgar", "freelancers"} <= set(SOURCES)
    found = {message for _path, message, _context in marked_strings(["bookings", "templates/bookings"])}
    assert {"Book a space at %(centre)s", "Free and taken times on %(day)s, by space"} <= found
