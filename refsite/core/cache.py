"""A Redis cache that degrades to "no cache" instead of failing requests.

When Redis is unreachable, every read is a miss and every write is dropped,
with a warning in the log; pages are slower, never broken. Connection attempts
time out quickly so a dead Redis cannot hang a worker.
"""

import logging

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

try:  # redis-py's error classes; ConnectionError/TimeoutError cover a dead server
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover - redis is a pinned dependency
    RedisError = OSError

FAILURES = (RedisError, ConnectionError, TimeoutError, OSError)


class ResilientRedisCache(RedisCache):
    def _guard(self, name, default, *args, **kwargs):
        try:
            return getattr(super(), name)(*args, **kwargs)
        except FAILURES as error:
            logger.warning("cache %s failed, carrying on without cache: %s", name, error)
            return default

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
        try:
            return super().incr(key, delta, version)
        except ValueError:
            raise  # a missing key is the caller's business, as with every backend
        except FAILURES as error:
            logger.warning("cache incr failed, carrying on without cache: %s", error)
            return delta

    def clear(self):
        return self._guard("clear", None)
