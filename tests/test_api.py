"""The JSON API: schema validity, every endpoint's statuses, problem details, CORS, caching,
HEAD, 406, the per-address limit, and 500/503 as problem details."""

import re

import pytest
from django.db import OperationalError
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_spec
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from codes.models import StatusCode
from guides.models import Guide
from refsite.core import throttle
from refsite.core.validators import NO_CONTROL_CHARACTERS, has_control_characters

pytestmark = pytest.mark.django_db


@pytest.fixture
def spec(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def _validator(spec, path, status="200"):
    schema = spec["paths"][path]["get"]["responses"][status]["content"]["application/json"][
        "schema"
    ]
    registry = Registry().with_resource(
        "urn:spec", Resource.from_contents(spec, default_specification=DRAFT202012)
    )
    return Draft202012Validator({"$ref": "urn:spec" + schema["$ref"]}, registry=registry)


def test_schema_is_valid_openapi(spec):
    validate_spec(spec)
    assert spec["openapi"].startswith("3.")
    assert {"/api/codes/", "/api/codes/{code}/", "/api/guides/", "/api/guides/{slug}/"} <= set(
        spec["paths"]
    )


@pytest.mark.parametrize(
    ("path", "url"),
    [
        ("/api/codes/", "/api/codes/"),
        ("/api/codes/", "/api/codes/?class=4xx&status=unofficial"),
        ("/api/codes/", "/api/codes/?q=rate+limit"),
        ("/api/codes/{code}/", "/api/codes/404/"),
        ("/api/codes/{code}/", "/api/codes/499/"),
        ("/api/codes/{code}/", "/api/codes/104/"),
        ("/api/guides/", "/api/guides/"),
        ("/api/guides/{slug}/", "/api/guides/401-vs-403/"),
    ],
)
def test_real_responses_validate_against_the_schema(client, spec, path, url):
    response = client.get(url)
    assert response.status_code == 200
    _validator(spec, path).validate(response.json())


def test_code_record_has_every_field(client):
    data = client.get("/api/codes/429/").json()
    assert data["code"] == 429 and data["phrase"] == "Too Many Requests"
    assert data["status_class"] == "4xx" and data["status"] == "registered"
    assert data["spec"]["url"] == "https://www.rfc-editor.org/rfc/rfc6585.html#section-4"
    assert any(c["name"] == "StatusTooManyRequests" for c in data["constants"])
    assert any(h["name"] == "Retry-After" for h in data["headers"])
    assert len(data["faqs"]) >= 2
    assert data["url"] == "http://testserver/429/"
    assert data["other_meanings"] == []


def test_other_meanings_come_with_the_number(client):
    data = client.get("/api/codes/499/").json()
    assert data["vendor"] == "nginx"
    assert [m["vendor"] for m in data["other_meanings"]] == ["Esri ArcGIS Server"]


def test_filters(client):
    five = client.get("/api/codes/", {"class": "5"}).json()
    assert five["count"] == StatusCode.objects.published().in_class(5).count()
    nginx = client.get("/api/codes/", {"vendor": "nginx"}).json()
    assert {r["code"] for r in nginx["results"]} == {444, 494, 495, 496, 497, 499}
    searched = client.get("/api/codes/", {"q": "gatway timout"}).json()
    assert searched["results"][0]["code"] == 504
    obsolete = client.get("/api/codes/", {"status": "obsolete"}).json()
    assert [r["code"] for r in obsolete["results"]] == [510]


@pytest.mark.parametrize(
    "url", ["/api/codes/299/", "/api/codes/1000/", "/api/guides/no-such-guide/", "/api/nothing/"]
)
def test_unknown_things_are_404_problem_details(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 404 and body["title"] == "Not Found" and body["detail"]
    assert body["instance"] == url


@pytest.mark.parametrize(
    "params",
    [{"class": "9"}, {"status": "maybe"}, {"q": "x" * 500}, {"q": "a\x01b"}, {"vendor": "v" * 200}],
)
def test_bad_parameters_are_400_problem_details(client, params):
    response = client.get("/api/codes/", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 400


def test_draft_guides_are_not_in_the_api(client):
    Guide.objects.create(title="Draft", slug="draft-x", summary="s", body="b")
    assert "draft-x" not in client.get("/api/guides/").content.decode()
    assert client.get("/api/guides/draft-x/").status_code == 404


def test_cors_allows_any_origin_for_get(client):
    response = client.get("/api/codes/404/", headers={"Origin": "https://elsewhere.example"})
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/codes/404/",
        headers={"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 204
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]


def test_etag_cache_control_and_304(client):
    response = client.get("/api/codes/404/")
    assert response["Cache-Control"] == "public, max-age=300"
    etag = response["ETag"]
    again = client.get("/api/codes/404/", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Access-Control-Allow-Origin"] == "*"
    code = StatusCode.objects.get(code=404, slug="")
    code.summary = "Changed by an editor."
    code.save()
    changed = client.get("/api/codes/404/", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.json()["summary"] == "Changed by an editor."


def test_write_methods_are_refused_with_problem_details(client):
    response = client.post("/api/codes/404/")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert "GET" in response["Allow"]


def test_human_api_page(client):
    response = client.get("/api/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/api/openapi.json" in html and "GET /api/codes/{code}/" in html


@pytest.mark.parametrize("code", ["9" * 40, "-1", "0"])
def test_out_of_range_numbers_are_404_not_500(client, code):
    response = client.get(f"/api/codes/{code}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


# A real value for each path parameter, so every GET operation in the document gets
# a HEAD. A new parameter without a sample fails here, not silently.
PATH_SAMPLES = {"code": "404", "slug": "401-vs-403"}


def _get_operations(spec) -> list[str]:
    urls = []
    for path, operations in spec["paths"].items():
        if "get" in operations:
            urls.append(re.sub(r"{(\w+)}", lambda m: PATH_SAMPLES[m.group(1)], path))
    return urls


def test_head_answers_like_get_on_every_get_operation(client, spec):
    urls = _get_operations(spec)
    assert len(urls) == len(spec["paths"]) >= 4
    # and the errors: a 404, a 400, the document itself
    urls += ["/api/codes/299/", "/api/codes/abc/", "/api/codes/?class=9", "/api/openapi.json"]
    for url in urls:
        head = client.head(url)  # first, on an empty page cache: it must not need a GET
        get = client.get(url)
        assert head.status_code == get.status_code, url
        assert head.status_code != 405, url
        assert dict(head.items()) == dict(get.items()), url
        assert head.content == b"", url
        assert int(head["Content-Length"]) == len(get.content) > 0, url


def test_head_is_answered_304_like_get(client):
    etag = client.get("/api/codes/404/")["ETag"]
    head = client.head("/api/codes/404/", headers={"If-None-Match": etag})
    assert head.status_code == 304 and head["ETag"] == etag


def test_405_names_head_beside_get(client):
    response = client.delete("/api/guides/")
    assert response.status_code == 405
    assert [m.strip() for m in response["Allow"].split(",")] == ["GET", "HEAD"]
    assert response.json()["detail"] == "DELETE is not allowed here. Allowed: GET, HEAD."


def _assert_problem(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["type"] == "about:blank"
    assert body["title"] and body["detail"] and body["instance"]
    assert "Traceback" not in response.content.decode()
    return body


@pytest.fixture
def server_errors_answered(client, settings):
    """The test client answers an exception as production does (DEBUG off)."""
    settings.DEBUG = False
    client.raise_request_exception = False
    return client


def test_an_unhandled_exception_in_the_api_is_a_500_problem(server_errors_answered, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("codes.api.get_catalogue", broken)
    response = server_errors_answered.get("/api/codes/404/")
    body = _assert_problem(response, 500)
    assert body["instance"] == "/api/codes/404/" and "a bug" not in body["detail"]
    assert response["Cache-Control"] == "no-store"
    assert response["Access-Control-Allow-Origin"] == "*"
    # Pages keep the HTML 500.
    monkeypatch.setattr("codes.views.get_catalogue", broken)
    page = server_errors_answered.get("/404/")
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")


def test_database_down_in_the_api_is_a_503_problem_with_retry_after(
    server_errors_answered, monkeypatch
):
    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("guides.api.get_library", unreachable)
    response = server_errors_answered.get("/api/guides/")
    _assert_problem(response, 503)
    assert response["Retry-After"] == "30" and response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("accept", ["text/html", "image/png", "text/plain, text/html;q=0.5"])
def test_an_accept_without_json_is_406(client, accept):
    response = client.get("/api/codes/404/", headers={"Accept": accept})
    _assert_problem(response, 406)
    assert "Access-Control-Allow-Origin" in response


@pytest.mark.parametrize(
    "accept",
    [
        "",
        "*/*",
        "application/*",
        "application/json",
        "application/problem+json",
        "text/html, application/json;q=0.1",
    ],
)
def test_an_accept_that_allows_json_is_served(client, accept):
    response = client.get("/api/codes/404/", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200 and response.json()["code"] == 404


def test_a_stored_answer_is_negotiated_too(client):
    assert client.get("/api/codes/404/", headers={"Accept": "*/*"}).status_code == 200
    # "text/html" shares the page cache's html variant with "*/*", yet is refused.
    assert client.get("/api/codes/404/", headers={"Accept": "text/html"}).status_code == 406


def test_the_api_page_is_still_html(client):
    response = client.get("/api/", headers={"Accept": "text/html"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")


def test_each_address_has_an_api_limit_with_retry_after(client, settings, monkeypatch):
    frozen = throttle.time.time()  # a still clock: the window cannot roll over mid-test
    monkeypatch.setattr(throttle.time, "time", lambda: frozen)
    settings.API_RATE_LIMIT = 3
    for _ in range(3):  # the same URL: the second and third are page-cache hits
        assert client.get("/api/codes/404/").status_code == 200
    response = client.get("/api/codes/404/")
    _assert_problem(response, 429)
    assert 0 < int(response["Retry-After"]) <= 61
    assert response["Cache-Control"] == "no-store"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert client.head("/api/guides/").status_code == 429  # every method, every path
    assert client.get("/api/codes/404/", REMOTE_ADDR="10.0.0.2").status_code == 200


def test_the_production_api_limit_is_300_a_minute():
    from django.conf import settings as django_settings

    assert django_settings.API_RATE_LIMIT == 300  # the test server raises its own, not this


def test_a_nul_in_a_guide_slug_is_a_400_not_a_database_error(client):
    _assert_problem(client.get("/api/guides/%00/"), 400)
    _assert_problem(client.get("/api/guides/a%20b/"), 400)


def test_every_operation_documents_its_problem_answers(spec):
    problem_ref = {"$ref": "#/components/schemas/Problem"}
    for path, operations in spec["paths"].items():
        for operation in operations.values():
            parameters = operation.get("parameters", [])
            expected = {"200", "406", "429", "503"}
            if parameters:
                expected.add("400")
            if any(p["in"] == "path" for p in parameters):
                expected.add("404")
            assert set(operation["responses"]) == expected | {"414"}, path
            assert "content" not in operation["responses"]["414"]  # gunicorn's or nginx's
            for status in expected - {"200"}:
                answer = operation["responses"][status]
                assert answer["content"] == {"application/problem+json": {"schema": problem_ref}}
                if status in ("429", "503"):
                    assert answer["headers"]["Retry-After"]["required"] is True
    guides = spec["paths"]["/api/guides/"]["get"]["responses"]
    assert set(guides) == {"200", "406", "414", "429", "503"}


@pytest.mark.parametrize(
    ("url", "status"),
    [("/api/codes/299/", 404), ("/api/codes/?class=9", 400), ("/api/codes/abc/", 400)],
)
def test_real_problems_validate_against_the_problem_schema(client, spec, url, status):
    response = client.get(url)
    assert response.status_code == status
    registry = Registry().with_resource(
        "urn:spec", Resource.from_contents(spec, default_specification=DRAFT202012)
    )
    validator = Draft202012Validator(
        {"$ref": "urn:spec#/components/schemas/Problem"}, registry=registry
    )
    validator.validate(response.json())


@given(text=st.text(max_size=20))
def test_the_schema_pattern_is_the_control_character_rule(text):
    assert (re.fullmatch(NO_CONTROL_CHARACTERS, text) is None) == has_control_characters(text)
