"""Price guidance on review: a day pass cheaper than the hours chosen is said and offered; a
freelancer not yet approved is told why there is no monthly plan and how to get approved."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client

from bookings.models import Booking, Product
from tests.bookings.factories import tomorrow_at

pytestmark = pytest.mark.django_db


def _review(client: Client, space: Any, option: str, **extra: Any) -> str:
    query = urlencode({"space": space.pk, "start": tomorrow_at(10).isoformat(), "option": option})
    response = client.get(f"/centres/{space.centre.slug}/book/review/?{query}", **extra)
    assert response.status_code == 200
    return response.content.decode()


def test_six_hours_costing_more_than_a_day_pass_offers_the_day_pass(
    client: Client, workstation: Any, freelancer: Any
) -> None:
    client.force_login(freelancer)
    html = _review(client, workstation, "hourly:360")  # 6 x Rs 100 = Rs 600; the day pass is Rs 500
    assert "A day pass costs Rs 500, less than Rs 600 for these hours." in html
    assert "option=day_pass" in html and "Take the day pass instead" in html
    # Swapped by htmx when the length changes: the summary carries the guidance too.
    assert "Take the day pass instead" in _review(client, workstation, "hourly:360", HTTP_HX_REQUEST="true")


def test_hours_cheaper_than_a_day_pass_get_no_tip(client: Client, workstation: Any, freelancer: Any) -> None:
    client.force_login(freelancer)
    assert "A day pass costs" not in _review(client, workstation, "hourly:120")
    assert "A day pass costs" not in _review(client, workstation, "day_pass")


def test_taking_the_offered_day_pass_books_a_day_pass(
    client: Client, workstation: Any, freelancer: Any
) -> None:
    client.force_login(freelancer)
    html = _review(client, workstation, "day_pass")
    assert '<option value="day_pass" selected>' in html
    response = client.post(
        f"/centres/{workstation.centre.slug}/book/review/",
        {"space": workstation.pk, "start": tomorrow_at(10).isoformat(), "option": "day_pass"},
    )
    assert response.status_code == 302
    booking = Booking.objects.get(user=freelancer)
    assert (booking.product, booking.price_pkr) == (Product.DAY_PASS, 500)


def test_not_yet_approved_is_told_why_no_monthly_plan_with_the_way_to_approval(
    client: Client, workstation: Any, freelancer: Any
) -> None:
    client.force_login(freelancer)  # submitted
    html = _review(client, workstation, "hourly:60")
    assert "Monthly seat plans are for freelancers whose registration is approved." in html
    assert 'href="/registration/"' in html
    assert 'value="monthly"' not in html


def test_an_approved_freelancer_gets_the_plan_not_the_note(
    client: Client, workstation: Any, approved_freelancer: Any
) -> None:
    client.force_login(approved_freelancer)
    html = _review(client, workstation, "hourly:60")
    assert "Monthly seat plans are for" not in html
    assert 'value="monthly"' in html


def test_no_monthly_note_for_a_meeting_room(client: Client, meeting_room: Any, freelancer: Any) -> None:
    client.force_login(freelancer)
    assert "Monthly seat plans are for" not in _review(client, meeting_room, "hourly:60")
