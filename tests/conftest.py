"""Shared fixtures: the catalogue is loaded once per test session."""

import threading

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connections
from django.test import override_settings

from refsite.core.http_cache import bypassing_page_cache


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Hash test passwords with MD5, as Django's testing docs advise: PBKDF2's 1.5 million
    rounds cost most of a second per sign-in. Production's hashers still check any hash
    made with them."""
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher", *django_settings.PASSWORD_HASHERS]
    with override_settings(PASSWORD_HASHERS=fast):
        yield


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, test on a file, as the site runs, not on Django's shared in-memory database.

    Shared-cache memory databases lock whole tables and answer "database table is
    locked" at once, where a file in WAL mode waits for the writer; the tests that
    send requests from several threads need the file's behaviour.
    """
    database = django_settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        test = database.setdefault("TEST", {})
        if not test.get("NAME"):
            test["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("synccontent", verbosity=0)
        call_command("populate_history", auto=True, verbosity=0)


@pytest.fixture
def htmx_headers():
    """The headers htmx sends with a request it makes for a swap."""
    return {"HX-Request": "true", "HX-Current-URL": "http://testserver/"}


@pytest.fixture
def staff_client(client, db):
    user = get_user_model().objects.create_superuser("editor", "editor@example.com", "x" * 12)
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with empty caches: no stored pages or cards carry over."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def no_page_cache():
    """The ``pages`` cache stores nothing: measure real renders, not cache hits."""
    with bypassing_page_cache():
        yield


@pytest.fixture
def make_user(db):
    def make(username="dev", password="a-long-Passw0rd!", **extra):
        user = get_user_model().objects.create_user(
            username, f"{username}@example.com", password, **extra
        )
        user.raw_password = password
        return user

    return make


@pytest.fixture
def user_client(client, make_user):
    user = make_user()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def race():
    """``race(count, work)`` runs ``work(n)`` in ``count`` threads at once and returns
    what each returned. Each thread has its own database connection, as each
    request of a server has; use it in ``django_db(transaction=True)`` tests, so the
    threads see each other's commits."""

    def run_all(count, work):
        results = [None] * count
        start = threading.Barrier(count, timeout=10)

        def run(n):
            try:
                start.wait()
                results[n] = work(n)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        return results

    return run_all


@pytest.fixture
def catalogue(db):
    """The shipped content, for transactional tests: those empty the database when they
    end, so a test that runs after one finds it empty."""
    from codes.models import StatusCode

    if not StatusCode.objects.exists():
        call_command("synccontent", verbosity=0)
