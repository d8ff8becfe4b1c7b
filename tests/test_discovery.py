"""Feeds and discovery: the Atom feed, sitemap.xml, robots.txt, and JSON-LD on code pages."""

import json
import re
import xml.etree.ElementTree as ET

import pytest

from codes.models import StatusCode
from guides.models import Guide

pytestmark = pytest.mark.django_db

ATOM = {"a": "http://www.w3.org/2005/Atom"}
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def test_atom_feed_lists_published_guides(client):
    response = client.get("/guides/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    titles = {e.find("a:title", ATOM).text for e in root.findall("a:entry", ATOM)}
    assert titles == set(Guide.objects.published().values_list("title", flat=True))


@pytest.mark.parametrize("path", ["/", "/404/", "/guides/"])
def test_feed_is_linked_from_every_page_head(client, path):
    head = client.get(path).content.decode().split("</head>")[0]
    assert 'rel="alternate" type="application/atom+xml"' in head and "/guides/feed/" in head


def test_sitemap_lists_codes_classes_guides_and_tags_with_lastmod(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    urls = {u.find("s:loc", SITEMAP).text: u.find("s:lastmod", SITEMAP) for u in root}
    numbers = set(StatusCode.objects.published().values_list("code", flat=True))
    for number in numbers:
        assert f"http://testserver/{number}/" in urls
    for digit in "12345":
        assert f"http://testserver/{digit}xx/" in urls
    for slug in Guide.objects.published().values_list("slug", flat=True):
        assert f"http://testserver/guides/{slug}/" in urls
    assert "http://testserver/guides/tags/caching/" in urls
    assert all(lastmod is not None and lastmod.text for lastmod in urls.values())
    assert len([u for u in urls if re.search(r"/\d{3}/$", u)]) == len(numbers)


def test_unpublished_code_is_not_in_the_sitemap(client):
    code = StatusCode.objects.get(code=226)
    code.published = False
    code.save()
    assert "http://testserver/226/" not in client.get("/sitemap.xml").content.decode()


def test_robots_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


def test_code_page_faq_json_ld_is_valid_and_escaped(client):
    code = StatusCode.objects.get(code=404, slug="")
    faq = code.faqs.first()
    faq.question = "Is </script><script>alert(1)</script> safe?"
    faq.save()
    html = client.get("/404/").content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    assert data["@type"] == "FAQPage"
    assert data["mainEntity"][0]["name"] == faq.question
    assert "<script>alert(1)" not in html
