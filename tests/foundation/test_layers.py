"""Imports point down only: privacy -> desk -> bookings -> freelancers -> centres -> accounts -> outbox
-> kernel.

Read from the source (every import, also inside functions), so a new upward arrow fails here
rather than in a reviewer's head. The project's configuration (URLs, settings, the Celery app
with its beat schedule, seed_demo) names every app and is left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

LAYERS = ["erozgar", "outbox", "accounts", "centres", "freelancers", "bookings", "desk", "privacy"]
# The data generators (demo data, the national-scale seed) write every app's tables, like
# the configuration that names every app, so they are left out too.
CONFIGURATION = {
    "urls.py",
    "settings.py",
    "celery.py",
    "seed_demo.py",
    "seed_scale.py",
    "scale.py",
    "asgi.py",
    "wsgi.py",
}


def _imported_apps(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found & set(LAYERS)


def test_no_module_imports_from_an_app_above_its_own() -> None:
    base = Path(settings.BASE_DIR)
    upward = []
    for rank, app in enumerate(LAYERS):
        for path in sorted((base / app).rglob("*.py")):
            if "migrations" in path.parts or path.name in CONFIGURATION:
                continue
            above = {other for other in _imported_apps(path) if LAYERS.index(other) > rank}
            if above:
                upward.append((str(path.relative_to(base)), sorted(above)))
    assert upward == []
