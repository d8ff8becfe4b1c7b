"""The site is a search provider browsers can add."""

import xml.etree.ElementTree as ET

import pytest

pytestmark = pytest.mark.django_db

NS = {"os": "http://a9.com/-/spec/opensearch/1.1/"}


def test_opensearch_description_is_valid_and_points_at_the_search(client):
    response = client.get("/opensearch.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/opensearchdescription+xml")
    root = ET.fromstring(response.content)
    urls = root.findall("os:Url", NS)
    html = [u for u in urls if u.get("type") == "text/html"]
    assert html[0].get("template") == "http://testserver/?q={searchTerms}"
    assert root.find("os:ShortName", NS).text


@pytest.mark.parametrize("path", ["/", "/404/", "/4xx/", "/no-such-page/"])
def test_every_page_links_the_description_and_has_a_search_box(client, path):
    html = client.get(path).content.decode()
    assert 'rel="search" type="application/opensearchdescription+xml"' in html
    assert 'role="search"' in html


def test_the_template_url_works(client):
    response = client.get("/", {"q": "rate limit"})
    assert response.status_code == 200
    assert 'href="/429/"' in response.content.decode()
