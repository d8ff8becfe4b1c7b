"""schemathesis against a live gunicorn: every API operation, every check.

The server runs with production settings (DEBUG off) on its own SQLite file with
the catalogue loaded, bound to 127.0.0.1 on a free port, and is stopped at the
end. Its API limit is raised for the run through ``API_RATE_LIMIT``: the test
configures its server rather than weakening production's limit. The number of
examples per operation is bounded, so the run takes well under two minutes;
schemathesis prints its seed, and ``st run --seed N`` replays a failure.
"""

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.servers import free_port

pytestmark = pytest.mark.slow  # gunicorn and schemathesis in subprocesses

ROOT = Path(__file__).resolve().parent.parent
CONFIG = Path(__file__).with_name("schemathesis.toml")
MAX_EXAMPLES = 100  # per operation and phase; about 1,500 requests in all


def _run(env, *args):
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]


@pytest.fixture(scope="module")
def live_api(tmp_path_factory):
    """A production-like gunicorn on a fresh SQLite database; its base URL."""
    folder = tmp_path_factory.mktemp("conformance")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="refsite.settings",
        DEBUG="false",
        SECRET_KEY="conformance-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        STATIC_ROOT=str(folder / "static"),  # the API renders no template
        DATABASE_URL=f"sqlite:///{folder / 'site.sqlite3'}",
        API_RATE_LIMIT="1000000",
        GUNICORN_WORKERS="2",
        GUNICORN_BIND=f"127.0.0.1:{free_port()}",
        GUNICORN_ACCESS_LOG=str(folder / "access.log"),
    )
    _run(env, "manage.py", "migrate", "-v0")
    _run(env, "manage.py", "loaddata", "catalogue", "guides", "-v0")
    base = f"http://{env['GUNICORN_BIND']}"
    with open(folder / "server.log", "wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "refsite/gunicorn.conf.py", "refsite.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, (folder / "server.log").read_text()[-2000:]
            assert time.monotonic() < deadline, "gunicorn did not answer /healthz"
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2):
                    break
            except OSError:
                time.sleep(0.3)
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def test_schemathesis_finds_nothing_with_every_check(live_api, tmp_path):
    with urllib.request.urlopen(live_api + "/api/openapi.json", timeout=10) as response:
        spec = json.load(response)
    operations = sum(len(item) for item in spec["paths"].values())
    st = Path(sys.executable).with_name("st")
    result = subprocess.run(
        [
            str(st),
            "--no-color",
            "--config-file",
            str(CONFIG),
            "run",
            f"{live_api}/api/openapi.json",
            "--checks",
            "all",
            "--max-examples",
            str(MAX_EXAMPLES),
            "--workers",
            "2",
            "--request-timeout",
            "10",
        ],
        cwd=tmp_path,  # its replay files (.schemathesis/) stay out of the work tree
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report[-6000:]
    assert re.search(rf"Selected: {operations}/{operations}\s+Tested: {operations}\b", report)
    assert "No issues found" in report
