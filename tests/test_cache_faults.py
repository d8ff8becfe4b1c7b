"""A hung or failing Redis costs one short wait, then nothing, and hides no edit."""

import logging
import time

import pytest
from django.test import override_settings

from refsite import settings as site_settings
from tests.faults import FreezableProxy, RedisServer


def redis_caches(url: str) -> dict:
    """Both cache aliases on one Redis URL, configured as production configures them."""
    return {alias: site_settings._cache(alias, url) for alias in ("default", "pages")}


def _timed_gets(client, path, count):
    times = []
    for _ in range(count):
        start = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200
    return times


@pytest.mark.slow
@pytest.mark.django_db
def test_a_hung_redis_costs_one_short_wait_then_nothing(client, caplog):
    warm = _timed_gets(client, "/404/", 2)  # build the catalogue first: time only the cache
    with (
        FreezableProxy() as hung,
        override_settings(CACHES=redis_caches(f"redis://127.0.0.1:{hung.port}/0")),
    ):
        caplog.set_level(logging.INFO, logger="refsite.core.cache")
        times = _timed_gets(client, "/404/", 10)
    print("warm:", [round(t, 3) for t in warm], "hung redis:", [round(t, 3) for t in times])
    # Loose bounds, as the machine may be busy: what tells the breaker apart is that
    # only the first request waits out a 0.5 s socket timeout (two calls' worth, 1 s
    # and more, without it); the nine after it call Redis not at all.
    assert times[0] < 1.5
    assert max(times[1:]) < 0.45
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]


@pytest.mark.slow
@pytest.mark.django_db
def test_redis_back_with_old_data_shows_the_edit_made_while_it_was_down(client, caplog):
    from codes.models import StatusCode

    with RedisServer() as redis_server, FreezableProxy(("127.0.0.1", redis_server.port)) as proxy:
        caches_config = redis_caches(f"redis://127.0.0.1:{proxy.port}/0")
        for config in caches_config.values():
            config["OPTIONS"]["breaker_seconds"] = 0.5
        with override_settings(CACHES=caches_config):
            caplog.set_level(logging.INFO, logger="refsite.core.cache")
            assert b"Not Found" in client.get("/404/").content
            stored = redis_server.keys()
            assert any(b"pages" in key for key in stored)  # the old page is in Redis

            proxy.freeze()  # Redis hangs; an editor saves meanwhile
            code = StatusCode.objects.get(code=404, vendor="")
            code.summary = "Edited while Redis was down."
            code.save()
            assert b"Edited while Redis was down." in client.get("/404/").content

            proxy.thaw()  # back, with every entry it held before the edit
            time.sleep(0.6)
            response = client.get("/404/")
            assert set(stored) <= set(redis_server.keys())
            assert b"Edited while Redis was down." in response.content
            assert b"Edited while Redis was down." in client.get("/404/").content  # a hit

    messages = [(r.levelname, r.getMessage()) for r in caplog.records]
    assert [level for level, _ in messages] == ["WARNING", "INFO"], messages
    assert "is back after" in messages[1][1]
