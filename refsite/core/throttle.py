"""The one rate limiter: fixed-window limits kept in the ``default`` cache.

Sign-in, sign-up, password reset, suggestions, ``/status/`` and the JSON API
all count here.

With Redis as the cache, a limit that trips in one app process holds in every
other, which is what stops password guessing across a load balancer. Keys are
hashed, so no e-mail address or user name sits in the cache in clear text. If
the cache is unreachable, limits fail open (the request goes on) rather than
taking sign-in down with them.
"""

import hashlib
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    scope: str
    limit: int
    window: int  # seconds

    def _key(self, who: str) -> tuple[str, int]:
        now = time.time()
        bucket = int(now // self.window)
        digest = hashlib.sha256(who.strip().lower().encode()).hexdigest()[:32]
        retry_after = int(self.window - now % self.window) + 1
        return f"throttle:{self.scope}:{digest}:{bucket}", retry_after

    def blocked(self, who: str) -> int | None:
        """Seconds to wait if ``who`` has used up this window, else None."""
        key, retry_after = self._key(who)
        try:
            count = cache.get(key, 0)
        except Exception:  # the cache is down: fail open, but say so
            logger.warning("rate limit %s not checked: cache unavailable", self.scope)
            return None
        return retry_after if count >= self.limit else None

    def hit(self, who: str) -> None:
        key, _ = self._key(who)
        try:
            cache.add(key, 0, self.window + 5)
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, self.window + 5)
        except Exception:
            logger.warning("rate limit %s not counted: cache unavailable", self.scope)

    def reset(self, who: str) -> None:
        key, _ = self._key(who)
        try:
            cache.delete(key)
        except Exception:
            logger.warning("rate limit %s not reset: cache unavailable", self.scope)


LOGIN_PER_ACCOUNT = Limit("login-account", limit=5, window=15 * 60)
LOGIN_PER_ADDRESS = Limit("login-address", limit=20, window=15 * 60)
RESET_PER_ACCOUNT = Limit("reset-account", limit=3, window=60 * 60)
RESET_PER_ADDRESS = Limit("reset-address", limit=10, window=60 * 60)
SIGNUP_PER_ADDRESS = Limit("signup-address", limit=5, window=60 * 60)
SUGGEST_PER_USER = Limit("suggest-user", limit=10, window=60 * 60)
SUGGEST_PER_ADDRESS = Limit("suggest-address", limit=30, window=60 * 60)
# /status/ answers test clients; each address may call it once a second on average.
STATUS_PER_ADDRESS = Limit("status-address", limit=60, window=60)


def api_per_address() -> Limit:
    """The JSON API's limit per address: ``API_RATE_LIMIT`` requests a minute."""
    return Limit("api-address", limit=settings.API_RATE_LIMIT, window=60)


def first_blocked(*checks: tuple[Limit, str]) -> int | None:
    """Seconds to wait under the first of several limits that is used up, else None."""
    for limit, who in checks:
        if wait := limit.blocked(who):
            return wait
    return None


def count(*checks: tuple[Limit, str]) -> None:
    """Count one attempt against each of several limits."""
    for limit, who in checks:
        limit.hit(who)


def check(*checks: tuple[Limit, str]) -> int | None:
    """Seconds to wait if any limit is used up; otherwise count this attempt and return None.

    For the limits that count every attempt (sign-up, reset, ``/status/``); the
    ones that count only failures (login) or successes (suggestions) call
    ``first_blocked`` and ``count`` at those points instead.
    """
    wait = first_blocked(*checks)
    if wait is None:
        count(*checks)
    return wait


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def too_many(request, retry_after: int, what: str):
    """The 429 page: says what was limited and when to try again."""
    minutes = max(1, round(retry_after / 60))
    response = render(
        request,
        "429.html",
        {"what": what, "retry_after": retry_after, "minutes": minutes},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response
