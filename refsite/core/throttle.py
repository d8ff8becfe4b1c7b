"""The one rate limiter: fixed-window limits kept in the ``default`` cache.

Sign-in, sign-up, password reset, suggestions and ``/status/`` all count here.

With Redis as the cache, a limit that trips in one app process holds in every
other, which is what stops password guessing across a load balancer. Keys are
hashed, so no e-mail address or user name sits in the cache in clear text. If
the cache is unreachable, limits fail open (the request goes on) rather than
taking sign-in down with them.
"""

import hashlib
import ipaddress
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


def normal_address(text: str) -> str | None:
    """One spelling per client, or None if ``text`` is not an IP address.

    Drops a port and brackets, turns IPv4-mapped IPv6 into IPv4, and counts IPv6
    per /64: one client usually holds a whole /64 and could rotate through it.
    """
    text = text.strip()
    if text.startswith("["):  # [2001:db8::1]:443
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:  # 203.0.113.7:50123
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if address.version == 6:
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address.exploded}/64", strict=False))
    return str(address)


def client_address(request) -> str:
    """The address per-address limits count: the client, as the outermost trusted proxy saw it.

    With ``TRUSTED_PROXY_HOPS = 0`` (the default) it is the TCP peer, and
    ``X-Forwarded-For`` is ignored: a client cannot choose its own address. With N
    proxies in front, each appending the peer it saw, the Nth entry from the right
    is the one the outermost proxy wrote. Anything the proxies did not write for
    certain (a header with fewer than N entries, an entry that is not an address)
    falls back to the peer: a shared count is safe, a client-chosen one is not.
    """
    peer = normal_address(request.META.get("REMOTE_ADDR", "")) or "unknown"
    hops = settings.TRUSTED_PROXY_HOPS
    if hops <= 0:
        return peer
    # Split only the last N entries off: a huge header costs no more than a short one.
    entries = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", hops)
    if len(entries) < hops:
        return peer
    return normal_address(entries[-hops]) or peer


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
