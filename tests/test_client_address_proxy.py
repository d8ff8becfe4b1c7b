"""Through the shipped nginx config and gunicorn: limits count each client, not nginx.

Clients connect from different loopback addresses (127.0.0.2, 127.0.0.3), so
nginx sees two peers and appends each to X-Forwarded-For, as it would for two
people on the internet. Both servers bind 127.0.0.1 on free ports and stop at
the end.
"""

import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from codes.management.commands.benchmark import Command as Benchmark
from refsite.core.throttle import LOGIN_PER_ADDRESS
from tests.servers import free_port, manage

pytestmark = pytest.mark.slow  # gunicorn and nginx in subprocesses

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "proxy-Hops-pass-42"


class Visitor:
    """An HTTP client with cookies that connects from a chosen loopback address."""

    def __init__(self, port: int, source: str, forwarded: str | None = None):
        self.port, self.source, self.forwarded = port, source, forwarded
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str = "") -> tuple[int, str]:
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=20, source_address=(self.source, 0)
        )
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if self.forwarded:
            headers["X-Forwarded-For"] = self.forwarded  # what a client may write itself
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body or None, headers=headers)
            response = connection.getresponse()
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name] = rest.split(";")[0]
            return response.status, response.read().decode()
        finally:
            connection.close()

    def login(self, username: str, password: str) -> int:
        _, html = self.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        form = f"csrfmiddlewaretoken={token}&username={username}&password={password}"
        return self.request("POST", "/accounts/login/", form)[0]


def _wait(process, port):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited: {process.stderr.read().decode()[-2000:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"nothing healthy on port {port}")


def _stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture(scope="module")
def proxied_site(tmp_path_factory):
    """gunicorn with TRUSTED_PROXY_HOPS=1 behind nginx running docs/nginx/refsite.conf."""
    if not shutil.which("nginx"):
        if os.environ.get("CI"):
            pytest.fail("nginx is not installed (apt-get install nginx-light)")
        pytest.skip("nginx is not installed (apt-get install nginx-light)")
    work = tmp_path_factory.mktemp("proxy")
    app, proxy, static = free_port(), free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        {
            "DEBUG": "true",  # plain-HTTP cookies on loopback
            "SECRET_KEY": "proxy-" + uuid.uuid4().hex,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"sqlite:///{work / 'site.sqlite3'}",
            "GUNICORN_BIND": f"127.0.0.1:{app}",
            "GUNICORN_WORKERS": "1",  # one process: its memory cache holds the counts
            "GUNICORN_ACCESS_LOG": str(work / "access.log"),
            "TRUSTED_PROXY_HOPS": "1",
            "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
        }
    )
    manage(env, "migrate", "-v0")
    manage(env, "createsuperuser", "--noinput", "--username", "victim", "--email", "v@x.org")
    config = Benchmark._nginx_config(
        work, f"127.0.0.1:{app}", f"127.0.0.1:{proxy}", f"127.0.0.1:{static}", work
    )
    servers = []
    try:
        for command in (
            [sys.executable, "-m", "gunicorn", "-c", "refsite/gunicorn.conf.py", "refsite.wsgi"],
            ["nginx", "-p", str(work), "-c", str(config), "-g", "daemon off;"],
        ):
            servers.append(
                subprocess.Popen(
                    command,
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                    start_new_session=True,
                )
            )
        _wait(servers[0], app)
        _wait(servers[1], proxy)
        yield proxy
    finally:
        for process in servers:
            _stop(process)


def _clear_of_a_window_edge(window: int, margin: float = 60) -> None:
    """Limits count in fixed windows; start a scenario where none ends in the next minute."""
    left = window - time.time() % window
    if left < margin:
        time.sleep(left + 1)


def test_one_clients_bad_logins_through_nginx_do_not_lock_out_another(proxied_site):
    _clear_of_a_window_edge(LOGIN_PER_ADDRESS.window)
    attacker = Visitor(proxied_site, "127.0.0.2", forwarded="198.51.100.1")
    for n in range(20):
        assert attacker.login(f"guess{n}", "wrong") == 422, n
    assert attacker.login("guess", "wrong") == 429
    # A new address written into the header is not a new client: nginx appends the real one.
    attacker.forwarded = "203.0.113.99"
    assert attacker.login("guess", "wrong") == 429
    assert Visitor(proxied_site, "127.0.0.3").login("victim", PASSWORD) == 303
