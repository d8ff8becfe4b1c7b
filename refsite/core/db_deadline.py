"""A client-side deadline on PostgreSQL waits: the one hang no server setting ends.

``statement_timeout`` ends a slow query on the server, and TCP keepalives and
``tcp_user_timeout`` end a connection to a host that stopped answering at the
network level (settings.py sets all three). None of them ends the wait when
the other end's kernel still ACKs every byte but PostgreSQL never answers: a
stopped server process, a hung pooler or proxy. psycopg then waits for ever,
until gunicorn kills the whole worker after its timeout and the client gets no
answer at all.

So one watchdog thread per process looks at the connection of every request
in flight a few times a second. A connection that has been busy with one
command (libpq's ``PQTRANS_ACTIVE``) for longer than ``DB_WAIT_DEADLINE``
seconds gets its socket shut down; psycopg raises OperationalError, and the
site answers its usual 503 with Retry-After. ``DB_WAIT_DEADLINE`` is longer
than ``statement_timeout``, so a merely slow query is cancelled cleanly by the
server first. Only requests are watched; management commands are not.
"""

import os
import socket
import threading
import time

from django.conf import settings
from django.db import connections

TICK_SECONDS = 0.25
ACTIVE = 1  # libpq's PQTRANS_ACTIVE: a command was sent and its result has not come


class Watchdog:
    """Shuts down the socket of any watched connection stuck on one command too long."""

    def __init__(self, deadline: float):
        self.deadline = deadline
        self._watched: dict[int, list] = {}  # thread id -> [connection wrapper, busy since]
        self._lock = threading.Lock()
        self._pid = None

    def watch(self, wrapper) -> int:
        self._ensure_running()
        ident = threading.get_ident()
        with self._lock:
            self._watched[ident] = [wrapper, None]
        return ident

    def unwatch(self, ident: int) -> None:
        with self._lock:
            self._watched.pop(ident, None)

    def _ensure_running(self) -> None:
        if self._pid == os.getpid():
            return
        with self._lock:  # first request of this process (threads do not survive a fork)
            if self._pid != os.getpid():
                self._pid = os.getpid()
                threading.Thread(target=self._run, name="db-deadline", daemon=True).start()

    def _run(self) -> None:
        while True:
            time.sleep(TICK_SECONDS)
            with self._lock:
                self.check(time.monotonic())

    def check(self, now: float) -> None:
        """One look at every watched connection (the caller holds the lock)."""
        for entry in self._watched.values():
            wrapper, busy_since = entry
            pgconn = getattr(wrapper.connection, "pgconn", None)
            if pgconn is None or pgconn.transaction_status != ACTIVE:
                entry[1] = None
            elif busy_since is None:
                entry[1] = now
            elif now - busy_since > self.deadline:
                entry[1] = None
                _shut_down(pgconn)


def _shut_down(pgconn) -> None:
    """End the connection under psycopg's feet: its wait wakes up with an error."""
    try:
        sock = socket.socket(fileno=os.dup(pgconn.socket))
    except Exception:  # closed meanwhile: nothing left to end
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        sock.close()


def database_deadline_middleware(get_response):
    """Watch this request's PostgreSQL connection; anything else passes untouched."""
    deadline = settings.DB_WAIT_DEADLINE
    if connections["default"].vendor != "postgresql" or deadline <= 0:
        return get_response
    watchdog = Watchdog(deadline)

    def middleware(request):
        ident = watchdog.watch(connections["default"])
        try:
            return get_response(request)
        finally:
            watchdog.unwatch(ident)

    return middleware
