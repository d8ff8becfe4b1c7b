"""Scale-out: two gunicorn instances sharing one PostgreSQL database and one Redis.

An edit made through instance A is served by instance B on its next request,
and a sign-in throttle tripped through A holds on B. The embedded default (one
SQLite file, no Redis, three workers per instance) is checked the same way: the
content version and the rate-limit counters live in the database, so every
worker of every instance sees an edit at once and counts against the same
limits. Both servers bind to 127.0.0.1 only and are stopped at the end. Needs
PostgreSQL and Redis on 127.0.0.1 (they run on the CI machines); without them
the test is skipped locally and fails in CI.
"""

import http.cookiejar
import os
import random
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.servers import free_port, manage

pytestmark = pytest.mark.slow  # gunicorn and manage.py in subprocesses

ROOT = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/13"
PASSWORD = "scale-Out-pass-42"


def _services_available() -> str | None:
    try:
        import psycopg

        psycopg.connect(f"{PG}/postgres", connect_timeout=2).close()
    except Exception as error:
        return f"PostgreSQL on 127.0.0.1:5432 is not available: {error}"
    try:
        import redis

        redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
    except Exception as error:
        return f"Redis on 127.0.0.1:6379 is not available: {error}"
    return None


class Browserish:
    """A tiny HTTP client with cookies, that never follows redirects."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, dict, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)
        if data is not None:
            request.add_header("Referer", self.base + path)
        try:
            with self.opener.open(request, timeout=20) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def csrf(self, path: str) -> str:
        _, _, html = self.request(path)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    def post_form(self, path: str, fields: dict) -> tuple[int, dict, str]:
        return self.request(path, {"csrfmiddlewaretoken": self.csrf(path), **fields})


def _start(env: dict) -> "Cluster":
    """Migrate and seed the database, then start two gunicorn instances on it."""
    manage(env, "migrate", "-v0")
    manage(env, "loaddata", "catalogue", "guides", "choosing", "-v0")
    manage(env, "createsuperuser", "--noinput", "--username", "chief", "--email", "c@x.org")
    servers = []
    for _ in range(2):
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "refsite/gunicorn.conf.py", "refsite.wsgi"],
            cwd=ROOT,
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        servers.append((process, f"http://127.0.0.1:{port}"))
    cluster = Cluster(servers, env)
    for process, base in servers:
        _wait_healthy(process, base)
    return cluster


def _base_env(tmp_path_factory) -> dict:
    return {
        **os.environ,
        "DEBUG": "true",  # plain-HTTP cookies on loopback; everything else as in production
        "SECRET_KEY": "scale-out-" + uuid.uuid4().hex,
        "ALLOWED_HOSTS": "127.0.0.1",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_ACCESS_LOG": str(tmp_path_factory.mktemp("logs") / "access.log"),
        "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
    }


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """The scale-out path: PostgreSQL and Redis shared by both instances."""
    reason = _services_available()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    import psycopg

    database = f"refsite_scaleout_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{database}"')
    env = {
        **_base_env(tmp_path_factory),
        "DATABASE_URL": f"{PG}/{database}",
        "REDIS_URL": REDIS,
        "CACHE_KEY_PREFIX": database,
    }
    started = Cluster([], env)
    try:
        started = _start(env)
        yield started
    finally:
        started.stop()
        import redis

        client = redis.Redis.from_url(REDIS)
        for key in client.scan_iter(f"{database}:*"):
            client.delete(key)
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


@pytest.fixture(scope="module")
def embedded(tmp_path_factory):
    """The embedded default: one SQLite file, no Redis, each worker its own memory cache."""
    env = {
        **_base_env(tmp_path_factory),
        "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('db') / 'site.sqlite3'}",
        "GUNICORN_WORKERS": "3",  # several sync workers per instance, six on one file
    }
    env.pop("REDIS_URL", None)
    started = Cluster([], env)
    try:
        started = _start(env)
        yield started
    finally:
        started.stop()


class Cluster:
    def __init__(self, servers, env):
        self.servers = servers
        self.env = env
        self.bases = [base for _, base in servers]

    def __getitem__(self, index):
        return self.bases[index]

    def stop(self) -> list[int]:
        """SIGTERM both (gunicorn's graceful stop) and return their exit codes."""
        for process, _ in self.servers:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process, _ in self.servers:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        return [process.returncode for process, _ in self.servers]


def _wait_healthy(process, base):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited: {process.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{base} did not become healthy")


def test_an_edit_through_a_is_served_by_b_at_once(cluster):
    a, b = Browserish(cluster[0]), Browserish(cluster[1])
    status, _, before = b.request("/404/")
    assert status == 200
    b.request("/404/")  # now in B's page cache, in the shared Redis
    new_summary = f"Edited through instance A ({uuid.uuid4().hex[:6]})."
    assert new_summary not in before

    status, headers, _ = a.post_form(
        "/accounts/login/", {"username": "chief", "password": PASSWORD}
    )
    assert status == 303, status
    status, _, _ = a.post_form(
        "/accounts/suggest/code/404/",
        {"field": "summary", "new_text": new_summary, "reason": "scale-out test"},
    )
    assert status == 303
    status, _, _ = a.post_form("/admin/accounts/suggestion/1/review/", {"decision": "accept"})
    assert status == 302

    status, _, after = b.request("/404/")
    assert status == 200
    assert new_summary in after
    status, _, api = b.request("/api/codes/404/")
    assert new_summary in api


EDIT_ANSWER = (
    "from codes.models import DecisionAnswer; "
    "a = DecisionAnswer.objects.get(question__slug='start', order=0); "
    "a.text = {text!r}; a.save()"
)
EDIT_COMPARISON = (
    "from codes.models import Comparison; "
    "Comparison.objects.filter(first__code=401, second__code=403)"
    ".update(key_difference={text!r})"
)


@pytest.mark.parametrize("setup", ["cluster", "embedded"])
def test_decision_and_comparison_edits_show_on_every_instance_at_once(setup, request):
    """Edited from a third process: each instance (and each of its workers) shows it next."""
    servers = request.getfixturevalue(setup)
    visitors = [Browserish(base) for base in servers.bases]
    for visitor in visitors:
        for _ in range(4):  # reach both workers and fill their page caches
            assert visitor.request("/choose/")[0] == 200
            assert visitor.request("/compare/401-vs-403/")[0] == 200
    answer = f"Edited answer {uuid.uuid4().hex[:6]}"
    difference = f"Edited difference {uuid.uuid4().hex[:6]}."
    manage(servers.env, "shell", "-c", EDIT_ANSWER.format(text=answer))
    manage(servers.env, "shell", "-c", EDIT_COMPARISON.format(text=difference))
    for visitor in visitors:
        for _ in range(4):
            assert answer in visitor.request("/choose/")[2]
            assert difference in visitor.request("/compare/401-vs-403/")[2]


def test_a_login_throttle_tripped_through_a_holds_on_b(cluster):
    a, b = Browserish(cluster[0]), Browserish(cluster[1])
    for _ in range(5):
        status, _, _ = a.post_form("/accounts/login/", {"username": "chief", "password": "nope"})
        assert status == 422
    status, headers, html = b.post_form(
        "/accounts/login/", {"username": "chief", "password": PASSWORD}
    )
    assert status == 429
    assert int(headers["Retry-After"]) > 0
    assert "try again in about" in html


def _in_parallel(calls, threads: int = 10) -> list:
    """Run the calls on several connections at once, so every worker answers some."""
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(lambda call: call(), calls))


def _latest_suggestion(env: dict) -> int:
    code = "from refsite.accounts.models import Suggestion as S; print(S.objects.latest('pk').pk)"
    return int(manage(env, "shell", "-c", code).split()[-1])


@pytest.mark.parametrize("setup", ["cluster", "embedded"])
def test_an_edit_through_one_request_shows_on_the_next_50(setup, request):
    """Every worker has the page in its cache; one admin request edits it; 50 of 50 show it."""
    servers = request.getfixturevalue(setup)
    readers = [Browserish(base) for base in servers.bases]
    warm = [lambda r=r: r.request("/410/")[0] for r in readers for _ in range(15)]
    assert set(_in_parallel(warm)) == {200}

    name = f"editor-{uuid.uuid4().hex[:6]}"  # not chief, whom another test locks out
    manage(servers.env, "createsuperuser", "--noinput", "--username", name, "--email", "e@x.org")
    editor = Browserish(servers[0])
    status, _, _ = editor.post_form("/accounts/login/", {"username": name, "password": PASSWORD})
    assert status == 303, status
    new_summary = f"Edited through one request ({uuid.uuid4().hex[:6]})."
    status, _, _ = editor.post_form(
        "/accounts/suggest/code/410/",
        {"field": "summary", "new_text": new_summary, "reason": "scale-out test"},
    )
    assert status == 303
    review = f"/admin/accounts/suggestion/{_latest_suggestion(servers.env)}/review/"
    status, _, _ = editor.post_form(review, {"decision": "accept"})  # the one edit
    assert status == 302

    fresh = [Browserish(base) for base in servers.bases]
    after = _in_parallel([lambda f=f: f.request("/410/")[2] for f in fresh for _ in range(25)])
    shown = sum(new_summary in html for html in after)
    assert shown == 50, f"{shown} of 50 requests showed the edit"


@pytest.mark.parametrize("setup", ["cluster", "embedded"])
def test_the_login_limit_holds_across_every_worker(setup, request):
    """40 wrong passwords for one account on many connections at once: 5 are checked."""
    servers = request.getfixturevalue(setup)
    name = f"victim-{uuid.uuid4().hex[:6]}"

    def attempt(base):
        fields = {"username": name, "password": "no"}
        return Browserish(base).post_form("/accounts/login/", fields)[0]

    bases = [random.choice(servers.bases) for _ in range(40)]
    statuses = _in_parallel([lambda base=base: attempt(base) for base in bases])
    checked = statuses.count(422)
    assert set(statuses) <= {422, 429}, statuses
    assert checked <= 5, f"{checked} of 40 login attempts went through against a limit of 5"
    assert checked == 5  # the limit is reached, not merely never met


@pytest.mark.parametrize("setup", ["cluster", "embedded"])
def test_both_instances_stop_cleanly(setup, request):
    servers = request.getfixturevalue(setup)
    assert servers.stop() == [0, 0]
    for base in servers.bases:
        with pytest.raises(OSError):
            urllib.request.urlopen(base + "/healthz", timeout=2)
