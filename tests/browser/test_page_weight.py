"""Page weight: the index's HTML, CSS and JS, gzip-compressed, stay under 60 KB, and the
page asks nothing of any other origin. `pytest -s` prints the figures; docs/page-weight.md
records them and how they are measured."""

import gzip
from urllib.parse import urlparse

BUDGET = 60_000  # bytes, compressed: "under 60 KB", read strictly
# WhiteNoise compresses static files at gzip level 9 when they are collected; HTML is
# counted at level 6, what Django's GZipMiddleware and most proxies use.
STATIC_LEVEL = 9
HTML_LEVEL = 6
COUNTED = {"document", "stylesheet", "script"}


def origin(url: str) -> str:
    parts = urlparse(url)
    return f"{parts.scheme}://{parts.netloc}"


def test_index_page_weight_and_no_third_party_requests(page, live_server, screenshot_dir):
    requests = []
    page.on("request", lambda request: requests.append(request))
    page.goto("/", wait_until="networkidle")

    foreign = [r.url for r in requests if not r.url.startswith("data:")]
    foreign = [url for url in foreign if origin(url) != live_server.url]
    assert foreign == [], "requests to other origins"

    rows = []
    for request in requests:
        if request.resource_type not in COUNTED:
            continue
        body = request.response().body()
        level = HTML_LEVEL if request.resource_type == "document" else STATIC_LEVEL
        compressed = len(gzip.compress(body, compresslevel=level, mtime=0))
        rows.append((urlparse(request.url).path, request.resource_type, len(body), compressed))

    kinds = {kind for _, kind, _, _ in rows}
    assert kinds == COUNTED, f"expected HTML, CSS and JS, got {kinds}"
    raw = sum(r[2] for r in rows)
    total = sum(r[3] for r in rows)
    lines = [f"{'resource':<42} {'type':<11} {'raw':>9} {'gzip':>9}"]
    lines += [f"{path:<42} {kind:<11} {size:>9,} {packed:>9,}" for path, kind, size, packed in rows]
    lines.append(f"{'total':<42} {'':<11} {raw:>9,} {total:>9,}  (budget {BUDGET:,})")
    report = "\n".join(lines)
    print(f"\nIndex page weight, as the browser fetched it:\n{report}")
    (screenshot_dir.parent / "page-weight.txt").write_text(report + "\n")
    assert total < BUDGET, report
