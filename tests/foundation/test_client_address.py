"""One reading of the client's address (erozgar.ratelimit.client_address) for every limit."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory

from erozgar.ratelimit import client_address


def _request(remote: str, forwarded: str | None = None) -> Any:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_a_trusted_proxy_the_header_is_ignored(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(_request("198.51.100.66", "1.2.3.4")) == "198.51.100.66"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "1.2.3.4, 5.6.7.8, 198.51.100.66", "198.51.100.66"),
        (2, "1.2.3.4, 198.51.100.66, 10.0.0.9", "198.51.100.66"),
        (2, "198.51.100.66", "10.0.0.2"),  # fewer hops than proxies: the nearest proxy's
        (1, "not-an-address", "10.0.0.2"),
        (1, "", "10.0.0.2"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_behind_proxies_the_outermost_trusted_hop_is_the_client(
    settings: Any, proxies: int, forwarded: str, expected: str
) -> None:
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_address(_request("10.0.0.2", forwarded)) == expected


def test_allauth_and_drf_read_the_same_setting(settings: Any) -> None:
    from django.conf import settings as live

    assert live.ALLAUTH_TRUSTED_PROXY_COUNT == live.TRUSTED_PROXY_COUNT
    assert live.REST_FRAMEWORK["NUM_PROXIES"] == live.TRUSTED_PROXY_COUNT
