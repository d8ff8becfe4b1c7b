"""The benchmark command: its in-process table covers every page type and feeds the targets.

Only the format is asserted, on a three-render sample: timings are noise on a test
machine; the figures live in docs/benchmarks.md.
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


REQUIRED_ROWS = ("index", "code page", "search partial", "API record", "guide")
PAGE_ROW = re.compile(r"(?P<name>[\w ]+) `(?P<path>/[^`]*)`")
MS = re.compile(r"\d+\.\d+ ms")


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _cpu_table(text: str) -> tuple[list[str], list[list[str]]]:
    """The header and the rows of the markdown table under the CPU heading."""
    lines = text.splitlines()
    assert "## CPU per request in-process" in lines
    start = next(i for i, line in enumerate(lines) if line.startswith("| page |"))
    assert re.fullmatch(r"\|(-+\|)+", lines[start + 1]), lines[start + 1]
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append(_cells(line))
    return _cells(lines[start]), rows


def _number(header: str, cell: str) -> float:
    """A cell as a number, in the form its column promises."""
    if "queries" in header or "bytes" in header:
        assert re.fullmatch(r"\d{1,3}(,\d{3})*", cell), (header, cell)
        return int(cell.replace(",", ""))
    assert MS.fullmatch(cell), (header, cell)
    return float(cell.removesuffix(" ms"))


def test_cpu_table_has_a_row_per_page_type_and_every_figure_parses(
    connections_kept_across_requests,
):
    """The table's format on a small sample (--runs 3): rows may be added and columns
    changed, but every page type has its row and every figure reads as a number."""
    out = StringIO()
    call_command("benchmark", cpu_only=True, runs=3, stdout=out)
    table = out.getvalue()
    header, rows = _cpu_table(table)
    assert header[0] == "page"
    assert any("CPU" in name for name in header), header
    assert "SQL queries" in header and "HTML bytes" in header, header

    calibration = [row for row in rows if row[0].startswith("calibration: ")]
    assert len(calibration) == 1 and MS.fullmatch(calibration[0][1]), calibration
    pages = {}
    for row in rows:
        if row in calibration:
            continue
        assert len(row) == len(header), row
        match = PAGE_ROW.fullmatch(row[0])
        assert match, row[0]
        assert match["name"] not in pages, f"two rows for {match['name']}"
        pages[match["name"]] = dict(zip(header[1:], map(_number, header[1:], row[1:]), strict=True))
    assert set(REQUIRED_ROWS) <= set(pages), sorted(pages)
    assert all(figures["HTML bytes"] > 0 for figures in pages.values()), pages

    setups = ("nginx static", "nginx proxy cache", "gunicorn")
    targets = "\n".join(_targets(table, {("code page", s): 1000.0 for s in setups}))
    assert "## Targets (issue 13)" in targets
    assert "| 1.00 of static | yes |" in targets and "| 1/1.0 | yes |" in targets
    assert len(re.findall(r"\| (yes|NO) \|$", targets, re.M)) == 6


def test_benchsearch_measures_renders_not_cache_hits(connections_kept_across_requests):
    """It prints its figures, and the page cache stored nothing while it ran."""
    from django.core.cache import caches
    from django.test import RequestFactory

    from refsite.core import content_version
    from refsite.core.http_cache import page_key

    out = StringIO()
    call_command("benchsearch", rounds=1, stdout=out)
    text = out.getvalue()
    assert re.search(r"^median partial time: +[\d.]+ ms$", text, re.M), text
    assert re.search(r"^median partial size: +[\d,]+ bytes$", text, re.M), text
    factory = RequestFactory(HTTP_HOST="127.0.0.1")  # the host benchsearch uses
    request = factory.get("/", {"q": "rate limit"}, headers={"HX-Request": "true"})
    key = page_key(request, content_version.read().token)
    assert caches["pages"].get(key) is None


def test_sleepers_section_prints_the_code_page_latency_against_the_target():
    """Issue 14's figure: the code page's p50/p99 while 50 sleepers are kept going."""
    from codes.management.commands.benchmark import _sleepers_lines

    figures = {"sleepers": 50, "rps": 900.4, "p50": 14.35, "p99": 76.39, "answers": {200: 15}}
    text = "\n".join(_sleepers_lines({**figures, "answers": {200: 15, 503: 578}}, 15, 16, 5))
    assert "## Sleepers (issue 14)" in text and "50 clients" in text and "15 sleeping slots" in text
    assert "| 900 | 14.35 ms | 76.39 ms | yes | 15 | 578 | 0 |" in text
    slow = "\n".join(_sleepers_lines({**figures, "p99": 201.0}, 15, 16, 5))
    assert "| 201.00 ms | NO | 15 | 0 | 0 |" in slow
