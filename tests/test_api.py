"""The JSON API: schema validity, every endpoint's statuses, problem details, CORS, caching."""

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_spec
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from codes.models import StatusCode
from guides.models import Guide

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
