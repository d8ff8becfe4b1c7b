"""The one rate limiter: fixed-window counters in the database.

Sign-in, sign-up, password reset, suggestions, ``/status/`` and the JSON API
all count here.

The counters are rows (``refsite.core.models.Counter``) in the database that
already holds the content version, so a limit that trips in one process holds
in every other on every deployment: several gunicorn workers on the embedded
SQLite file as much as app servers behind a load balancer. They are not in a
cache: per-process memory would count per worker, and Redis under a memory cap
evicts counters to make room for pages. Counting is one atomic upsert that
returns the new count, and the decision is made on that number, so callers
arriving together cannot all pass the same check. A caller already over a
limit is refused after one read, without a write. Keys are hashed, so no
e-mail address or user name is stored in clear text. Rows of past windows are
deleted by a later write (at most once a minute per process). If the database
fails (down, or "database is locked" on SQLite), limits fail open (the request
goes on) with one warning, rather than taking sign-in down with them.
"""

import hashlib
import ipaddress
import logging
import time
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.shortcuts import render

from refsite.core.models import Counter

logger = logging.getLogger(__name__)

_TABLE = connection.ops.quote_name(Counter._meta.db_table)
# One statement on SQLite (3.35+) and PostgreSQL alike: insert at 1 or add 1, and say to what.
_INCREMENT = (
    f'INSERT INTO {_TABLE} ("key", "count", "expires_at") VALUES (%s, 1, %s) '
    f'ON CONFLICT ("key") DO UPDATE SET "count" = {_TABLE}."count" + 1 '
    'RETURNING "count"'
)
PRUNE_EVERY = 60  # seconds between one process's deletions of expired rows
_next_prune = 0.0


class _Unavailable(Exception):
    """The store failed; the public function that met it fails open."""


def _store():
    """A savepoint inside a caller's transaction, so a failure cannot break it."""
    return transaction.atomic() if connection.in_atomic_block else nullcontext()


def _increment(key: str, expires_at: float) -> int:
    """Add one to ``key``'s count in a single statement and return the new count."""
    expires = Counter._meta.get_field("expires_at").get_db_prep_value(
        datetime.fromtimestamp(expires_at, UTC), connection
    )
    try:
        with _store(), connection.cursor() as cursor:
            cursor.execute(_INCREMENT, [key, expires])
            new_count = cursor.fetchone()[0]
    except DatabaseError as error:
        raise _Unavailable(error) from error
    _prune()
    return new_count


def _prune() -> None:
    """Delete the rows of windows that have ended, at most once a minute per process."""
    global _next_prune
    now = time.time()
    if now < _next_prune:
        return
    _next_prune = now + PRUNE_EVERY
    try:
        with _store():
            Counter.objects.filter(expires_at__lt=datetime.fromtimestamp(now, UTC)).delete()
    except DatabaseError as error:  # the count stands; the next prune will catch up
        logger.warning("expired rate-limit counters not deleted: %s", error)


def _read(key: str) -> int:
    try:
        with _store():
            return Counter.objects.filter(key=key).values_list("count", flat=True).first() or 0
    except DatabaseError as error:
        raise _Unavailable(error) from error


def _fail_open(action: str, error: _Unavailable) -> None:
    logger.warning("rate limits not %s, failing open: database unavailable: %s", action, error)


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

    def _wait(self, who: str) -> int | None:
        key, retry_after = self._key(who)
        return retry_after if _read(key) >= self.limit else None

    def _hit(self, who: str) -> int | None:
        """Count one attempt; seconds to wait if that went over the limit, else None."""
        key, retry_after = self._key(who)
        expires_at = time.time() + retry_after  # just after this window ends
        return retry_after if _increment(key, expires_at) > self.limit else None

    def _give_back(self, who: str) -> None:
        key, _ = self._key(who)
        try:
            with _store():
                Counter.objects.filter(key=key, count__gt=0).update(count=F("count") - 1)
        except DatabaseError as error:
            raise _Unavailable(error) from error

    def blocked(self, who: str) -> int | None:
        """Seconds to wait if ``who`` has used up this window, else None."""
        try:
            return self._wait(who)
        except _Unavailable as error:
            _fail_open("checked", error)
            return None

    def hit(self, who: str) -> int | None:
        """Count one attempt; seconds to wait if it went over the limit, else None."""
        try:
            return self._hit(who)
        except _Unavailable as error:
            _fail_open("counted", error)
            return None

    def reset(self, who: str) -> None:
        key, _ = self._key(who)
        try:
            with _store():
                Counter.objects.filter(key=key).delete()
        except DatabaseError as error:
            _fail_open("reset", _Unavailable(error))


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


def _first_blocked(checks) -> int | None:
    for limit, who in checks:
        if wait := limit._wait(who):
            return wait
    return None


def _count(checks) -> int | None:
    counted = []
    for limit, who in checks:
        if wait := limit._hit(who):
            for earlier, earlier_who in counted:
                earlier._give_back(earlier_who)
            return wait
        counted.append((limit, who))
    return None


def first_blocked(*checks: tuple[Limit, str]) -> int | None:
    """Seconds to wait under the first of several limits that is used up, else None.

    Only a read: the cheap early refusal. What decides is ``count``.
    """
    try:
        return _first_blocked(checks)
    except _Unavailable as error:
        _fail_open("checked", error)
        return None


def count(*checks: tuple[Limit, str]) -> int | None:
    """Count one attempt against each limit: seconds to wait if that went over any, else None.

    The count is atomic, so the answer holds however many callers count at
    once. An attempt refused here is given back to the limits it did not
    exceed, so a refusal counts nowhere else.
    """
    try:
        return _count(checks)
    except _Unavailable as error:
        _fail_open("counted", error)
        return None


def give_back(*checks: tuple[Limit, str]) -> None:
    """Uncount one attempt that turned out not to count (a login that succeeded)."""
    try:
        for limit, who in checks:
            limit._give_back(who)
    except _Unavailable as error:
        _fail_open("given back", error)


def check(*checks: tuple[Limit, str]) -> int | None:
    """Seconds to wait if any limit is used up; otherwise count this attempt and return None.

    Read first, so a caller already over a limit costs no write; then count
    and decide on the count the database returned. Login calls this before it
    checks the password and gives the attempt back when the password was
    right; suggestions call ``first_blocked``, then ``count`` once the form is
    valid, so only sent ones count.
    """
    try:
        return _first_blocked(checks) or _count(checks)
    except _Unavailable as error:
        _fail_open("checked", error)
        return None


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
