# The benchmarks reuse the test suite's fixtures (actors, Celery worker, Chromium settings).
from pathlib import Path
from typing import Any

from tests.conftest import *  # noqa: F403


def pytest_terminal_summary(terminalreporter: Any) -> None:
    from bench.test_bench import ROWS

    lines = ["", "e-Rozgar benchmarks (one run; ratios are large case / small case)", "=" * 66]
    for name, result in ROWS:
        lines += [name, f"    {result}"]
    for line in lines:
        terminalreporter.write_line(line)
    Path("var").mkdir(exist_ok=True)
    Path("var/bench-results.txt").write_text("\n".join(lines) + "\n")
