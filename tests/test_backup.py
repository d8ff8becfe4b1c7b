"""A backup made as docs/production.md says restores everything editors and users wrote.

The database under test (content, history, an editor's change, an account with
a star, a shared cheat sheet and a suggestion, a session) is backed up with the
tool of its engine and restored into a new, empty database: SQLite through
Python's ``sqlite3`` backup API into a fresh file, PostgreSQL with ``pg_dump
-Fc`` and ``pg_restore`` into a database this test creates and drops. The app
is then started against the original and against the copy, each in its own
process, and must show the same pages and hold the same rows, history included.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from io import StringIO
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.db import connection

from codes.models import StatusCode
from guides.models import Guide
from refsite.accounts.models import SharedSheet, Star, Suggestion

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

EDITED_SUMMARY = "Edited before the backup: the server has nothing at this address."

# Runs in a fresh process against DATABASE_URL: a few pages and a count of every table.
PROBE = """
import json, sys
import django
django.setup()
from django.apps import apps
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client()
pages = {}
for path in sys.argv[1:]:
    response = client.get(path)
    pages[path] = [response.status_code, response.content.decode()]
rows = {m._meta.label: m._default_manager.count() for m in apps.get_models()}
print(json.dumps({"pages": pages, "rows": rows}))
"""


def _probe(database_url: str, paths: list[str]) -> dict:
    """Start the app on ``database_url`` in a new process; its pages and row counts."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="refsite.settings")
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *paths],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.splitlines()[-1])


def _what_people_wrote() -> list[str]:
    """History, an editor's change and a user's stars, sheet, suggestion and session;
    the pages that show them."""
    call_command("populate_history", auto=True, verbosity=0, stdout=StringIO(), stderr=StringIO())
    code = StatusCode.objects.get(code=404, slug="")
    code.summary = EDITED_SUMMARY
    code.save()
    guide = Guide.objects.published().get(slug="404-or-410")
    guide.summary = "Edited too: which of the two to send when a page is gone."
    guide.save()
    user = get_user_model().objects.create_user("dev", "dev@example.com", "a-long-Passw0rd!")
    Star.objects.create(
        user=user, content_type=ContentType.objects.get_for_model(code), object_id=code.pk
    )
    sheet = SharedSheet.objects.create(user=user)
    Suggestion.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(code),
        object_id=code.pk,
        field="summary",
        new_text="A suggested summary.",
        reason="Clearer.",
    )
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session.create()
    return ["/404/", "/499/", f"/guides/{guide.slug}/", sheet.get_absolute_url()]


def _sqlite_backup(tmp_path: Path) -> tuple[str, str, dict]:
    """``sqlite3.Connection.backup`` of the live file into a new one (docs/production.md)."""
    source = connection.settings_dict["NAME"]
    target = tmp_path / "restored.sqlite3"
    started = time.perf_counter()
    with sqlite3.connect(source) as live, sqlite3.connect(target) as copy:
        live.backup(copy)
    figures = {"backup_s": time.perf_counter() - started, "bytes": target.stat().st_size}
    return f"sqlite:///{source}", f"sqlite:///{target}", figures


def _pg_url(db: dict, name: str) -> str:
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{auth}@{host}:{db['PORT'] or 5432}/{name}"


def _pg_dump_restore(tmp_path: Path, restored: str) -> tuple[str, str, dict]:
    """``pg_dump -Fc`` of the test database, ``pg_restore`` into ``restored``."""
    for tool in ("pg_dump", "pg_restore"):
        if not shutil.which(tool):
            pytest.fail(f"{tool} is needed: apt-get install postgresql-client", pytrace=False)
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}
    where = ["-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432), "-U", db["USER"]]
    dump = tmp_path / "refsite.dump"
    started = time.perf_counter()
    subprocess.run(
        ["pg_dump", "-Fc", *where, "-f", dump, db["NAME"]], env=env, check=True, timeout=120
    )
    dumped = time.perf_counter()
    subprocess.run(
        ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
        + [*where, "-d", restored, dump],
        env=env,
        check=True,
        timeout=120,
    )
    figures = {
        "dump_s": dumped - started,
        "restore_s": time.perf_counter() - dumped,
        "bytes": dump.stat().st_size,
    }
    return _pg_url(db, db["NAME"]), _pg_url(db, restored), figures


@pytest.fixture
def empty_pg_database():
    """A new, empty PostgreSQL database with a name no one else uses, dropped afterwards."""
    name = f"refsite_restore_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_restored_backup_has_the_same_pages_rows_and_history(catalogue, tmp_path, request):
    paths = _what_people_wrote()
    if connection.vendor == "postgresql":
        empty = request.getfixturevalue("empty_pg_database")
        original, restored, figures = _pg_dump_restore(tmp_path, empty)
    else:
        assert connection.vendor == "sqlite"
        original, restored, figures = _sqlite_backup(tmp_path)
    print(f"\n{connection.vendor} backup: {figures}")

    before = _probe(original, paths)
    after = _probe(restored, paths)

    assert before["pages"]["/404/"][0] == 200
    assert EDITED_SUMMARY in after["pages"]["/404/"][1]
    for path in paths:
        assert after["pages"][path][0] == 200, path
        assert after["pages"][path][1] == before["pages"][path][1], path
    rows = after["rows"]
    assert rows == before["rows"]
    for label in ("codes.HistoricalStatusCode", "codes.HistoricalFAQ", "guides.HistoricalGuide"):
        assert rows[label] > 0, label
    assert rows["accounts.Star"] == rows["accounts.Suggestion"] == 1
    assert rows["sessions.Session"] >= 1
