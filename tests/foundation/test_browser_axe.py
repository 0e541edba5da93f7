"""The vendored axe-core really runs: it names a violation when there is one."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.a11y import axe_violations

pytestmark = [pytest.mark.browser]


def test_axe_core_reports_an_unlabelled_field_and_passes_a_labelled_one(page: Page) -> None:
    page.set_content('<html lang="en"><title>t</title><main><input type="text"></main></html>')
    assert "label" in {v["id"] for v in axe_violations(page)}
    page.set_content(
        '<html lang="en"><title>t</title><main><h1>Form</h1>'
        '<label for="f">Name</label><input id="f" type="text"></main></html>'
    )
    assert axe_violations(page) == []
