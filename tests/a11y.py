"""axe-core in Chromium: a page has no accessibility violations axe can find.

axe-core is vendored under ``tests/vendor/axe-core/`` (from npm, see the README there) and
evaluated through the DevTools protocol, which the page's strict CSP does not govern: the
portal itself never serves it and no network is used.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

AXE_PATH = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"

# WCAG 2.0-2.2 A and AA plus axe's best practices: everything axe checks except experimental rules.
RUN_OPTIONS = {"resultTypes": ["violations"]}


@cache
def _axe_source() -> str:
    return AXE_PATH.read_text(encoding="utf-8")


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe's violations on the page as it is now (after htmx swaps too), each with its nodes."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    return page.evaluate(
        "options => axe.run(document, options).then(result => result.violations)", RUN_OPTIONS
    )


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node['failureSummary'].splitlines()[-1].strip()}")
    return "\n".join(lines)


def assert_accessible(page: Any) -> None:
    """Fail with a readable list when axe finds anything on the page."""
    violations = axe_violations(page)
    assert not violations, f"axe-core on {page.url}:\n{describe(violations)}"
