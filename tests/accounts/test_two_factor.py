"""Two-factor sign-in: required for staff (desk, admin, managers, document viewers), optional for
freelancers; the token endpoint asks staff for the code; TOTP secrets are sealed at rest."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from accounts.models import User
from tests.centres.factories import StaffMembershipFactory
from tests.two_factor import give_totp, totp_code

pytestmark = pytest.mark.django_db

SETUP = "/accounts/2fa/totp/activate/"


def sign_in(client: Client, email: str, password: str, **extra: Any) -> Any:
    return client.post("/accounts/login/", {"login": email, "password": password, **extra})


@pytest.fixture
def clerk(make_user: Callable[..., User]) -> User:
    user = make_user("clerk@example.pk")
    StaffMembershipFactory(user=user, role="desk")
    return user


def test_staff_without_totp_cannot_reach_the_desk_or_the_admin_until_they_set_it_up(
    make_user: Callable[..., User], clerk: User, password: str
) -> None:
    admin = make_user("admin@example.pk", is_staff=True, is_superuser=True)
    for person, page in ((clerk, "/desk/"), (admin, "/admin/")):
        client = Client()
        assert sign_in(client, person.email, password).status_code == 302
        refused = client.get(page)
        assert refused.status_code == 302
        assert refused["Location"].startswith(SETUP)
        # The set-up page itself is open (after the password once more, as allauth asks).
        setup = client.get(refused["Location"])
        assert setup.status_code == 302 and setup["Location"].startswith("/accounts/reauthenticate/")
        assert client.post(setup["Location"], {"password": password}).status_code == 302
        assert client.get(refused["Location"]).status_code == 200

    api = Client()
    sign_in(api, clerk.email, password)
    answer = api.get("/api/v1/desk/1/today/")
    assert answer.status_code == 403 and answer.json()["code"] == "two_factor_required"


def test_staff_with_totp_are_asked_for_the_code_at_sign_in_and_then_reach_the_desk(
    clerk: User, password: str
) -> None:
    secret = give_totp(clerk)
    client = Client()
    response = sign_in(client, clerk.email, password, next="/desk/")
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session  # the password alone signs nobody in

    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session

    done = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert done.status_code == 302 and done["Location"] == "/desk/"
    assert client.get("/desk/").status_code in {200, 302}
    assert not client.get("/desk/").get("Location", "").startswith(SETUP)


def test_freelancers_do_not_need_a_second_factor(make_user: Callable[..., User], password: str) -> None:
    freelancer = make_user("freelancer@example.pk")
    client = Client()
    assert sign_in(client, freelancer.email, password).status_code == 302
    assert client.get("/bookings/").status_code == 200
    assert client.get("/desk/").status_code == 200  # "you work at no centre": no set-up demanded
    assert client.get("/registration/documents/1/").status_code == 404


def test_the_token_endpoint_asks_staff_for_the_code(clerk: User, password: str) -> None:
    def token(**extra: Any) -> Any:
        return Client().post(
            "/api/v1/auth/token/",
            {"email": clerk.email, "password": password, **extra},
            content_type="application/json",
        )

    without = token()
    assert without.status_code == 403 and without.json()["code"] == "two_factor_required"
    secret = give_totp(clerk)
    no_code = token()
    assert no_code.status_code == 400 and "code" in no_code.json()["fields"]
    assert token(code="000000").status_code == 400
    assert token(code=totp_code(secret)).status_code == 200


def test_freelancers_get_tokens_with_the_password_alone(
    make_user: Callable[..., User], password: str
) -> None:
    freelancer = make_user("freelancer@example.pk")
    answer = Client().post(
        "/api/v1/auth/token/",
        {"email": freelancer.email, "password": password},
        content_type="application/json",
    )
    assert answer.status_code == 200


def test_totp_secrets_are_sealed_in_the_database(clerk: User) -> None:
    secret = give_totp(clerk)
    stored = Authenticator.objects.get(user=clerk, type="totp").data["secret"]
    assert stored.startswith("sealed:") and secret not in stored


def test_the_demo_admin_signs_in_with_the_printed_demo_code() -> None:
    import io

    from django.core.management import call_command

    from accounts import demo

    out = io.StringIO()
    demo.seed(out)
    assert demo.DEMO_TOTP_SECRET in out.getvalue()
    code = io.StringIO()
    call_command("demo_totp_code", stdout=code)

    client = Client()
    response = sign_in(client, "admin@erozgar.pk", demo.DEMO_PASSWORD, next="/admin/")
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert client.post(response["Location"], {"code": code.getvalue().strip()})["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
