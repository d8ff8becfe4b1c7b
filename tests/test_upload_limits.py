"""Request bodies are capped: over a limit, the site answers 413 with its own page."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"
MiB = 1024 * 1024


def _assert_413(response):
    assert response.status_code == 413
    html = response.content.decode()
    assert "<h1>413 Content Too Large</h1>" in html and "site.css" in html
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("size", [2 * MiB, 3 * MiB])
def test_a_body_over_the_cap_is_413(client, size):
    # 2 MiB passes Django's own default (2.5 MiB); the site's cap is lower.
    body = "username=x&password=" + "x" * size
    _assert_413(client.post("/accounts/login/", body, content_type=FORM))


def test_the_cap_comes_before_the_csrf_check():
    # CsrfViewMiddleware reads the form first: the answer is still 413, not 403 or 400.
    strict = Client(enforce_csrf_checks=True)
    strict.cookies["csrftoken"] = "a" * 32  # a browser that loaded the form has one
    response = strict.post("/accounts/signup/", "email=" + "x" * (2 * MiB), content_type=FORM)
    _assert_413(response)
    assert "at most 1.0\xa0MB of text, and no files" in response.content.decode()


def test_a_body_under_the_cap_is_handled_as_usual(client):
    body = "username=x&password=" + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE - 100)
    assert client.post("/accounts/login/", body, content_type=FORM).status_code == 422


def test_no_form_takes_a_file(client):
    upload = SimpleUploadedFile("big.bin", b"x" * 10)
    response = client.post("/accounts/login/", {"username": "x", "password": "y", "f": upload})
    _assert_413(response)


def test_too_many_fields_is_413(client):
    fields = "&".join(f"f{n}=1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    _assert_413(client.post("/accounts/login/", fields, content_type=FORM))


def test_other_bad_requests_stay_400(client):
    # A header Django refuses as suspicious: a host it does not serve.
    response = client.get("/", headers={"host": "evil.example"})
    assert response.status_code == 400
