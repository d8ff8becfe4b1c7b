"""Login, reset, sign-up and suggestions are throttled with 429 and Retry-After."""

import socket
import subprocess
import threading

import pytest
from django.contrib.auth import forms as auth_forms
from django.core.cache import caches
from django.db import connection
from django.test import Client, override_settings

from refsite.accounts.models import Suggestion
from refsite.core import throttle
from refsite.core.models import Counter

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-Passw0rd!"


@pytest.fixture(autouse=True)
def _still_clock(monkeypatch):
    """Limits count in fixed windows: a still clock keeps a test inside one window."""
    frozen = throttle.time.time()
    monkeypatch.setattr(throttle.time, "time", lambda: frozen)


def _assert_429(response):
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "try again in about" in response.content.decode()


def test_login_is_throttled_per_account(client, make_user):
    make_user("target", PASSWORD)
    for _ in range(throttle.LOGIN_PER_ACCOUNT.limit):
        assert (
            client.post("/accounts/login/", {"username": "target", "password": "x"}).status_code
            == 422
        )
    # Even the right password is refused until the window ends.
    _assert_429(client.post("/accounts/login/", {"username": "target", "password": PASSWORD}))
    # Another account from the same address is not blocked yet.
    make_user("someone", PASSWORD)
    assert (
        client.post("/accounts/login/", {"username": "someone", "password": PASSWORD}).status_code
        == 303
    )


def test_login_is_throttled_per_address(client):
    # A new user name each time, so only the per-address limit can trip.
    for n in range(throttle.LOGIN_PER_ADDRESS.limit):
        response = client.post("/accounts/login/", {"username": f"user{n}", "password": "x"})
        assert response.status_code == 422
    _assert_429(client.post("/accounts/login/", {"username": "fresh", "password": "x"}))
    other = client.post(
        "/accounts/login/", {"username": "fresh", "password": "x"}, REMOTE_ADDR="10.1.1.1"
    )
    assert other.status_code == 422


# Spellings Django's login form signs in as "carol" (NFKC) or that differ only in case.
CAROL_SPELLINGS = ["\uff43arol", "CAROL", " Carol ", "\uff43\uff41\uff52\uff4f\uff4c", "carol"]


def test_lookalike_spellings_count_against_one_account(client, make_user):
    make_user("carol", PASSWORD)
    for name in CAROL_SPELLINGS:
        response = client.post("/accounts/login/", {"username": name, "password": "x"})
        assert response.status_code == 422, name
    for name in CAROL_SPELLINGS:
        _assert_429(client.post("/accounts/login/", {"username": name, "password": "x"}))
    _assert_429(client.post("/accounts/login/", {"username": "\uff43arol", "password": PASSWORD}))


def test_a_good_login_clears_every_spelling(client, make_user):
    make_user("carol", PASSWORD)
    for name in CAROL_SPELLINGS[:4]:
        client.post("/accounts/login/", {"username": name, "password": "x"})
    ok = client.post("/accounts/login/", {"username": "\uff43arol", "password": PASSWORD})
    assert ok.status_code == 303
    client.post("/accounts/logout/")
    for _ in range(throttle.LOGIN_PER_ACCOUNT.limit):
        assert (
            client.post("/accounts/login/", {"username": "CAROL", "password": "x"}).status_code
            == 422
        )
    _assert_429(client.post("/accounts/login/", {"username": "carol", "password": "x"}))


def test_reset_requests_for_one_address_share_a_limit_whatever_the_case(client, make_user):
    make_user("resetter", PASSWORD)
    spellings = ["resetter@example.com", "RESETTER@example.com", "Resetter@Example.COM"]
    for email in spellings:
        assert client.post("/accounts/reset/", {"email": email}).status_code == 302
    _assert_429(client.post("/accounts/reset/", {"email": "resetter@EXAMPLE.com"}))


def test_a_good_login_clears_the_account_counter(client, make_user):
    make_user("forgetful", PASSWORD)
    for _ in range(throttle.LOGIN_PER_ACCOUNT.limit - 1):
        client.post("/accounts/login/", {"username": "forgetful", "password": "x"})
    assert (
        client.post("/accounts/login/", {"username": "forgetful", "password": PASSWORD}).status_code
        == 303
    )
    client.post("/accounts/logout/")
    assert (
        client.post("/accounts/login/", {"username": "forgetful", "password": "x"}).status_code
        == 422
    )


def test_password_reset_is_throttled(client, make_user):
    make_user("resetter", PASSWORD)
    for _ in range(throttle.RESET_PER_ACCOUNT.limit):
        assert client.post("/accounts/reset/", {"email": "resetter@example.com"}).status_code == 302
    _assert_429(client.post("/accounts/reset/", {"email": "resetter@example.com"}))


def test_signup_is_throttled_per_address(client):
    for n in range(throttle.SIGNUP_PER_ADDRESS.limit):
        response = client.post("/accounts/signup/", {"email": f"bot{n}@x.example"})
        assert response.status_code == 303
    _assert_429(client.post("/accounts/signup/", {"email": "botx@x.example"}))


def test_suggestions_are_throttled(user_client):
    for n in range(throttle.SUGGEST_PER_USER.limit):
        response = user_client.post(
            "/accounts/suggest/code/404/",
            {"field": "summary", "new_text": f"Text {n}", "reason": "r"},
        )
        assert response.status_code == 303
        # Reviewed at once, so the cap on pending suggestions never stops the user first.
        Suggestion.objects.pending().update(status=Suggestion.Status.REJECTED)
    _assert_429(
        user_client.post(
            "/accounts/suggest/code/404/", {"field": "summary", "new_text": "Text 9", "reason": "r"}
        )
    )


def test_limits_hold_when_every_cache_is_emptied(client):
    """The counters are database rows: emptying the caches (or evicting from them) resets none."""
    for _ in range(throttle.LOGIN_PER_ACCOUNT.limit):
        client.post("/accounts/login/", {"username": "target", "password": "x"})
    for alias in caches:
        caches[alias].clear()
    _assert_429(client.post("/accounts/login/", {"username": "target", "password": "x"}))
    key, _ = throttle.LOGIN_PER_ACCOUNT._key("target")
    assert Counter.objects.get(key=key).count == throttle.LOGIN_PER_ACCOUNT.limit


def test_a_flooded_page_cache_leaves_the_limits_in_place(client):
    """Fill the ``pages`` alias (locmem, or Redis with REDIS_URL) far past any cap: limits hold."""
    pages = caches["pages"]
    blob = b"x" * 20_000
    for _ in range(3):
        client.post("/accounts/login/", {"username": "target", "password": "x"})
    pages.set_many({f"flood:/?q={n}": blob for n in range(500)}, 60)  # 10 MB
    for _ in range(throttle.LOGIN_PER_ACCOUNT.limit - 3):
        assert (
            client.post("/accounts/login/", {"username": "target", "password": "x"}).status_code
            == 422
        )
    _assert_429(client.post("/accounts/login/", {"username": "target", "password": "x"}))


def test_counters_of_ended_windows_are_deleted_by_a_later_write(monkeypatch):
    minute = throttle.Limit("prune-test", limit=5, window=60)
    minute.hit("early")
    old_key, _ = minute._key("early")
    assert Counter.objects.filter(key=old_key).exists()
    later = throttle.time.time() + 2 * throttle.PRUNE_EVERY + 60
    monkeypatch.setattr(throttle.time, "time", lambda: later)
    minute.hit("late")
    new_key, _ = minute._key("late")
    assert list(
        Counter.objects.filter(key__startswith="throttle:prune-test:").values_list("key", flat=True)
    ) == [new_key]


def test_limits_fail_open_with_one_warning_when_the_database_fails(client, make_user, caplog):
    """A database error in the limiter (down, or SQLite's "database is locked") is no 500."""
    make_user("resilient", PASSWORD)
    with connection.cursor() as cursor:  # rolled back with the test's transaction
        cursor.execute(f"DROP TABLE {Counter._meta.db_table}")
    with caplog.at_level("WARNING", logger="refsite.core.throttle"):
        response = client.get("/status/200/")
    assert response.status_code == 200
    assert [r.levelname for r in caplog.records if r.name == "refsite.core.throttle"] == ["WARNING"]
    caplog.clear()
    with caplog.at_level("WARNING", logger="refsite.core.throttle"):
        response = client.post("/accounts/login/", {"username": "resilient", "password": PASSWORD})
    assert response.status_code == 303  # the session was saved: the transaction survived
    # One line for each limiter call that failed (check, reset, give back), never one per limit.
    warnings = [r for r in caplog.records if r.name == "refsite.core.throttle"]
    assert len(warnings) == 3
    assert all("failing open" in r.getMessage() for r in warnings)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_wrong_passwords_get_no_more_checks_than_the_limit(monkeypatch, make_user):
    """19 logins at once against a limit of 5: counting, then deciding, cannot be raced."""
    make_user("raced", PASSWORD)
    checked = []
    real_authenticate = auth_forms.authenticate

    def slow_authenticate(*args, **kwargs):
        checked.append(1)
        throttle.time.sleep(0.05)  # a real hasher takes far longer; widen the window
        return real_authenticate(*args, **kwargs)

    monkeypatch.setattr(auth_forms, "authenticate", slow_authenticate)
    start = threading.Barrier(19)
    statuses = []

    def attempt():
        try:
            start.wait()
            response = Client().post("/accounts/login/", {"username": "raced", "password": "x"})
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(19)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(set(statuses)) == [422, 429]
    assert statuses.count(422) == len(checked) <= throttle.LOGIN_PER_ACCOUNT.limit


@pytest.fixture
def capped_redis(tmp_path):
    """A redis-server of our own on a free port, capped at 2 MB, evicting like a full cache."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
            "--maxmemory",
            "2mb",
            "--maxmemory-policy",
            "allkeys-lru",
        ],
        stdout=subprocess.DEVNULL,
    )
    import redis

    client = redis.Redis(port=port, socket_connect_timeout=0.5)
    try:
        for _ in range(50):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                throttle.time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.slow
def test_a_page_flood_that_fills_redis_to_its_cap_leaves_the_limits_in_place(client, capped_redis):
    """Pages evicted from a capped Redis are fine; counters must not go with them."""

    def redis_cache(alias):
        return {
            "BACKEND": "refsite.core.cache.ResilientRedisCache",
            "LOCATION": capped_redis,
            "KEY_PREFIX": f"refsite:{alias}",
        }

    with override_settings(
        CACHES={"default": redis_cache("default"), "pages": redis_cache("pages")}
    ):
        for _ in range(3):
            client.post("/accounts/login/", {"username": "target", "password": "x"})
        pages = caches["pages"]
        blob = b"x" * 20_000
        for n in range(500):  # 10 MB into 2 MB: Redis evicts the least recently used keys
            pages.set(f"flood:/?q={n}", blob, 60)
        assert pages.get("flood:/?q=0") is None  # the flood did evict
        for _ in range(throttle.LOGIN_PER_ACCOUNT.limit - 3):
            assert (
                client.post("/accounts/login/", {"username": "target", "password": "x"}).status_code
                == 422
            )
        _assert_429(client.post("/accounts/login/", {"username": "target", "password": "x"}))
