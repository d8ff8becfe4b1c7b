"""A Redis cache that degrades to "no cache" instead of failing or stalling requests.

When Redis fails (refused, reset, or silent past the socket timeout), the
failing call is a miss or a dropped write, and a circuit breaker opens: for the
next ``breaker_seconds`` no call goes to Redis at all, so a hung Redis costs one
request one timeout rather than every call of every request. After that one
call is let through as a probe; success closes the breaker. The breaker is
shared by every thread and alias of a process that use the same server, and
logs one warning when it opens and one info line when it closes: one pair per
outage, not a line per call.
"""

import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

try:  # redis-py's error classes; ConnectionError/TimeoutError cover a dead server
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover - redis is a pinned dependency
    RedisError = OSError

FAILURES = (RedisError, ConnectionError, TimeoutError, OSError)
DEFAULT_BREAKER_SECONDS = 5.0


class Breaker:
    """Open after a failure: skip the server until ``retry_at``, then let one call probe."""

    def __init__(self, name: str, seconds: float):
        self.name = name
        self.seconds = seconds
        self.opened_at: float | None = None
        self.retry_at = 0.0
        self._lock = threading.Lock()

    def allow(self) -> bool:
        """Closed, or open and due for a probe (this caller gets it; others keep skipping)."""
        if self.opened_at is None:
            return True
        now = time.monotonic()
        with self._lock:
            if now < self.retry_at:
                return False
            self.retry_at = now + self.seconds
            return True

    def failed(self, error: Exception) -> None:
        now = time.monotonic()
        with self._lock:
            self.retry_at = now + self.seconds
            if self.opened_at is not None:
                return
            self.opened_at = now
        logger.warning(
            "cache %s unavailable, carrying on without it for %g s at a time: %s",
            self.name,
            self.seconds,
            error,
        )

    def succeeded(self) -> None:
        if self.opened_at is None:
            return
        with self._lock:
            opened_at, self.opened_at = self.opened_at, None
        if opened_at is not None:
            logger.info("cache %s is back after %.1f s", self.name, time.monotonic() - opened_at)


_breakers: dict[tuple, Breaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(servers, seconds: float) -> Breaker:
    """One breaker per Redis server and process: both aliases share an outage."""
    key = (tuple(servers), seconds)
    with _breakers_lock:
        if key not in _breakers:
            _breakers[key] = Breaker(",".join(servers), seconds)
        return _breakers[key]


class ResilientRedisCache(RedisCache):
    """Django's RedisCache with a circuit breaker: a Redis outage means "no cache".

    ``OPTIONS["breaker_seconds"]`` (the ``CACHE_BREAKER_SECONDS`` setting) is how
    long Redis is skipped after a failure; every other option goes to redis-py's
    connection pool, as with Django's backend.
    """

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        seconds = float(options.pop("breaker_seconds", DEFAULT_BREAKER_SECONDS))
        super().__init__(server, {**params, "OPTIONS": options})
        self.breaker = breaker_for(self._servers, seconds)

    def _guard(self, name, default, *args, **kwargs):
        if not self.breaker.allow():
            return default
        try:
            result = getattr(super(), name)(*args, **kwargs)
        except FAILURES as error:
            self.breaker.failed(error)
            return default
        self.breaker.succeeded()
        return result

    def get(self, *args, **kwargs):
        default = kwargs.get("default", args[1] if len(args) > 1 else None)
        return self._guard("get", default, *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._guard("get_many", {}, *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._guard("has_key", False, *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._guard("set", None, *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._guard("set_many", [], *args, **kwargs)

    def add(self, *args, **kwargs):
        return self._guard("add", False, *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._guard("touch", False, *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._guard("delete", False, *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._guard("delete_many", None, *args, **kwargs)

    def incr(self, key, delta=1, version=None):
        if not self.breaker.allow():
            return delta
        try:
            result = super().incr(key, delta, version)
        except ValueError:
            self.breaker.succeeded()  # Redis answered: the key is missing
            raise  # a missing key is the caller's business, as with every backend
        except FAILURES as error:
            self.breaker.failed(error)
            return delta
        self.breaker.succeeded()
        return result

    def clear(self):
        return self._guard("clear", None)
