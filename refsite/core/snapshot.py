"""A read model built once per content version and shared by every thread of a process.

Pages read from in-memory snapshots (the catalogue, the guides) rather than
from the database. A ``Snapshot`` holds the current one in a module-level
holder; when the content version moves on (or the snapshot's own
``expires_at`` passes, for a guide scheduled to go live) the next reader builds
a new one under a lock and swaps it in with a single assignment. Readers never
see a half-built snapshot, and gthread workers and runserver threads share one
copy instead of each building their own.
"""

import threading
from collections.abc import Callable

from django.utils import timezone

from refsite.core import content_version


class Snapshot[T]:
    def __init__(self, build: Callable[[str], T]):
        self._build = build
        self._lock = threading.Lock()
        # (version, value), replaced in one assignment so readers never mix two.
        self._current: tuple[str, T] | None = None

    @staticmethod
    def _fresh(current, version: str) -> bool:
        if current is None or current[0] != version:
            return False
        expires_at = getattr(current[1], "expires_at", None)
        return expires_at is None or timezone.now() < expires_at

    def get(self) -> T:
        """The snapshot for the current content version, built if need be."""
        version = content_version.current().token
        current = self._current
        if not self._fresh(current, version):
            with self._lock:
                current = self._current
                if not self._fresh(current, version):
                    current = (version, self._build(version))
                    self._current = current
        return current[1]

    def clear(self) -> None:
        """Forget the snapshot, so the next reader builds a new one."""
        self._current = None
