"""The benchmark command: its in-process table covers every page type and feeds the targets.

Timings are not asserted (machines are noisy); the figures live in docs/benchmarks.md.
"""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from codes.management.commands.benchmark import _targets

pytestmark = pytest.mark.django_db


@pytest.fixture
def connections_kept_across_requests():
    """Request signals without close_old_connections, as in Django's test client.

    The command drives the WSGI handler itself; on PostgreSQL those signals would
    close the connection that holds the test's transaction.
    """
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def test_cpu_table_covers_every_page_type_and_the_calibration(connections_kept_across_requests):
    out = StringIO()
    call_command("benchmark", cpu_only=True, stdout=out)
    table = out.getvalue()
    for page in ("index", "code page", "search partial", "API record", "guide"):
        pattern = rf"^\| {page} `[^`]+` \| ([\d.]+) ms \| (\d+) \| [\d,]+ \|$"
        row = re.search(pattern, table, re.M)
        assert row, f"no row for {page}"
        assert float(row[1]) > 0
    assert re.search(r"^\| calibration: .* \| [\d.]+ ms \|", table, re.M)

    setups = ("nginx static", "nginx proxy cache", "gunicorn")
    targets = "\n".join(_targets(table, {("code page", s): 1000.0 for s in setups}))
    assert "| Behind the proxy cache, an anonymous code page at no less than 1/2 of static" in (
        targets
    )
    assert "100% of static | yes |" in targets and "| 1/1.0 | yes |" in targets
    assert len(re.findall(r"\| (yes|NO) \|$", targets, re.M)) == 5
