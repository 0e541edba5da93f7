"""Requests an attacker would send: each answers a 4xx with a message, none a 500.

Sent through the real URL stack (Django's test client: every middleware, the URL resolver,
DRF's parsers and authentication) and, at the end, against a live server over HTTP.
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from centres.models import StaffRole
from tests.bookings.factories import BookingFactory, CabinFactory
from tests.centres.factories import CentreFactory, StaffMembershipFactory, weekdays_open
from tests.foundation.tokens import token_client
from tests.freelancers.conftest import image_bytes
from tests.freelancers.factories import RegistrationFactory

DEEP_ARRAY = "[" * 1000 + "]" * 1000
DEEP_OBJECT = '{"a":' * 1000 + "1" + "}" * 1000
LONE_SURROGATE = "\ud800x"  # json.dumps writes it as the escape "\\ud800x", as an attacker would


@pytest.fixture
def world(db: Any, make_user: Any) -> dict[str, Any]:
    centre = CentreFactory(slug="lahore-arfa", status="active")
    weekdays_open(centre)
    cabin = CabinFactory(centre=centre, label="Cabin A")
    freelancer = RegistrationFactory(submitted=True).user
    booking = BookingFactory(user=freelancer, space=cabin)
    manager = make_user()
    StaffMembershipFactory(user=manager, centre=centre, role=StaffRole.MANAGER)
    admin = make_user(is_staff=True, is_superuser=True)
    return {
        "centre": centre,
        "cabin": cabin,
        "booking": booking,
        "freelancer": freelancer,
        "manager": manager,
        "admin": admin,
    }


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def with_token(user: Any) -> Client:
    return token_client(user)


def assert_refused(response: Any, status: int = 400) -> None:
    assert response.status_code == status, (response.status_code, response.content[:300])
    if response["Content-Type"].startswith("application/json"):
        body = response.json()
        assert body["code"] and body["detail"], body
    else:
        assert b"not allowed" in response.content or b"could not" in response.content


# --- the routes named in the finding ------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/verify/%00/",
        "/api/v1/centres/%00/",
        "/bookings/%00/",
        "/api/v1/bookings/%00/",
        "/api/v1/verify/%00/",
    ],
)
def test_nul_in_a_path_segment_is_a_400_with_a_message(world: dict[str, Any], url: str) -> None:
    response = with_token(world["freelancer"]).get(url)
    assert_refused(response)
    if url.startswith("/api/"):
        assert response.json()["code"] == "invalid_characters"
        assert response.json()["fields"] == {"path": [response.json()["detail"]]}


def test_nul_in_a_path_segment_of_a_portal_page_is_a_translated_page(world: dict[str, Any]) -> None:
    client = signed_in(world["freelancer"])
    client.cookies["erozgar_language"] = "ur"
    response = client.get("/bookings/%00/")
    assert response.status_code == 400
    assert 'dir="rtl"' in response.content.decode()


def test_verify_lookup_with_a_slash_says_no_such_number(db: Any) -> None:
    response = Client().get("/verify/", {"number": "a/b"})
    assert response.status_code == 404
    assert "No registration has the number" in response.content.decode()


def test_verify_lookup_still_sends_a_real_number_to_its_page(db: Any) -> None:
    response = Client().get("/verify/", {"number": " pseb-fl-2026-000123 "})
    assert response.status_code == 302 and response["Location"] == "/verify/PSEB-FL-2026-000123/"


@pytest.mark.parametrize("body", [DEEP_ARRAY, DEEP_OBJECT])
def test_json_nested_1000_deep_to_the_token_endpoint_is_a_400(db: Any, body: str) -> None:
    response = Client().post("/api/v1/auth/token/", body, content_type="application/json")
    assert_refused(response)
    assert response.json()["code"] == "parse_error"
    assert "nested too deeply" in response.json()["detail"]


def test_json_nested_1000_deep_is_a_400_on_every_endpoint_that_takes_a_body(world: dict[str, Any]) -> None:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    centre, booking = world["centre"], world["booking"]
    values = {
        "key": centre.pk,
        "centre_id": centre.pk,
        "space_id": world["cabin"].pk,
        "closure_id": 1,
        "id": 1,
        "number": "X",
    }
    managers, freelancers = with_token(world["manager"]), with_token(world["freelancer"])
    sent = 0
    for path, operations in schema["paths"].items():
        url = re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)
        if "/bookings/{key}/" in path:
            url = url.replace(f"/bookings/{centre.pk}/", f"/bookings/{booking.reference}/")
        for method, operation in operations.items():
            if "requestBody" not in operation:
                continue
            client = managers if path.startswith("/api/v1/centres/") else freelancers
            for body in (DEEP_ARRAY, DEEP_OBJECT):
                response = client.generic(method.upper(), url, body, content_type="application/json")
                assert response.status_code < 500, (method, url, response.status_code)
                if response.status_code == 400:
                    assert response.json()["code"] in ("parse_error", "invalid"), response.json()
            sent += 1
    assert sent >= 10  # every write endpoint of the API was reached


# --- lone surrogates and NUL inside JSON ----------------------------------------------------


def test_a_lone_surrogate_in_json_is_a_400_naming_the_field(world: dict[str, Any]) -> None:
    client = with_token(world["manager"])
    body = json.dumps({"kind": LONE_SURROGATE, "label": "Cabin Z"})
    response = client.post(
        f"/api/v1/centres/{world['centre'].pk}/spaces/", body, content_type="application/json"
    )
    assert_refused(response)
    assert list(response.json()["fields"]) == ["kind"]


def test_a_lone_surrogate_in_a_nested_json_string_names_its_path(world: dict[str, Any]) -> None:
    body = json.dumps({"gender": "female", "profiles": [{"platform": "github", "url": LONE_SURROGATE}]})
    response = with_token(world["freelancer"]).put(
        "/api/v1/me/registration/", body, content_type="application/json"
    )
    assert_refused(response)
    assert list(response.json()["fields"]) == ["profiles.0.url"]


def test_a_lone_surrogate_as_a_json_key_is_refused_without_echoing_it(world: dict[str, Any]) -> None:
    body = json.dumps({LONE_SURROGATE: 1})
    response = with_token(world["freelancer"]).put(
        "/api/v1/me/registration/", body, content_type="application/json"
    )
    assert_refused(response)
    assert "\\ud800" not in response.content.decode() and list(response.json()["fields"]) == ["body"]


def test_nul_in_a_replayable_booking_request_is_a_400(world: dict[str, Any]) -> None:
    """The idempotency record keeps the answer in jsonb, which cannot hold a NUL."""
    body = json.dumps({"space": world["cabin"].pk, "starts_at": "\x00", "ends_at": "x", "product": "\x00"})
    response = with_token(world["freelancer"]).post(
        "/api/v1/bookings/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="retry-1"
    )
    assert_refused(response)
    assert set(response.json()["fields"]) == {"starts_at", "product"}


# --- query strings, forms and headers -----------------------------------------------------


def test_nul_in_a_query_string_is_a_400_naming_the_parameter(db: Any) -> None:
    response = Client().get("/api/v1/centres/", {"q": "lahore\x00"})
    assert_refused(response)
    assert list(response.json()["fields"]) == ["q"]
    assert Client().get("/centres/", {"q": "\x00"}).status_code == 400


def test_nul_in_a_form_post_at_the_desk_is_a_400(world: dict[str, Any]) -> None:
    client, url = signed_in(world["manager"]), f"/desk/{world['centre'].slug}/check-out/"
    assert_refused(client.post(url, {"reference": "\x00"}))  # multipart, as the test client sends
    assert_refused(client.post(url, "reference=%00", content_type="application/x-www-form-urlencoded"))


def test_nul_in_a_multipart_field_of_an_upload_page_is_refused(db: Any, make_user: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = signed_in(make_user())
    upload = SimpleUploadedFile("me.png", image_bytes("PNG"), content_type="image/png")
    response = client.post("/registration/documents/", {"photo": upload, "kind": "\x00", "x\x00": "1"})
    assert response.status_code < 500


def test_nul_in_a_urlencoded_api_put_is_a_400(world: dict[str, Any]) -> None:
    response = with_token(world["freelancer"]).put(
        "/api/v1/me/registration/", "full_name=a%00b", content_type="application/x-www-form-urlencoded"
    )
    assert_refused(response)
    assert list(response.json()["fields"]) == ["full_name"]


def test_nul_in_the_token_header_is_a_400(db: Any) -> None:
    response = Client(HTTP_AUTHORIZATION="Token abc\x00def").get("/api/v1/bookings/")
    assert_refused(response)
    assert list(response.json()["fields"]) == ["authorization"]


def test_binary_uploads_with_nul_bytes_are_untouched(db: Any, make_user: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    png = image_bytes("PNG")
    assert b"\x00" in png
    response = with_token(make_user()).post(
        "/api/v1/me/registration/documents/",
        {"kind": "photo", "file": SimpleUploadedFile("me.png", png, content_type="image/png")},
    )
    assert response.status_code == 201, response.content


# --- every route, every admin -------------------------------------------------------------


def _patterns(resolver: URLResolver, prefix: str = "") -> list[str]:
    found: list[str] = []
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            found += _patterns(entry, pattern)
        elif isinstance(entry, URLPattern):
            found.append(pattern)
    return found


def _fill(pattern: str, value: str) -> str:
    path = re.sub(r"<(?:\w+:)?\w+>", value, pattern)
    path = re.sub(r"\(\?P<\w+>[^)]*\)", value, path)
    return "/" + re.sub(r"[\^$\\]|\\Z", "", path)


def test_no_route_with_a_path_parameter_answers_5xx_to_hostile_values(world: dict[str, Any]) -> None:
    routes = sorted({p for p in _patterns(get_resolver()) if "<" in p})
    assert len(routes) > 40
    clients = [signed_in(world["admin"]), with_token(world["manager"])]
    for route in routes:
        for value in ("%00", "abc", "99999999999999999999", "%F0%9F%98%80"):
            for client in clients:
                response = client.get(_fill(route, value))
                assert response.status_code < 500, (route, value, response.status_code)


# NUL anywhere in a query string is refused before the admin sees it (tested once per model, on
# `q`); these are the values that only fail when the admin's query runs.
WRONG_TYPE, OVERFLOW = "abc", "99999999999999999999"


def _admin_lookups(model: Any, model_admin: Any) -> list[tuple[str, list[str]]]:
    """(lookup, hostile values) for every field of the model and every filter of its admin."""
    from django.db import models

    lookups: list[tuple[str, list[str]]] = []
    for field in model._meta.get_fields():
        if not getattr(field, "concrete", False) or field.many_to_many:
            continue
        if field.is_relation:
            lookups.append((f"{field.name}__id__exact", [WRONG_TYPE, OVERFLOW]))
        elif isinstance(field, models.DateField):  # DateTimeField too
            lookups.append((f"{field.name}__year", [WRONG_TYPE, OVERFLOW, "-1"]))
        elif not isinstance(field, models.CharField | models.TextField):  # any text is a valid text
            lookups.append((f"{field.name}__exact", [WRONG_TYPE, OVERFLOW]))
    for entry in model_admin.list_filter:
        name = entry if isinstance(entry, str) else entry[0] if isinstance(entry, tuple) else None
        lookups.append((f"{name}__gte" if name else entry.parameter_name, [WRONG_TYPE]))
    return lookups + [("o", [WRONG_TYPE]), ("p", [WRONG_TYPE, OVERFLOW])]


def test_every_model_admin_survives_hostile_ids_and_filters(world: dict[str, Any]) -> None:
    from django.contrib import admin

    client = signed_in(world["admin"])
    assert len(admin.site._registry) > 10
    for model, model_admin in admin.site._registry.items():
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for value in ("abc", "%00", "%F0%9F%98%80"):
            for suffix in ("change/", "delete/", "history/"):
                response = client.get(f"{base}{value}/{suffix}")
                assert response.status_code in (302, 400, 404), (base, value, suffix, response.status_code)
        assert client.get(f"{base}?q=%00").status_code == 400
        for lookup, values in _admin_lookups(model, model_admin):
            for value in values:
                response = client.get(f"{base}?{lookup}={value}")
                assert response.status_code < 500, (base, lookup, value, response.status_code)


def test_admin_change_of_a_non_integer_id_says_it_does_not_exist(world: dict[str, Any]) -> None:
    client = signed_in(world["admin"])
    response = client.get("/admin/freelancers/registration/abc/change/", follow=True)
    assert response.status_code == 200
    assert "doesn’t exist" in response.content.decode()


def test_admin_year_filter_out_of_range_returns_to_the_list_with_a_message(world: dict[str, Any]) -> None:
    client = signed_in(world["admin"])
    response = client.get("/admin/centres/centre/?created_at__year=99999999999999999999")
    assert response.status_code == 302 and response["Location"].endswith("?e=1")
    page = client.get(response["Location"])
    assert page.status_code == 200 and "has a value the list cannot use" in page.content.decode()


# --- the same list against a live server ----------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_hostile_requests_to_a_live_server_get_no_5xx(
    live_server: Any, make_user: Any, password: str
) -> None:
    centre = CentreFactory(slug="lahore-arfa", status="active")
    make_user(email="attacker@example.pk")
    base = live_server.url
    with httpx.Client(base_url=base, timeout=30) as http:
        token_answer = http.post(
            "/api/v1/auth/token/", json={"email": "attacker@example.pk", "password": password}
        )
        assert token_answer.status_code == 200
        auth = {"Authorization": f"Token {token_answer.json()['token']}"}
        json_headers = {**auth, "Content-Type": "application/json"}
        requests = [
            ("GET", "/verify/%00/", {}, None),
            ("GET", "/api/v1/centres/%00/", {}, None),
            ("GET", "/bookings/%00/", auth, None),
            ("GET", "/api/v1/bookings/%00/", auth, None),
            ("GET", "/verify/?number=a/b", {}, None),
            ("POST", "/api/v1/auth/token/", {"Content-Type": "application/json"}, DEEP_ARRAY),
            ("POST", "/api/v1/bookings/", json_headers, DEEP_OBJECT),
            ("PUT", "/api/v1/me/registration/", json_headers, json.dumps({"gender": LONE_SURROGATE})),
            ("GET", f"/api/v1/centres/{centre.pk}/availability/?date=%00", {}, None),
            ("GET", "/api/v1/centres/?tier=%00&q=%00", {}, None),
        ]
        for method, path, headers, body in requests:
            response = http.request(method, path, headers=headers, content=body)
            assert 400 <= response.status_code < 500, (
                method,
                path,
                response.status_code,
                response.text[:200],
            )
