"""Production settings: check --deploy is clean, security headers and a strict CSP."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "k3y-" + "a8Zq" * 15,
    "ALLOWED_HOSTS": "status.example.com",
    "SECURE_HSTS_PRELOAD": "true",
    "EMAIL_HOST": "smtp.example.com",
}


@pytest.mark.slow
def test_check_deploy_passes_without_warnings():
    env = {**os.environ, **PRODUCTION_ENV}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/404/", "/guides/401-vs-403/", "/accounts/login/"])
def test_security_headers(client, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "style-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?q=rate+limit",
        "/404/",
        "/499/",
        "/4xx/",
        "/299/",
        "/guides/",
        "/guides/caching-etags-304/",
        "/choose/",
        "/compare/401-vs-403/",
        "/accounts/login/",
        "/accounts/signup/",
        "/api/",
    ],
)
def test_pages_need_no_inline_script_or_style(client, path):
    response = client.get(path)
    assert response.status_code == (404 if path == "/299/" else 200), response.status_code
    html = response.content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert 'src="' in tag or 'type="application/ld+json"' in tag, tag
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers


def test_gunicorn_config_is_valid():
    sys.path.insert(0, str(ROOT))
    namespace: dict = {}
    exec((ROOT / "refsite" / "gunicorn.conf.py").read_text(), namespace)  # noqa: S102
    assert namespace["workers"] >= 2
    # Threads, so a /status/ sleeper holds one thread, never a whole worker.
    assert namespace["worker_class"] == "gthread" and namespace["threads"] == 4
    assert namespace["timeout"] > 10  # longer than the capped /status/ sleep
    assert namespace["accesslog"] == "-"


def _gunicorn_hooks() -> dict:
    namespace: dict = {}
    exec((ROOT / "refsite" / "gunicorn.conf.py").read_text(), namespace)  # noqa: S102
    return namespace


class _Log:
    def __init__(self):
        self.warnings = []

    def warning(self, message, *args):
        self.warnings.append(message % args)


class _Server:
    def __init__(self):
        self.log = _Log()


@pytest.mark.django_db
def test_gunicorn_master_warms_the_indexes_before_forking_workers(monkeypatch):
    """A worker forked after when_ready starts with the search index in memory."""
    from django.db import connections

    from codes import catalogue
    from guides import library

    closed = []
    monkeypatch.setattr(connections, "close_all", lambda: closed.append(True))
    catalogue._snapshot.clear()
    library._snapshot.clear()
    server = _Server()
    _gunicorn_hooks()["when_ready"](server)

    assert isinstance(catalogue._snapshot._current[1], catalogue.Catalogue)
    assert library._snapshot._current[1].guides
    assert not server.log.warnings
    assert closed == [True]  # the master's connection is never shared with workers


def test_gunicorn_warm_up_survives_an_unreachable_database(monkeypatch):
    from django.db import OperationalError, connections

    from codes import catalogue

    def unreachable():
        raise OperationalError("connection refused")

    closed = []
    monkeypatch.setattr(connections, "close_all", lambda: closed.append(True))
    monkeypatch.setattr(catalogue, "get_catalogue", unreachable)
    server = _Server()
    _gunicorn_hooks()["when_ready"](server)  # no exception: gunicorn still starts
    assert server.log.warnings == [
        "Warm-up skipped, the database is unreachable: connection refused"
    ]
    assert closed == [True]
