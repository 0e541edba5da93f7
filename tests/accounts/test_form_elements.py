"""allauth's form elements render accessibly: labels, errors tied to fields, status in words."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.forms.utils import ErrorList
from django.template import Context, Template
from django.template.base import Origin
from django.test import Client

from accounts.models import User

from .html import ParsedPage

pytestmark = pytest.mark.django_db

FIELD_WITH_EVERYTHING = Template(
    "{% load allauth %}"
    '{% element field id="id_email" name="email" type="email" value=value errors=errors %}'
    "{% slot label %}New email:{% endslot %}"
    "{% slot help_text %}We send a link to this address.{% endslot %}"
    "{% endelement %}",
    origin=Origin(name="field-test", template_name="field-test.html"),  # allauth reads the origin's name
)


def _render_field(errors: list[str]) -> ParsedPage:
    html = FIELD_WITH_EVERYTHING.render(Context({"value": "x@", "errors": ErrorList(errors)}))
    return ParsedPage(html)


def test_a_field_with_errors_points_screen_readers_at_its_help_and_its_errors() -> None:
    page = _render_field(["Enter a valid email address."])

    widget = page.field("email")
    assert widget.attrs["aria-invalid"] == "true"
    assert widget.attrs["aria-describedby"].split() == ["id_email_helptext", "id_email_error"]
    assert page.by_id("id_email_helptext").text == "We send a link to this address."
    assert page.errors_of("email") == ["Enter a valid email address."]
    assert page.label_for(widget) == "New email:"


def test_a_field_without_errors_is_not_marked_invalid() -> None:
    page = _render_field([])

    widget = page.field("email")
    assert "aria-invalid" not in widget.attrs
    assert widget.attrs["aria-describedby"] == "id_email_helptext"
    assert [e for e in page.elements if "errorlist" in e.attrs.get("class", "")] == []


def test_changing_to_an_invalid_email_shows_the_error_at_the_field_in_urdu(
    urdu_client: Client, make_user: Callable[..., User]
) -> None:
    urdu_client.force_login(make_user())

    response = urdu_client.post("/accounts/email/", {"action_add": "", "email": "sana@"})

    assert response.status_code == 200
    page = ParsedPage(response.content.decode())
    assert page.errors_of("email") == ["درست ای میل ایڈریس درج کریں، مثلاً name@example.com"]
    assert page.label_for(page.field("email")) == "نیا ای میل ایڈریس:"


ACCOUNT_PAGES = [
    ("/accounts/signup/", False),
    ("/accounts/login/", False),
    ("/accounts/password/reset/", False),
    ("/accounts/email/", True),
    ("/accounts/password/change/", True),
    ("/accounts/logout/", True),
]


@pytest.mark.parametrize("language", ["en", "ur"])
@pytest.mark.parametrize(("path", "signed_in"), ACCOUNT_PAGES)
def test_every_field_on_the_account_pages_has_a_visible_label(
    client: Client, make_user: Callable[..., User], path: str, signed_in: bool, language: str
) -> None:
    client.cookies["erozgar_language"] = language
    if signed_in:
        client.force_login(make_user())

    response = client.get(path)

    assert response.status_code == 200
    page = ParsedPage(response.content.decode())
    unlabelled = [f.attrs.get("name") for f in page.visible_fields() if not page.label_for(f)]
    assert unlabelled == []
    submit_buttons = [e for e in page.elements if e.tag == "button" and e.attrs.get("type") == "submit"]
    assert all(button.text for button in submit_buttons)


def test_login_shows_remember_me_as_a_checkbox_followed_by_its_label(urdu_client: Client) -> None:
    page = ParsedPage(urdu_client.get("/accounts/login/").content.decode())

    remember = page.field("remember")
    assert remember.attrs["type"] == "checkbox"
    assert page.label_for(remember) == "مجھے یاد رکھیں"
    assert page.elements.index(remember) < page.elements.index(
        next(e for e in page.elements if e.tag == "label" and e.attrs.get("for") == remember.attrs["id"])
    )


@pytest.mark.parametrize(
    ("tags", "css_class"),
    [
        ("success,email,verified", "badge-ok"),
        ("warning,email,unverified", "badge-warn"),
        ("email,primary", "badge-info"),
    ],
)
def test_status_badges_carry_their_status_in_words_and_a_colour(tags: str, css_class: str) -> None:
    template = Template(
        "{% load allauth %}{% element badge tags=tags %}Verified{% endelement %}",
        origin=Origin(name="badge-test", template_name="badge-test.html"),
    )

    page = ParsedPage(template.render(Context({"tags": tags})))

    badge = next(e for e in page.elements if e.tag == "strong")
    assert badge.attrs["class"].split() == ["badge", css_class]
    assert badge.text == "Verified"
