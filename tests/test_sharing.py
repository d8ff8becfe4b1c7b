"""Permalinks that unfurl well: anchors, copy link, social cards, short links, snippets."""

import io

import pytest
from PIL import Image

pytestmark = pytest.mark.django_db


def test_section_anchors_are_stable_and_linkable(client):
    html = client.get("/429/").content.decode()
    for anchor in (
        "description",
        "when-to-use",
        "headers",
        "retry-after",
        "constants",
        "faq",
        "send-it",
        "raw-response",
        "problem-details",
    ):
        assert f'id="{anchor}"' in html, anchor
    assert 'class="anchor" href="#when-to-use"' in html


def test_social_card_tags_and_image(client):
    html = client.get("/404/").content.decode()
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert '<meta property="og:image" content="http://testserver/404/card.png">' in html
    response = client.get("/404/card.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, max-age=86400"
    assert Image.open(io.BytesIO(response.content)).size == (1200, 630)
    again = client.get("/404/card.png", headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304


def test_card_colour_follows_the_class(client):
    def stripe(path):
        image = Image.open(io.BytesIO(client.get(path).content)).convert("RGB")
        return image.getpixel((10, 300))

    assert stripe("/404/card.png") == (0x9A, 0x34, 0x12)
    assert stripe("/503/card.png") == (0x99, 0x1B, 0x1B)
    assert client.get("/299/card.png").status_code == 404


@pytest.mark.parametrize(
    ("path", "target"), [("/s/404", "/404/"), ("/s/404/", "/404/"), ("/404", "/404/")]
)
def test_short_links_redirect_permanently(client, path, target):
    response = client.get(path)
    assert response.status_code == 301
    assert response["Location"] == target


def test_short_link_to_an_unknown_code_is_404(client):
    assert client.get("/s/299").status_code == 404


def test_snippets_use_the_real_constants(client):
    html = client.get("/429/").content.decode()
    for text in (
        "HTTPStatus.TOO_MANY_REQUESTS",
        "http.StatusTooManyRequests",
        "HttpStatus.TOO_MANY_REQUESTS",
        "head :too_many_requests",
        "res.status(429)",
    ):
        assert text in html, text
    assert "HTTP/1.1 429 Too Many Requests" in html and "Retry-After: 120" in html
    assert "application/problem+json" in html


def test_snippets_fall_back_to_numbers_when_no_constant_exists(client):
    html = client.get("/104/").content.decode()
    assert "w.WriteHeader(104) // net/http has no constant for 104" in html
    assert "problem-details" not in html  # no error body for a 1xx


def test_no_body_in_the_raw_204_example(client):
    html = client.get("/204/").content.decode()
    raw = html.split('id="raw-response"')[1].split("</pre>")[0]
    assert "Content-Length" not in raw


def test_guides_get_cards_too(client):
    html = client.get("/guides/401-vs-403/").content.decode()
    assert 'content="http://testserver/guides/401-vs-403/card.png"' in html
    response = client.get("/guides/401-vs-403/card.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(response.content)).size == (1200, 630)
    assert client.get("/guides/nope/card.png").status_code == 404
