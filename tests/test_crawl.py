"""Follow every internal link from the main pages: nothing answers 5xx, nothing is broken."""

import re
from collections import deque

import pytest

# Renders every page it can reach, well over a thousand.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

START = ["/", "/guides/", "/choose/", "/api/", "/4xx/", "/299/"]
SKIP = ("/admin/", "/static/", "/accounts/logout/", "/status/")  # /status/ answers on purpose
HREF = re.compile(r'href="(/[^"#]*)')


def test_every_internal_link_works(client):
    seen, queue, problems = set(START), deque(START), []
    while queue and len(seen) < 1500:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code >= 500 or response.status_code == 404 and path not in START:
            problems.append((path, response.status_code))
            continue
        if "html" not in response.get("Content-Type", ""):
            continue
        for link in HREF.findall(response.content.decode()):
            link = link.replace("&amp;", "&")
            if link not in seen and not link.startswith(SKIP):
                seen.add(link)
                queue.append(link)
    assert not problems, problems[:20]
    assert len(seen) > 300  # codes, classes, guides, tags, steps, comparisons, API pages
