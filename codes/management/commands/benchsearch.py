"""Benchmark the search partial: server-side time and response size per keystroke.

Runs the real request path (middleware, view, search, template) in-process,
with the page cache bypassed so every request really searches and renders,
through Django's test client against the configured database, for a mix of 50
queries (numbers, patterns, phrases, prefixes as typed, typos, symptoms, log
lines, constants), and prints medians. Not a test: figures, to compare runs.
"""

import statistics
import time

from django.core.management.base import BaseCommand
from django.test import Client
from django.urls import reverse

from refsite.core.http_cache import bypassing_page_cache

QUERIES = [
    "404",
    "5",
    "50",
    "4xx",
    "40x",
    "5**",
    "n",
    "no",
    "not",
    "not f",
    "not found",
    "too many",
    "too many requests",
    "rate limit",
    "rate limited",
    "throttled",
    "unauthorised",
    "forbiden",
    "gatway timout",
    "teapott",
    "interal server error",
    "file too big",
    "not logged in",
    "permission denied",
    "validation error",
    "duplicate key",
    "cookie too large",
    "upstream timed out",
    "no live upstreams",
    "HTTP/1.1 503 Service Unavailable",
    "csrf token mismatch",
    "HTTP_429_TOO_MANY_REQUESTS",
    "StatusTooManyRequests",
    ":unprocessable_entity",
    "HttpStatus.NOT_FOUND",
    "too_many_requests",
    "nginx 499",
    "cloudflare 522",
    "error 520",
    "enhance your calm",
    "precondition failed",
    "retry-after",
    "etag",
    "see other",
    "partial content",
    "websocket upgrade",
    "captive portal",
    "moved permanently",
    "payload too large",
    "zzzz nothing matches this",
]


class Command(BaseCommand):
    help = "Print the median server-side time and size of the htmx search partial."

    def add_arguments(self, parser):
        parser.add_argument("--rounds", type=int, default=20)

    def handle(self, *args, rounds, **options):
        with bypassing_page_cache():  # measure the search and the render, not a cache hit
            self._measure(rounds)

    def _measure(self, rounds: int) -> None:
        client = Client(HTTP_HOST="127.0.0.1", headers={"HX-Request": "true"})
        url = reverse("codes:index")
        client.get(url, {"q": "warm up"})  # build the search index once
        per_query = []
        sizes = []
        for query in QUERIES:
            timings = []
            for _ in range(rounds):
                start = time.perf_counter()
                response = client.get(url, {"q": query})
                timings.append(time.perf_counter() - start)
            assert response.status_code == 200, (query, response.status_code)
            per_query.append(statistics.median(timings))
            sizes.append(len(response.content))
        ms = [t * 1000 for t in per_query]
        self.stdout.write(f"queries: {len(QUERIES)}, rounds each: {rounds}")
        self.stdout.write(f"median partial time: {statistics.median(ms):.2f} ms")
        self.stdout.write(f"p90 partial time:    {statistics.quantiles(ms, n=10)[-1]:.2f} ms")
        self.stdout.write(f"slowest query:       {max(ms):.2f} ms ({QUERIES[ms.index(max(ms))]!r})")
        self.stdout.write(f"median partial size: {statistics.median(sizes):,.0f} bytes")
        self.stdout.write(f"largest partial:     {max(sizes):,} bytes")
