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

import logging
import time
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


class ResilientRedisCacheClient(RedisCacheClient):
    def get(self, key: Any, default: Any) -> Any:
        try:
            return super().get(key, default)
        except _OUTAGE as exc:
            _outage("get", exc)
            return default

    def get_many(self, keys: Any) -> Any:
        try:
            return super().get_many(keys)
        except _OUTAGE as exc:
            _outage("get_many", exc)
            return {}

    def has_key(self, key: Any) -> bool:
        try:
            return bool(super().has_key(key))
        except _OUTAGE as exc:
            _outage("has_key", exc)
            return False

    def add(self, key: Any, value: Any, timeout: Any) -> bool:
        try:
            return bool(super().add(key, value, timeout))
        except _OUTAGE as exc:
            _outage("add", exc)
            return False

    def set(self, key: Any, value: Any, timeout: Any) -> None:
        try:
            super().set(key, value, timeout)
        except _OUTAGE as exc:
            _outage("set", exc)

    def set_many(self, data: Any, timeout: Any) -> None:
        try:
            super().set_many(data, timeout)
        except _OUTAGE as exc:
            _outage("set_many", exc)

    def touch(self, key: Any, timeout: Any) -> bool:
        try:
            return bool(super().touch(key, timeout))
        except _OUTAGE as exc:
            _outage("touch", exc)
            return False

    def delete(self, key: Any) -> bool:
        try:
            return bool(super().delete(key))
        except _OUTAGE as exc:
            _outage("delete", exc)
            return False

    def delete_many(self, keys: Any) -> None:
        try:
            super().delete_many(keys)
        except _OUTAGE as exc:
            _outage("delete_many", exc)


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient
