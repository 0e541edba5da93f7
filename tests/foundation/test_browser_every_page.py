"""Every page an anonymous visitor, a freelancer and centre staff can reach fits a 360 px phone.

The list of pages is not written by hand: it is every route of the URLconf (outside the
API and the PSEB admin) with its parameters filled from a small world of demo rows, plus
the few pages that only show their content with a query. A Django test client sorts out,
per person, which of them answer with a whole HTML page; Chromium then opens each one at
360 px in English and in Urdu and checks that nothing makes the page scroll sideways.
The desktop availability grid scrolls inside its own box, so it passes like every other page.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from playwright.sync_api import Browser, Page, expect

from bookings.models import BookingStatus
from bookings.services import booking_create
from centres.models import CentreStatus, SpaceKind, StaffRole
from desk.models import PaymentMethod
from desk.payments import payment_record
from tests.bookings.factories import BookingFactory, CabinFactory, MeetingRoomFactory, tomorrow_at
from tests.centres.factories import (
    CentreFactory,
    ClosureFactory,
    SpaceFactory,
    StaffMembershipFactory,
    weekdays_open,
)
from tests.freelancers.factories import DocumentFactory, RegistrationFactory, UserFactory
from tests.two_factor import enter_code, staff_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 780}
# Not pages for people: the API (its Swagger UI is the only HTML there, see README) and the
# PSEB admin (Django's own, desktop only); the language switch answers POSTs only.
SKIPPED_PREFIXES = ("api/", "admin/", "i18n/")


@dataclass
class World:
    centre: Any
    planned: Any
    freelancer: Any
    drafter: Any
    staff: Any
    values: dict[str, str]
    extra_paths: list[str]


@pytest.fixture
def world(db: Any) -> World:
    centre = CentreFactory(name="Lahore Arfa Technology Park", slug="lahore-arfa", city="Lahore")
    weekdays_open(centre)
    planned = CentreFactory(name="Gwadar Centre", slug="gwadar", city="Gwadar", status=CentreStatus.PLANNED)
    for n in range(1, 7):
        SpaceFactory(centre=centre, label=f"WS-{n:03d}", rate_hourly_pkr=100, rate_daily_pkr=500)
    cabin = CabinFactory(centre=centre, label="Cabin 7", rate_hourly_pkr=250)
    MeetingRoomFactory(centre=centre, label="Meeting room Indus")
    SpaceFactory(centre=centre, kind=SpaceKind.TRAINING_ROOM, label="Training hall", rate_hourly_pkr=900)
    closure = ClosureFactory(centre=centre, date=tomorrow_at(0).date() + timedelta(days=20))

    staff = StaffMembershipFactory(
        centre=centre, role=StaffRole.MANAGER, user=UserFactory(full_name="Nadia Manager")
    ).user
    registration = RegistrationFactory(approved=True, user=UserFactory(full_name="Ayesha Khan"))
    freelancer = registration.user
    document = DocumentFactory(registration=registration)
    drafter = RegistrationFactory(user=UserFactory(full_name="Bilal Ahmed")).user

    booking = booking_create(
        user=freelancer, space=cabin, starts_at=tomorrow_at(10), ends_at=tomorrow_at(12), notify=False
    )
    payment = payment_record(
        centre=centre, actor=staff, booking=booking, amount_pkr=200, method=PaymentMethod.CASH, reference=""
    )
    BookingFactory(
        user=freelancer,
        space=cabin,
        starts_at=tomorrow_at(14),
        ends_at=tomorrow_at(15),
        status=BookingStatus.CANCELLED,
        cancelled_at=tomorrow_at(0) - timedelta(days=1),
    )

    newcomer = UserFactory()
    EmailAddress.objects.filter(user=newcomer).update(verified=False)
    address = EmailAddress.objects.get(user=newcomer)
    values = {
        "slug": centre.slug,
        "reference": booking.reference,
        "number": registration.registration_number,
        "pk": str(document.pk),
        "space_id": str(cabin.pk),
        "closure_id": str(closure.pk),
        "payment_id": str(payment.pk),
        "photo_id": "1",
        "key": EmailConfirmationHMAC(address).key,
        "uidb36": user_pk_to_url_str(newcomer),
    }
    start = tomorrow_at(10).isoformat()
    extra_paths = [
        reverse("centres:directory") + "?" + urlencode({"city": "Lahore", "kind": "cabin"}),
        reverse("centres:detail", args=[planned.slug]),
        reverse("bookings:book", args=[centre.slug]) + "?" + urlencode({"kind": "workstation"}),
        reverse("bookings:review", args=[centre.slug]) + "?" + urlencode({"space": cabin.pk, "start": start}),
        reverse("desk:lookup", args=[centre.slug]) + "?" + urlencode({"q": registration.cnic}),
        reverse("desk:walk_in", args=[centre.slug]) + "?" + urlencode({"person": registration.cnic}),
        reverse("freelancers:verify_lookup") + "?" + urlencode({"number": registration.registration_number}),
        reverse("account_reset_password_from_key", kwargs={"uidb36": values["uidb36"], "key": "x"}).replace(
            "-x/", f"-{default_token_generator.make_token(newcomer)}/"
        ),
        "/no-such-page/",
    ]
    return World(centre, planned, freelancer, drafter, staff, values, extra_paths)


def _routes(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, Any]]:
    """(route, namespaced name, pattern) of every URL pattern, resolvers walked recursively."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), f"{namespace}{pattern.name}", pattern


def _candidate_paths(world: World) -> list[str]:
    """Every route with its parameters filled in; an unknown parameter fails loudly."""
    paths = []
    for route, name, pattern in _routes(get_resolver().url_patterns):
        if route.startswith(SKIPPED_PREFIXES):
            continue
        assert pattern.name, f"{route} has no name"
        names = pattern.pattern.regex.groupindex
        missing = set(names) - set(world.values)
        assert not missing, f"{route}: add a value for {missing} to the world so the page is visited"
        paths.append(reverse(name, kwargs={key: world.values[key] for key in names}))
    return paths + world.extra_paths


def _signs_out(path: str) -> bool:
    """Someone else's email confirmation or password reset link signs the visitor out: visit those last."""
    return path.startswith("/accounts/password/reset/key/") or (
        path.startswith("/accounts/confirm-email/") and path != "/accounts/confirm-email/"
    )


def _pages_for(user: Any, world: World) -> list[str]:
    """The candidate paths that show this person a whole HTML page.

    A path redirected elsewhere (a login page, the registration dashboard) is that other
    page, visited once under its own path; it counts only when no path reaches it directly
    (the password reset form behind its one-time link).
    """
    client = Client()
    if user is not None:
        client.force_login(user)
    direct: list[str] = []
    redirected: dict[str, str] = {}
    for path in sorted(_candidate_paths(world), key=_signs_out):
        response = client.get(path, follow=True)
        if response.streaming or response.status_code not in (200, 404):
            continue  # a file (calendar, PDF, document, photo), or a page refused to this person
        if "<!doctype html" not in response.content[:200].decode(errors="replace").lower():
            continue  # JSON (health) or an htmx fragment
        final = response.request["PATH_INFO"]
        if final == path.split("?")[0]:
            direct.append(path)
        else:
            redirected.setdefault(final, path)
    reached = {p.split("?")[0] for p in direct}
    pages = sorted(direct + [path for final, path in redirected.items() if final not in reached])
    return sorted(pages, key=_signs_out)


def _log_in(page: Page, base: str, user: Any, password: str) -> None:
    secret = staff_totp(user)
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(password)
    page.locator("form.account-form button[type=submit]").click()
    enter_code(page, secret)
    expect(page.locator("form[action='/accounts/logout/']")).to_have_count(1)


def _overflow(page: Page) -> str:
    """'' when the page fits its width; else its width and the elements that stick out of it.

    An element inside a box that scrolls or clips sideways (a table in its scroll box) does
    not widen the page, so it is not named.
    """
    return page.evaluate(
        """() => {
          const width = window.innerWidth;
          if (document.documentElement.scrollWidth <= width) return "";
          const clipped = el => {
            for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
              if (getComputedStyle(box).overflowX !== "visible") return true;
            }
            return false;
          };
          const culprits = [...document.querySelectorAll("body *")]
            .filter(el => el.getBoundingClientRect().right > width + 1 && !clipped(el))
            .slice(0, 4)
            .map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
                 (typeof el.className === "string" && el.className
                   ? "." + el.className.split(" ").join(".") : ""));
          return document.documentElement.scrollWidth + "px: " + culprits.join(", ");
        }"""
    )


# Pages each person must reach, so the sweep can never pass by visiting nothing.
MUST_REACH = {
    "centre staff": {
        "/desk/lahore-arfa/",
        "/desk/lahore-arfa/walk-in/",
        "/centres/manage/lahore-arfa/spaces/",
    },
    "approved freelancer": {"/bookings/", "/registration/certificate/", "/centres/lahore-arfa/book/"},
    "drafting freelancer": {"/registration/identity/", "/registration/work/", "/registration/review/"},
    "anonymous": {"/", "/centres/", "/accounts/login/", "/accounts/signup/", "/verify/"},
}


def test_every_page_anyone_can_reach_fits_a_360px_phone_in_english_and_urdu(
    world: World, browser: Browser, live_server: Any, password: str
) -> None:
    people = {
        "centre staff": world.staff,
        "approved freelancer": world.freelancer,
        "drafting freelancer": world.drafter,
        "anonymous": None,
    }
    pages = {role: _pages_for(user, world) for role, user in people.items()}
    for role, paths in pages.items():
        reached = {p.split("?")[0] for p in paths}
        assert MUST_REACH[role] <= reached, (role, MUST_REACH[role] - reached)
    problems = []
    for language in ("en", "ur"):
        # A page looks the same to everyone but for the header: each is opened once, by the
        # first person (in MUST_REACH's order) who reaches it.
        seen: set[str] = set()
        for role, user in people.items():
            if user is not None:
                user.language = language
                user.save(update_fields=["language"])
            context = browser.new_context(viewport=PHONE, locale="en-GB", timezone_id="Asia/Karachi")
            context.add_cookies([{"name": "erozgar_language", "value": language, "url": live_server.url}])
            page = context.new_page()
            if user is not None:
                _log_in(page, live_server.url, user, password)
            for path in pages[role]:
                if path in seen:
                    continue
                seen.add(path)
                page.goto(live_server.url + path)
                assert page.evaluate("document.documentElement.lang") == language, path
                overflow = _overflow(page)
                if overflow:
                    problems.append(f"{language} {role} {path}: {overflow}")
            context.close()
    assert not problems, "pages wider than 360 px:\n" + "\n".join(problems)
