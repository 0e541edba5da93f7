"""The Redis cache, made so that a Redis outage is a cache miss, never a 500.

Every request can touch the cache (sessions are ``cached_db``, allauth's and DRF's rate
limits live there). When Redis is down or slow (short socket timeouts in settings):

* reads answer "not cached" (``get`` returns the default): sessions fall back to the
  database, DRF's token throttle lets the request through;
* writes are dropped (the session is still written to the database);
* ``add`` answers False ("someone else has it"): nothing that uses the cache as a lock is
  ever told it holds one it does not. allauth's rate-limited actions (log in, sign up,
  password reset) therefore refuse with "too many attempts" until Redis is back: they fail
  closed rather than lose their brute-force protection.

Each failure is logged (at most once every 10 seconds per process, so an outage does not
flood the log).
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

_OUTAGE = (RedisConnectionError, RedisTimeoutError, OSError)
_LOG_EVERY = 10.0
_last_logged = 0.0


def _outage(operation: str, exc: Exception) -> None:
    global _last_logged
    now = time.monotonic()
    if now - _last_logged >= _LOG_EVERY:
        _last_logged = now
        logger.warning(
            "cache unavailable (%s: %s: %s); carrying on without it", operation, type(exc).__name__, exc
        )


def _soft(name: str, fallback: Callable[[tuple[Any, ...]], Any]) -> Callable[..., Any]:
    """``RedisCacheClient.<name>``, answering ``fallback(args)`` when Redis does not answer."""
    method = getattr(RedisCacheClient, name)

    @functools.wraps(method)
    def call(self: RedisCacheClient, *args: Any) -> Any:
        try:
            return method(self, *args)
        except _OUTAGE as exc:
            _outage(name, exc)
            return fallback(args)

    return call


class ResilientRedisCacheClient(RedisCacheClient):
    get = _soft("get", lambda args: args[1])  # the caller's default: a miss
    get_many = _soft("get_many", lambda args: {})
    has_key = _soft("has_key", lambda args: False)
    add = _soft("add", lambda args: False)  # never "you hold it"
    set = _soft("set", lambda args: None)
    set_many = _soft("set_many", lambda args: [])
    touch = _soft("touch", lambda args: False)
    delete = _soft("delete", lambda args: False)
    delete_many = _soft("delete_many", lambda args: None)


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient
