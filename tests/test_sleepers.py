"""Sleepers cannot take the site down (issue 14, point 2), with real servers.

A ``/status/…?sleep=`` request holds one thread of a bounded pool. Here, small
numbers: one gunicorn worker with 3 threads and 1 sleeping slot (and runserver,
one thread per request, with 1 slot). One sleeper holds the slot; a second is
refused with 503 and Retry-After at once, and a code page answers at once while
the first still sleeps. Servers bind 127.0.0.1 on a free port and are stopped
at the end.
"""

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.servers import free_port, manage

pytestmark = pytest.mark.slow  # manage.py and the servers run in subprocesses

ROOT = Path(__file__).resolve().parent.parent
SLEEP_MS = 4000


def _get(url: str, timeout: float = 20) -> tuple[int, dict, float]:
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            status, headers = response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        error.read()
        status, headers = error.code, dict(error.headers)
    return status, headers, time.perf_counter() - start


@pytest.fixture(scope="module")
def site_env(tmp_path_factory):
    """A migrated SQLite database with the catalogue, and settings for a server on it."""
    database = tmp_path_factory.mktemp("db") / "site.sqlite3"
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
        "DATABASE_URL": f"sqlite:///{database}",
        "DEBUG": "true",  # no collectstatic needed; the endpoint and pages are the same
        "ALLOWED_HOSTS": "127.0.0.1",
        "GUNICORN_ACCESS_LOG": str(tmp_path_factory.mktemp("logs") / "access.log"),
    }
    manage(env, "migrate", "-v0")
    manage(env, "loaddata", "catalogue", "guides", "-v0")
    return env


SERVERS = {
    "gunicorn": (
        ["-m", "gunicorn", "-c", "refsite/gunicorn.conf.py", "refsite.wsgi"],
        {"GUNICORN_WORKERS": "1", "GUNICORN_THREADS": "3", "STATUS_SLEEPERS": "1"},
    ),
    "runserver": (
        ["manage.py", "runserver", "--noreload", "--skip-checks"],
        {"STATUS_SLEEPERS": "1"},
    ),
}


@pytest.fixture(params=list(SERVERS))
def server(request, site_env):
    arguments, overrides = SERVERS[request.param]
    port = free_port()
    if request.param == "runserver":
        arguments = [*arguments, f"127.0.0.1:{port}"]
    process = subprocess.Popen(
        [sys.executable, *arguments],
        cwd=ROOT,
        env={**site_env, **overrides, "GUNICORN_BIND": f"127.0.0.1:{port}"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise AssertionError(process.stderr.read().decode()[-2000:])
            try:
                _get(base + "/404/", timeout=10)  # also builds the catalogue
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_a_second_sleeper_gets_a_quick_503_and_pages_answer_meanwhile(server):
    first = {}

    def sleeper():
        first["result"] = _get(f"{server}/status/200/?sleep={SLEEP_MS}")

    holder = threading.Thread(target=sleeper)
    started = time.perf_counter()
    holder.start()
    time.sleep(1)  # the first sleeper is in its slot

    status, headers, seconds = _get(f"{server}/status/200/?sleep={SLEEP_MS}")
    assert status == 503
    assert headers["Retry-After"] == "10" and headers["Cache-Control"] == "no-store"
    assert seconds < 1, seconds  # refused without sleeping

    for path in ("/404/", "/", "/status/204/", "/api/codes/429/"):
        status, _, seconds = _get(server + path)
        assert status in (200, 204), (path, status)
        assert seconds < 1, (path, seconds)
    assert holder.is_alive()  # all of that while the first one slept

    holder.join(SLEEP_MS / 1000 + 10)
    status, _, seconds = first["result"]
    assert status == 200 and seconds >= SLEEP_MS / 1000
    assert time.perf_counter() - started < SLEEP_MS / 1000 + 5
    # The slot is free again.
    assert _get(f"{server}/status/200/?sleep=10")[0] == 200
