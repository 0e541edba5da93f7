"""Start the embedded PostgreSQL and Redis for a test run (the settings only read where they are)."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    from erozgar import devservices

    devservices.up(quiet=True)
