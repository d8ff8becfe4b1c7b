"""Configuration comes from the environment, and production refuses an unsafe start."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # every test starts Django in a subprocess

ROOT = Path(__file__).resolve().parent.parent


def _start(env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_debug_off_without_secret_key_refuses_to_start():
    result = _start({"DEBUG": "false", "ALLOWED_HOSTS": "example.com"})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_off_with_secret_key_starts():
    result = _start({"DEBUG": "false", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example.com"})
    assert result.returncode == 0, result.stderr


def test_a_bad_boolean_fails_loudly():
    result = _start({"DEBUG": "perhaps"})
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def _settings_in(env_overrides, expression):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "ADMIN_URL"}}
    env.update(env_overrides)
    code = (
        f"import django; django.setup(); from django.conf import settings as s; print({expression})"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**env, "DJANGO_SETTINGS_MODULE": "refsite.settings"},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_cookies_are_secure_outside_debug():
    production = {"DEBUG": "false", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example.com"}
    out = _settings_in(
        production, "s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_SECURE"
    )
    assert out == "True True True"
    assert _settings_in({"DEBUG": "true"}, "s.SESSION_COOKIE_SECURE") == "False"


def test_admin_url_moves_with_an_environment_variable():
    code = "__import__('django.urls', fromlist=['reverse']).reverse('admin:index')"
    assert _settings_in({"ADMIN_URL": "staff-7f3a"}, code) == "/staff-7f3a/"
    assert _settings_in({}, code) == "/admin/"


def test_trusted_proxy_hops_comes_from_the_environment():
    assert _settings_in({}, "s.TRUSTED_PROXY_HOPS") == "0"
    assert _settings_in({"TRUSTED_PROXY_HOPS": "2"}, "s.TRUSTED_PROXY_HOPS") == "2"
    result = _start({"TRUSTED_PROXY_HOPS": "-1"})
    assert result.returncode != 0 and "TRUSTED_PROXY_HOPS must be 0 or more" in result.stderr


def test_body_caps_come_from_the_environment():
    caps = "s.DATA_UPLOAD_MAX_MEMORY_SIZE, s.DATA_UPLOAD_MAX_NUMBER_FILES"
    assert _settings_in({}, caps) == "1048576 0"
    env = {"DATA_UPLOAD_MAX_MEMORY_SIZE": "65536", "DATA_UPLOAD_MAX_NUMBER_FILES": "2"}
    assert _settings_in(env, caps) == "65536 2"


def test_sleeping_slots_follow_the_threads_and_leave_one_free():
    expression = "s.GUNICORN['threads'], s.STATUS_SLEEPERS"
    assert _settings_in({}, expression) == "4 3"
    assert _settings_in({"GUNICORN_THREADS": "8"}, expression) == "8 7"
    assert _settings_in({"GUNICORN_THREADS": "1"}, expression) == "1 0"  # sync: no sleeping
    assert _settings_in({"STATUS_SLEEPERS": "2"}, expression) == "4 2"
    result = _start({"STATUS_SLEEPERS": "-1"})
    assert result.returncode != 0 and "STATUS_SLEEPERS must be 0 or more" in result.stderr
