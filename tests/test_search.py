"""The search module's rules: signals, ordering, explanations, and input it must survive."""

import pytest
from django.template import Context, Template
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codes.catalogue import get_catalogue
from codes.models import StatusCode
from codes.search.text import squash, stem, tokens
from codes.templatetags.catalogue import highlight

pytestmark = pytest.mark.django_db


def _codes(query):
    return [m.row.code for m in get_catalogue().search.search(query)]


def test_exact_number_returns_every_meaning_registered_first():
    results = get_catalogue().search.search("451")
    assert [(m.row.code, m.row.slug) for m in results] == [(451, ""), (451, "exchange")]
    assert results[0].reason == "number"


def test_registered_before_unofficial_at_equal_relevance():
    results = get_catalogue().search.search("5xx")
    codes = [m.row for m in results]
    assert codes[0].code == 500
    ranks = {(row.code, row.is_unofficial): i for i, row in enumerate(codes)}
    assert all(
        ranks[(code, False)] < i
        for (code, unofficial), i in ranks.items()
        if unofficial and (code, False) in ranks
    )


def test_unofficial_only_number_lists_all_vendor_meanings():
    assert {m.row.vendor for m in get_catalogue().search.search("499")} == {
        "nginx",
        "Esri ArcGIS Server",
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("4xx", range(400, 500)),
        ("40x", range(400, 410)),
        ("5**", range(500, 600)),
        ("41", range(410, 420)),
        ("2", range(200, 300)),
    ],
)
def test_patterns_cover_exactly_their_range(query, expected):
    codes = _codes(query)
    assert codes and all(code in expected for code in codes)
    assert codes[0] == min(codes)
    registered = [
        m.row.code for m in get_catalogue().search.search(query) if not m.row.is_unofficial
    ]
    assert registered == sorted(registered)


def test_number_inside_text_wins():
    assert _codes("HTTP/1.1 503 Service Unavailable")[0] == 503
    assert _codes("got a 502 from nginx")[0] == 502


def test_typing_a_prefix_already_finds_the_phrase():
    assert _codes("too many req")[0] == 429
    assert _codes("unprocessab")[0] == 422


def test_constants_ignore_case_and_separators():
    for query in (
        "too_many_requests",
        "TooManyRequests",
        "TOO-MANY-REQUESTS",
        "StatusTooManyRequests",
        "HTTP_TOO_MANY_REQUESTS",
    ):
        assert _codes(query)[0] == 429, query


def test_results_say_why_they_matched_with_escaped_highlights():
    match = get_catalogue().search.search("rate limit")[0]
    assert match.row.code == 429
    assert match.reason == "keyword"
    template = Template("{% load catalogue %}{{ match.text|highlight:match.words }}")
    html = template.render(Context({"match": match}))
    assert "<mark>rate</mark>" in html and "<mark>limit</mark>" in html


def test_highlight_escapes_markup():
    html = highlight("<script>alert('rate')</script> rate", {"rate"})
    assert "<script>" not in html
    assert "&lt;script&gt;" in html and "<mark>rate</mark>" in html


def test_editor_keywords_tune_results_without_code_changes():
    assert _codes("coffee machine") == [] or _codes("coffee machine")[0] != 402
    code = StatusCode.objects.get(code=402, slug="")
    code.keywords += ", coffee machine"
    code.save()
    assert _codes("coffee machine")[0] == 402


def test_normalisation_helpers():
    assert stem("unauthorised") == stem("unauthorized")
    assert tokens("StatusTooManyRequests", split_camel=True) == ["statu", "too", "many", "request"]
    assert tokens("ETag") == ["etag"]
    assert tokens("HTTP_429_TOO_MANY") == ["http", "429", "too", "many"]
    assert squash(":unprocessable_entity") == "unprocessableentity"


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "x" * 200,
        "\u200b",
        "🙂🙃",
        "<script>alert(1)</script>",
        "%",
        "'; drop table x; --",
        "٤٠٤",
        "１２３",
        "\\",
        "*",
        "**",
        "xx",
        "0",
        "000",
        "99999",
        "\ufeff404",
    ],
)
def test_nasty_strings_never_break_the_module(query):
    results = get_catalogue().search.search(query)
    assert isinstance(results, list)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=300))
def test_search_module_accepts_any_string(query):
    results = get_catalogue().search.search(query)
    assert all(match.score > 0 for match in results)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=250))
def test_search_view_never_answers_500(client, query):
    for headers in ({}, {"HX-Request": "true"}):
        response = client.get(reverse("codes:index"), {"q": query}, headers=headers)
        assert response.status_code in (200, 302, 400), (query, response.status_code)
