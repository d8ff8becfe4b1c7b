"""When a backing service fails: a quick 503 without the database, no cache without Redis."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.servers import manage

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, time, django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
out = {}
for path in PATHS:
    start = time.perf_counter()
    response = client.get(path)
    out[path] = {
        "status": response.status_code,
        "retry_after": response.get("Retry-After"),
        "content_type": response.get("Content-Type"),
        "body": response.content.decode(),
        "seconds": time.perf_counter() - start,
    }
print(json.dumps(out))
"""


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "refsite.settings",
    "DEBUG": "false",
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
}


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """Production serves collected, hashed files; collect them once for these tests."""
    root = tmp_path_factory.mktemp("static")
    env = {**os.environ, **PRODUCTION, "STATIC_ROOT": str(root)}
    manage(env, "collectstatic", "--noinput", "-v0")
    return root


def _probe(env_overrides, paths, static_root):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(env_overrides)
    env.update(PRODUCTION)
    env["STATIC_ROOT"] = str(static_root)
    result = subprocess.run(
        [sys.executable, "-c", f"PATHS = {paths!r}\n{PROBE}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_database_down_gives_a_quick_503_with_retry_after(static_root):
    start = time.perf_counter()
    out = _probe(
        {"DATABASE_URL": "postgres://nobody@127.0.0.1:1/nothing"},
        ["/404/", "/", "/healthz", "/api/codes/404/"],
        static_root,
    )
    assert time.perf_counter() - start < 60
    for path, result in out.items():
        assert result["status"] == 503, (path, result["status"])
        assert result["retry_after"] == "30"
        assert result["seconds"] < 10
        assert "Traceback" not in result["body"]
    assert "cannot reach its database" in out["/404/"]["body"]
    # The API says it in problem details, like its other errors.
    assert out["/api/codes/404/"]["content_type"] == "application/problem+json"
    assert json.loads(out["/api/codes/404/"]["body"])["status"] == 503


@pytest.mark.slow
@pytest.mark.django_db
def test_redis_down_degrades_to_no_cache(tmp_path, static_root):
    # A real SQLite database for the subprocess, with the catalogue loaded.
    db = tmp_path / "db.sqlite3"
    env = {"DATABASE_URL": f"sqlite:///{db}", "REDIS_URL": "redis://127.0.0.1:1/0"}
    setup = subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert setup.returncode == 0, setup.stderr[-2000:]
    load = subprocess.run(
        [sys.executable, "manage.py", "loaddata", "catalogue", "guides", "-v0"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert load.returncode == 0, load.stderr[-2000:]
    out = _probe(
        env, ["/404/", "/?q=rate+limit", "/guides/", "/api/codes/429/", "/healthz"], static_root
    )
    for path, result in out.items():
        assert result["status"] == 200, (path, result["status"], result["body"][:500])
        assert result["seconds"] < 10
    assert "Too Many Requests" in out["/?q=rate+limit"]["body"]


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"database: ok\n"
    assert response["Cache-Control"] == "no-store"


@pytest.mark.slow
def test_static_files_are_compressed_and_cached_forever(static_root):
    manifest = json.loads((static_root / "staticfiles.json").read_text())
    hashed = manifest["paths"]["css/site.css"]
    assert (static_root / (hashed + ".gz")).exists()
    assert (static_root / (hashed + ".br")).exists()
    code = (
        "import django; django.setup(); from django.test import Client; "
        f"r = Client(HTTP_HOST='127.0.0.1').get('/static/{hashed}', "
        "headers={'Accept-Encoding': 'br, gzip'}); "
        "print(r.status_code, r['Cache-Control'], r.get('Content-Encoding'))"
    )
    env = {**os.environ, **PRODUCTION, "STATIC_ROOT": str(static_root)}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-2000:]
    words = result.stdout.split()
    status, encoding = words[0], words[-1]
    assert status == "200"
    assert "immutable" in result.stdout and "max-age=315360000" in result.stdout
    assert encoding == "br"


HUNG_DATABASE_PROBE = """
import json, os, sys, time
sys.path.insert(0, ROOT)
from tests.faults import FreezableProxy
proxy = FreezableProxy(("127.0.0.1", 5432)).__enter__()
os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{proxy.port}/{DATABASE}"
import django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
out = {"before": client.get("/healthz").status_code}
proxy.freeze()  # PostgreSQL's end now ACKs every byte and never answers
for index, path in enumerate(PATHS):
    start = time.perf_counter()
    response = client.get(path)
    out[f"{index} {path}"] = {
        "status": response.status_code,
        "retry_after": response.get("Retry-After"),
        "seconds": time.perf_counter() - start,
    }
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def postgres_database():
    """A migrated database of our own on the machine's PostgreSQL, dropped afterwards."""
    import uuid

    try:
        import psycopg

        psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", connect_timeout=2).close()
    except Exception as error:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL on 127.0.0.1:5432 is not available: {error}")
        pytest.skip(f"PostgreSQL on 127.0.0.1:5432 is not available: {error}")
    name = f"refsite_hung_{uuid.uuid4().hex[:8]}"
    admin = "postgres://postgres@127.0.0.1:5432/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        env = {**os.environ, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{name}"}
        env.pop("REDIS_URL", None)
        manage(env, "migrate", "-v0")
        yield name
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.slow
def test_a_hung_database_gives_a_503_with_retry_after_in_under_5_seconds(
    postgres_database, static_root
):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(PRODUCTION, STATIC_ROOT=str(static_root))
    paths = ["/healthz", "/", "/healthz"]
    script = f"ROOT = {str(ROOT)!r}\nDATABASE = {postgres_database!r}\nPATHS = {paths!r}\n"
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", script + HUNG_DATABASE_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    print("hung database:", out, f"total {time.perf_counter() - start:.1f} s")
    assert out.pop("before") == 200
    for path, answer in out.items():
        assert answer["status"] == 503, (path, answer)
        assert answer["retry_after"] == "30"
        assert answer["seconds"] < 5, (path, answer)
