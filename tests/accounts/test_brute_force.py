"""Password guessing as an attacker does it: a new X-Forwarded-For on every request, many addresses,
one address against many accounts, on the API's token endpoint and on the login form.

And the other half of the bargain: whatever a stranger does, the owner still gets in from a
device they have signed in on before, and a stranger's failures from another address do not
count against the owner's own address.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from accounts.login_guard import DEVICE_COOKIE
from accounts.models import User

from .html import ParsedPage

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
TOO_MANY = "Too many failed login attempts. Try again later."
_addresses = (f"203.0.{a}.{b}" for a, b in itertools.product(range(1, 250), range(1, 250)))


def fresh_address() -> str:
    return next(_addresses)


def token(client: Client, email: str, password: str, **extra: Any) -> Any:
    return client.post(
        TOKEN, {"email": email, "password": password}, content_type="application/json", **extra
    )


def log_in(client: Client, email: str, password: str, **extra: Any) -> Any:
    return client.post("/accounts/login/", {"login": email, "password": password}, **extra)


def test_200_guesses_each_with_a_new_forwarded_for_are_refused_past_five_and_so_is_the_password(
    make_user: Callable[..., User], password: str
) -> None:
    """No proxy is trusted (the default): X-Forwarded-For is the attacker's own text and moves nothing."""
    user = make_user("victim@example.pk")
    attacker = Client(REMOTE_ADDR="198.51.100.66")

    codes = [
        token(attacker, user.email, f"guess-{n}", HTTP_X_FORWARDED_FOR=fresh_address()).status_code
        for n in range(200)
    ]

    assert codes[:5] == [400] * 5
    assert codes[5:] == [429] * 195
    refused = token(attacker, user.email, password, HTTP_X_FORWARDED_FOR=fresh_address())
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled" and "token" not in refused.json()
    with time_machine.travel(timezone.now() + timedelta(minutes=5, seconds=1)):
        assert token(attacker, user.email, password).status_code == 200


def test_behind_a_proxy_spread_guesses_hit_the_per_account_limit_and_the_password_stays_refused(
    make_user: Callable[..., User], password: str, settings: Any
) -> None:
    """One trusted proxy: every guess really comes from a different address (a botnet)."""
    settings.TRUSTED_PROXY_COUNT = 1
    user = make_user("victim@example.pk")
    proxy = "10.0.0.2"

    codes = [
        token(
            Client(REMOTE_ADDR=proxy), user.email, f"guess-{n}", HTTP_X_FORWARDED_FOR=fresh_address()
        ).status_code
        for n in range(200)
    ]

    assert codes[:20] == [400] * 20
    assert codes[20:] == [429] * 180
    assert (
        token(
            Client(REMOTE_ADDR=proxy), user.email, password, HTTP_X_FORWARDED_FOR=fresh_address()
        ).status_code
        == 429
    )
    with time_machine.travel(timezone.now() + timedelta(hours=1, seconds=1)):
        assert (
            token(
                Client(REMOTE_ADDR=proxy), user.email, password, HTTP_X_FORWARDED_FOR=fresh_address()
            ).status_code
            == 200
        )


def test_behind_a_proxy_only_the_address_the_proxy_saw_counts(
    make_user: Callable[..., User], settings: Any
) -> None:
    """The attacker prepends made-up hops; the proxy appends the real one, which is all that is read."""
    settings.TRUSTED_PROXY_COUNT = 1
    user = make_user("victim@example.pk")
    codes = [
        token(
            Client(REMOTE_ADDR="10.0.0.2"),
            user.email,
            f"guess-{n}",
            HTTP_X_FORWARDED_FOR=f"{fresh_address()}, {fresh_address()}, 198.51.100.66",
        ).status_code
        for n in range(8)
    ]
    assert codes == [400] * 5 + [429] * 3


def test_a_stranger_cannot_lock_the_owner_out_of_the_api(
    make_user: Callable[..., User], password: str
) -> None:
    user = make_user("owner@example.pk")
    stranger = Client(REMOTE_ADDR="198.51.100.66")
    for n in range(30):
        token(stranger, user.email, f"guess-{n}")
    assert token(stranger, user.email, password).status_code == 429

    owner = Client(REMOTE_ADDR="192.0.2.10")  # home, never seen before: no device cookie
    assert token(owner, user.email, password).status_code == 200


def test_the_owners_known_device_gets_in_even_when_the_account_is_under_attack_from_everywhere(
    make_user: Callable[..., User], password: str, settings: Any
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    user = make_user("owner@example.pk")
    owner = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.10")
    assert log_in(owner, user.email, password).status_code == 302
    device = owner.cookies[DEVICE_COOKIE].value

    for n in range(40):
        log_in(Client(REMOTE_ADDR="10.0.0.2"), user.email, f"guess-{n}", HTTP_X_FORWARDED_FOR=fresh_address())
    somebody_new = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=fresh_address())
    assert ParsedPage(log_in(somebody_new, user.email, password).content.decode()).alerts() == [TOO_MANY]

    # The owner, from the phone they used before, at another address again.
    owner = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=fresh_address())
    owner.cookies[DEVICE_COOKIE] = device
    response = log_in(owner, user.email, password)
    assert response.status_code == 302
    assert int(owner.session["_auth_user_id"]) == user.pk
    assert token(owner, user.email, password).status_code == 200


def test_on_the_login_form_a_strangers_failures_do_not_lock_the_owner_out(
    make_user: Callable[..., User], password: str
) -> None:
    user = make_user("owner@example.pk")
    stranger = Client(REMOTE_ADDR="198.51.100.66")
    for n in range(10):
        log_in(stranger, user.email, f"guess-{n}")
    assert ParsedPage(log_in(stranger, user.email, password).content.decode()).alerts() == [TOO_MANY]

    owner = Client(REMOTE_ADDR="192.0.2.10")
    assert log_in(owner, user.email, password).status_code == 302
    assert int(owner.session["_auth_user_id"]) == user.pk


def test_a_device_cookie_of_one_account_does_not_help_guessing_another(
    make_user: Callable[..., User], password: str
) -> None:
    mine, theirs = make_user("mine@example.pk"), make_user("theirs@example.pk")
    attacker = Client(REMOTE_ADDR="198.51.100.66")
    assert token(attacker, mine.email, password).status_code == 200
    assert DEVICE_COOKIE in attacker.cookies

    codes = [token(attacker, theirs.email, f"guess-{n}").status_code for n in range(7)]
    assert codes == [400] * 5 + [429] * 2


def test_a_forged_device_cookie_counts_as_none(make_user: Callable[..., User]) -> None:
    user = make_user("owner@example.pk")
    attacker = Client(REMOTE_ADDR="198.51.100.66")
    attacker.cookies[DEVICE_COOKIE] = "eyJhIjoiMSIsImQiOiIxIn0:forged:signature"
    codes = [token(attacker, user.email, f"guess-{n}").status_code for n in range(6)]
    assert codes == [400] * 5 + [429]


def test_one_address_spraying_many_accounts_is_stopped(make_user: Callable[..., User], password: str) -> None:
    """30 failures from one address in 5 minutes, over any accounts (the API also allows only 10
    requests a minute per address)."""
    sprayer = Client(REMOTE_ADDR="198.51.100.66")
    start = timezone.now()
    with time_machine.travel(start, tick=True):
        alerts = [
            ParsedPage(log_in(sprayer, f"person{n}@example.pk", "Summer2026!").content.decode()).alerts()
            for n in range(20)
        ]
    with time_machine.travel(start + timedelta(seconds=70), tick=True):
        alerts += [
            ParsedPage(log_in(sprayer, f"person{n}@example.pk", "Summer2026!").content.decode()).alerts()
            for n in range(20, 30)
        ]
        assert TOO_MANY not in sum(alerts, [])
        real = make_user("real@example.pk")
        page = ParsedPage(log_in(sprayer, real.email, password).content.decode())
    assert page.alerts() == [TOO_MANY]
    assert "_auth_user_id" not in sprayer.session


def test_a_right_password_gives_back_only_its_own_attempt(
    make_user: Callable[..., User], password: str
) -> None:
    """Signing in now and then cannot hide a guessing run: the failures before it still count."""
    user = make_user("owner@example.pk")
    client = Client(REMOTE_ADDR="192.0.2.10")
    assert [token(client, user.email, f"typo-{n}").status_code for n in range(4)] == [400] * 4
    assert token(client, user.email, password).status_code == 200
    client.cookies.pop(DEVICE_COOKIE)
    assert token(client, user.email, "typo-again").status_code == 400
    assert token(client, user.email, password).status_code == 429


def test_the_token_endpoint_answers_an_unknown_email_as_a_wrong_password(
    make_user: Callable[..., User],
) -> None:
    make_user("known@example.pk")
    known = token(Client(REMOTE_ADDR="192.0.2.10"), "known@example.pk", "wrong-password")
    unknown = token(Client(REMOTE_ADDR="192.0.2.11"), "nobody@example.pk", "wrong-password")
    assert known.status_code == unknown.status_code == 400
    assert known.json() == unknown.json()
    assert DEVICE_COOKIE not in known.cookies and DEVICE_COOKIE not in unknown.cookies
