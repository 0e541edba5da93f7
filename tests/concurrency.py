"""Race tests: run the same thing in several threads at the same instant; wait for async work."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from django.db import connection

T = TypeVar("T")
R = TypeVar("R")


def run_at_once(fn: Callable[[T], R], args: Sequence[T], *, timeout: float = 60) -> list[R]:
    """Call ``fn(arg)`` for every arg, each in its own thread, all released by one barrier.

    Results come back in the order of ``args``; an exception in any thread is raised here.
    Each thread closes its own database connection, so none is left open after the test.
    """
    barrier = threading.Barrier(len(args))

    def call(arg: T) -> R:
        try:
            barrier.wait(timeout=timeout)
            return fn(arg)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(args)) as pool:
        return list(pool.map(call, args, timeout=timeout))


def wait_until(
    condition: Callable[[], Any], *, timeout: float = 15.0, interval: float = 0.1, what: str = ""
) -> Any:
    """Poll ``condition`` until it is truthy (something asynchronous, a worker or a process, did its
    part) and return it; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"not within {timeout} s{': ' + what if what else ''}")
