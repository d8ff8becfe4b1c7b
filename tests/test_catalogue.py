"""The read models: one snapshot per content version, shared by every thread of a process."""

import threading

import pytest
from django.db import connections

from codes import catalogue
from codes.models import StatusCode
from guides import library
from refsite.core import content_version
from refsite.core.snapshot import Snapshot

pytestmark = pytest.mark.django_db


def test_threads_share_one_catalogue_built_once_per_version(monkeypatch):
    builds = []
    real_build = catalogue.build

    def counting_build(version):
        builds.append(version)
        return real_build(version)

    snapshot = Snapshot(counting_build)
    monkeypatch.setattr(catalogue, "_snapshot", snapshot)
    seen, start = [], threading.Barrier(8)

    def reader():
        start.wait()
        try:
            seen.append(catalogue.get_catalogue())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=reader) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 8 and all(value is seen[0] for value in seen)
    assert len(builds) == 1

    content_version.bump()
    assert catalogue.get_catalogue() is not seen[0]
    assert len(builds) == 2


def test_an_edit_reaches_the_catalogue_at_the_next_read():
    before = catalogue.get_catalogue()
    row = StatusCode.objects.get(code=418, slug="")
    row.summary = "Edited teapot summary."
    row.save()
    after = catalogue.get_catalogue()
    assert after is not before
    assert after.meanings(418)[0].summary == "Edited teapot summary."


def test_unpublishing_removes_a_code_from_every_read_model():
    StatusCode.objects.filter(code=418).update(published=False)
    current = catalogue.get_catalogue()
    assert not current.has_number(418)
    assert all(link.code != 418 for link in current.code_links)
    assert all(418 not in {r.code for r in row.related.all()} for row in current.rows)
    assert all(guide_code != 418 for guide_code in library.get_library()._by_code)


def test_a_scheduled_guide_appears_when_its_time_comes(monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from guides.models import Guide

    guide = Guide.objects.get(slug="401-vs-403")
    Guide.objects.filter(pk=guide.pk).update(published_at=timezone.now() + timedelta(hours=1))
    assert library.get_library().get("401-vs-403") is None
    later = timezone.now() + timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)  # the clock moves on; no edit
    assert library.get_library().get("401-vs-403") is not None
