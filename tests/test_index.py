"""The index page: every code grouped by class, and the filter that works with and without htmx."""

import pytest
from django.urls import reverse

from codes.models import StatusCode

pytestmark = pytest.mark.django_db

INDEX = reverse("codes:index")


def test_index_lists_every_published_code_grouped_by_class(client):
    response = client.get(INDEX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="code-row') == StatusCode.objects.published().count()
    for label in (
        "1xx Informational",
        "2xx Success",
        "3xx Redirection",
        "4xx Client error",
        "5xx Server error",
        "Outside the standard range",
    ):
        assert label in html
    assert "<html" in html and 'id="results"' in html


def test_index_rows_show_badges_for_unofficial_and_registry_status(client):
    html = client.get(INDEX).content.decode()
    assert "Unofficial · nginx" in html
    assert "Unofficial · Cloudflare" in html
    assert 'badge-temporary">Temporary' in html
    assert 'badge-unused">Unused' in html
    assert 'badge-obsolete">Obsolete' in html


def test_htmx_request_gets_only_the_partial(client, htmx_headers):
    response = client.get(INDEX, {"q": "404"}, headers=htmx_headers)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "<form" not in html
    assert 'href="/404/"' in html
    assert 'hx-swap-oob="innerHTML"' in html  # the live result count
    assert "HX-Request" in response["Vary"]


def test_plain_request_with_the_same_url_gets_the_full_page(client):
    response = client.get(INDEX, {"q": "not found"})
    html = response.content.decode()
    assert "<html" in html and "<form" in html
    assert 'href="/404/"' in html
    assert 'value="not found"' in html  # the search box keeps the query


def test_plain_submit_of_a_known_number_goes_to_its_page(client):
    response = client.get(INDEX, {"q": " 429 "})
    assert response.status_code == 302
    assert response["Location"] == "/429/"
    # An unused number shows the (empty) results page instead.
    assert client.get(INDEX, {"q": "299"}).status_code == 200


def test_history_restore_request_gets_the_full_page(client, htmx_headers):
    headers = {**htmx_headers, "HX-History-Restore-Request": "true"}
    html = client.get(INDEX, {"q": "gone"}, headers=headers).content.decode()
    assert "<html" in html


def test_search_form_is_wired_for_htmx_and_works_without_it(client):
    html = client.get(INDEX).content.decode()
    assert f'action="{INDEX}" method="get"' in html
    assert f'hx-get="{INDEX}"' in html
    assert 'hx-push-url="true"' in html
    assert 'hx-sync="this:replace"' in html
    assert "delay:200ms" in html
    assert 'hx-target="#results"' in html
    assert 'role="status"' in html


def _codes_in(response):
    return [
        row.split('"')[0]
        for row in response.content.decode().split('class="code-link" href="/')[1:]
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("not found", "404/"),
        ("too many requests", "429/"),
        ("rate limit", "429/"),
        ("teapot", "418/"),
    ],
)
def test_search_finds_by_number_phrase_and_keywords(client, query, expected):
    found = _codes_in(client.get(INDEX, {"q": query}))
    assert found and found[0] == expected


def test_class_pattern_matches_the_whole_class(client):
    found = _codes_in(client.get(INDEX, {"q": "4xx"}))
    assert found[0] == "400/"
    assert all(code.startswith("4") for code in found)
    assert len(found) == StatusCode.objects.published().in_class(4).count()


def test_digit_pattern_matches_a_range(client):
    found = {code.split("/")[0] for code in _codes_in(client.get(INDEX, {"q": "50x"}))}
    assert found == {"500", "501", "502", "503", "504", "505", "506", "507", "508", "509"}


def test_class_filter_and_unofficial_filter(client):
    only_5xx = _codes_in(client.get(INDEX, {"cls": "5"}))
    assert only_5xx and all(code.startswith("5") for code in only_5xx)
    hidden = client.get(INDEX, {"unofficial": "exclude"}).content.decode()
    assert "Unofficial ·" not in hidden
    only = _codes_in(client.get(INDEX, {"unofficial": "only"}))
    assert len(only) == StatusCode.objects.unofficial().count()


def test_empty_result_says_so_and_offers_a_way_back(client):
    response = client.get(INDEX, {"q": "zzzzqqqq"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "No status code matches" in html
    assert f'href="{INDEX}"' in html


@pytest.mark.parametrize(
    "params",
    [{"cls": "9"}, {"cls": "abc"}, {"unofficial": "maybe"}, {"q": "x" * 10_000}],
)
def test_bad_parameters_answer_400_with_the_page(client, params):
    response = client.get(INDEX, params)
    assert response.status_code == 400
    assert "could not run" in response.content.decode()


def test_a_nul_in_the_search_is_a_400_before_the_view(client):
    """The site-wide NUL rule (refsite/core/middleware.py) answers first."""
    response = client.get(INDEX, {"q": "a\x00b"})
    assert response.status_code == 400
    assert b"NUL" in response.content


@pytest.mark.parametrize(
    "query", ["<script>alert(1)</script>", "'; drop table codes_statuscode; --", "%", "🙂", "   "]
)
def test_nasty_queries_are_handled_and_escaped(client, query):
    response = client.get(INDEX, {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert StatusCode.objects.filter(code=404).exists()


def test_wrong_method_is_405_with_allow(client):
    response = client.post(INDEX)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert "405 Method Not Allowed" in response.content.decode()


def test_head_is_allowed(client):
    assert client.head(INDEX).status_code == 200


def test_unicode_digits_are_read_as_a_number(client):
    response = client.get(INDEX, {"q": "٤٠٤"})  # Arabic-Indic digits
    assert response.status_code == 302
    assert response["Location"] == "/404/"


def test_listing_rows_escape_editor_text_everywhere_they_appear(client, htmx_headers):
    """Editor text in listing rows (codes/_code_list.html) is escaped on all three pages."""
    row = StatusCode.objects.get(code=418, slug="")
    row.phrase = 'Tea <b>pot</b> & "kettle"'
    row.summary = '<img src=x onerror="alert(1)">Short and stout'
    row.save()
    vendor_row = StatusCode.objects.filter(status="unofficial", code=499).first()
    vendor_row.vendor = "<i>Acme</i>"
    vendor_row.save()

    pages = [
        client.get(INDEX).content.decode(),
        client.get("/4xx/").content.decode(),
        client.get(INDEX, {"q": "kettle"}, headers=htmx_headers).content.decode(),
    ]
    for html in pages[:2]:
        assert "Unofficial · &lt;i&gt;Acme&lt;/i&gt;" in html and "<i>Acme</i>" not in html
    for html in pages:
        assert "Tea &lt;b&gt;pot&lt;/b&gt; &amp; &quot;kettle&quot;" in html
        assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;Short and stout" in html
        assert "<b>pot</b>" not in html and "<img src=x" not in html
