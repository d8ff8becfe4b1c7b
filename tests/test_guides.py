"""Guide pages: the list, articles, drafts, tags, and the code pages that point to guides."""

import json
import re
from datetime import timedelta
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone

from codes.models import FAQ
from guides.models import Guide

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return Guide.objects.create(
        title="Secret draft about 418",
        slug="secret-draft",
        summary="Not yet.",
        body="## Heading\n\nDraft text about 418.",
        status=Guide.Status.DRAFT,
    )


@pytest.fixture
def scheduled():
    return Guide.objects.create(
        title="Tomorrow's guide",
        slug="tomorrow",
        summary="Soon.",
        body="Text.",
        status=Guide.Status.PUBLISHED,
        published_at=timezone.now() + timedelta(days=1),
    )


@pytest.fixture
def editor_client(client):
    user = get_user_model().objects.create_user("ed", password="x" * 12, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_guide"))
    client.force_login(user)
    return client


def test_fixture_guides_are_published_with_faqs():
    guides = Guide.objects.published()
    assert guides.count() == 9
    for guide in guides:
        assert 3 <= guide.faqs.count() <= 6, guide.slug
        assert guide.related_codes.exists()


def test_list_shows_guides_newest_first_with_summary_tags_and_reading_time(client):
    response = client.get("/guides/")
    assert response.status_code == 200
    html = response.content.decode()
    titles = re.findall(r'<h3><a href="/guides/[^"]+/">([^<]+)</a></h3>', html)
    expected = list(
        Guide.objects.published().order_by("-published_at").values_list("title", flat=True)
    )
    assert titles == [t.replace("'", "&#x27;") for t in expected] or titles == expected
    assert "min read" in html
    assert 'class="tag" href="/guides/tags/basics/"' in html


def test_list_filters_as_you_type_with_a_partial(client):
    response = client.get("/guides/", {"q": "etag"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert "/guides/caching-etags-304/" in html
    assert "/guides/401-vs-403/" not in html
    assert "HX-Request" in response["Vary"]
    full = client.get("/guides/", {"q": "etag"}).content.decode()
    assert "<html" in full and "/guides/caching-etags-304/" in full


def test_guide_page_has_contents_reading_time_faqs_and_related_codes(client):
    response = client.get("/guides/caching-etags-304/")
    assert response.status_code == 200
    html = response.content.decode()
    guide = Guide.objects.get(slug="caching-etags-304")
    assert f'<h1 id="guide-title">{guide.title}</h1>' in html
    assert guide.reading_time in html
    assert 'class="toc"' in html
    # Every contents entry points at a heading id that exists in the article.
    for anchor in re.findall(r'<li class="toc-\d"><a href="#([^"]+)"', html):
        assert f'id="{anchor}"' in html
    for faq in guide.faqs.all():
        assert faq.question in unescape(html)
    assert 'href="/304/"' in html


def test_code_blocks_are_highlighted_on_the_server(client):
    html = client.get("/guides/caching-etags-304/").content.decode()
    assert '<div class="highlight">' in html
    assert "pygments.css" in html
    assert "<script src" not in html.split("</head>")[1]  # no client-side highlighter


def test_drafts_and_future_guides_are_invisible_to_the_public(client, draft, scheduled):
    for guide in (draft, scheduled):
        assert client.get(guide.get_absolute_url()).status_code == 404
        html = client.get("/guides/").content.decode()
        assert guide.title not in html
    assert "secret-draft" not in client.get("/sitemap.xml").content.decode()
    assert "secret-draft" not in client.get("/guides/feed/").content.decode()
    assert "Secret draft" not in client.get("/", {"q": "secret draft"}).content.decode()


def test_editors_can_preview_drafts(editor_client, draft, scheduled):
    response = editor_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Preview: this guide is a draft" in response.content.decode()
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    response = editor_client.get(scheduled.get_absolute_url())
    assert "scheduled for" in response.content.decode()


def test_tag_page_lists_its_guides(client):
    response = client.get("/guides/tags/caching/")
    assert response.status_code == 200
    assert "/guides/caching-etags-304/" in response.content.decode()
    assert client.get("/guides/tags/no-such-tag/").status_code == 404


def test_code_page_lists_the_guides_about_it(client):
    html = client.get("/401/").content.decode()
    assert "Guides that cover 401" in html
    assert "/guides/401-vs-403/" in html


def test_code_page_lists_a_guide_that_only_links_it(client):
    guide = Guide.objects.create(
        title="Teapots in production",
        slug="teapots",
        summary="A story.",
        body="Some sites answer 418 to bots.",
        status=Guide.Status.PUBLISHED,
    )
    assert not guide.related_codes.exists()
    assert "/guides/teapots/" in client.get("/418/").content.decode()


def test_site_search_returns_guides_and_faqs_below_codes(client):
    html = client.get("/", {"q": "etag"}).content.decode()
    assert "Guides and questions" in html
    codes_at = html.index('class="code-list"')
    guides_at = html.index("Guides and questions")
    assert codes_at < guides_at
    assert '<span class="badge badge-kind">Guide</span>' in html
    assert '<span class="badge badge-kind">FAQ</span>' in html


def test_faq_must_belong_to_exactly_one_parent():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        FAQ.objects.create(question="Orphan?", answer="No parent.")


def test_wrong_methods_on_guide_pages(client):
    for path in ("/guides/", "/guides/401-vs-403/", "/guides/tags/caching/"):
        response = client.post(path)
        assert response.status_code == 405
        assert response["Allow"] == "GET, HEAD"


def test_guide_json_ld_is_valid(client):
    html = client.get("/guides/400-vs-422/").content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = [json.loads(block) for block in blocks]
    types = {item["@type"] for item in data}
    assert types == {"Article", "FAQPage"}
    article = next(item for item in data if item["@type"] == "Article")
    assert article["headline"] == "400 vs 422"
    faq = next(item for item in data if item["@type"] == "FAQPage")
    assert len(faq["mainEntity"]) == Guide.objects.get(slug="400-vs-422").faqs.count()
