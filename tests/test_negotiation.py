"""Code pages answer browsers with HTML, scripts with JSON, terminals with text."""

import pytest

pytestmark = pytest.mark.django_db


def test_browsers_get_html(client):
    response = client.get("/404/", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response["Content-Type"].startswith("text/html")
    assert "Accept" in response["Vary"] and "User-Agent" in response["Vary"]


def test_accept_json_gets_the_api_record(client):
    response = client.get("/404/", headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == client.get("/api/codes/404/").json()
    assert "Accept" in response["Vary"]


def test_accept_text_gets_a_readable_summary(client):
    response = client.get("/404/", headers={"Accept": "text/plain"})
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert text.startswith("404 Not Found\n")
    assert "http://testserver/404/" in text
    assert "<" not in text.split("More:")[0].replace("<https", "")


def test_curl_with_any_type_gets_text(client):
    response = client.get("/429/", headers={"Accept": "*/*", "User-Agent": "curl/8.5.0"})
    assert response["Content-Type"].startswith("text/plain")
    assert "Retry-After" in response.content.decode()


def test_unknown_browser_with_any_type_gets_html(client):
    response = client.get("/429/", headers={"Accept": "*/*", "User-Agent": "Mozilla/5.0"})
    assert response["Content-Type"].startswith("text/html")


def test_unacceptable_type_is_406(client):
    response = client.get("/404/", headers={"Accept": "image/png"})
    assert response.status_code == 406


@pytest.mark.parametrize(
    ("path", "kind"), [("/404.json", "application/json"), ("/404.txt", "text/plain")]
)
def test_suffixes_for_people_who_cannot_set_headers(client, path, kind):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(kind)
    assert response["Link"] == '<http://testserver/404/>; rel="canonical"'


def test_suffix_for_an_unknown_code_is_404(client):
    assert client.get("/299.json").status_code == 404


def test_negotiated_json_for_an_unknown_code_is_404(client):
    assert client.get("/299/", headers={"Accept": "application/json"}).status_code == 404
