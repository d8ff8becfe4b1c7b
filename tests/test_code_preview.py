"""Editors preview a change to a code page before saving it; nobody else ever sees it."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from codes.models import FAQ, StatusCode
from refsite.core import content_version
from tests.test_history import _form_data

pytestmark = pytest.mark.django_db

NEW_SUMMARY = "Preview summary: the server has nothing at this address, yet."
NEW_QUESTION = "Does a preview ever reach the public?"


@pytest.fixture
def code():
    return StatusCode.objects.get(code=404, slug="")


def _urls(code):
    return (
        reverse("admin:codes_statuscode_change", args=[code.pk]),
        reverse("admin:codes_statuscode_preview", args=[code.pk]),
    )


@pytest.fixture
def editor_browser():
    """A superuser's own browser, apart from ``client``, which the tests sign in as others."""
    browser = Client()
    user = get_user_model().objects.create_superuser("chief", "chief@example.com", "x" * 12)
    browser.force_login(user)
    return browser


@pytest.fixture
def edited(editor_browser, code):
    return _edited_form(editor_browser, code)[0]


def _edited_form(browser, code):
    """The change form of 404 with a new summary, a changed FAQ and a deleted header."""
    change_url, _ = _urls(code)
    data = _form_data(browser, change_url)
    data["summary"] = NEW_SUMMARY
    data["faqs-0-question"] = NEW_QUESTION
    deleted = data["headers-0-name"]  # 404 has one header in the shipped content
    data["headers-0-DELETE"] = "on"
    return data, deleted


def _snapshot(code):
    """Everything a preview must leave alone: the rows, their history, the content version."""
    code.refresh_from_db()
    return {
        "summary": code.summary,
        "faqs": list(code.faqs.values_list("question", flat=True)),
        "headers": list(code.headers.values_list("name", flat=True)),
        "history": StatusCode.history.count() + FAQ.history.count(),
        "version": content_version.current().token,
    }


def test_change_form_offers_a_preview_button(staff_client, code):
    change_url, preview_url = _urls(code)
    html = staff_client.get(change_url).content.decode()
    button = re.search(r'<button[^>]*name="_preview"[^>]*>Preview</button>', html)
    assert button, "no Preview button on the change form"
    assert f'formaction="{preview_url}"' in button.group(0)
    assert 'formtarget="_blank"' in button.group(0)
    # Save comes first in the form, so Enter in a field saves rather than previews.
    assert html.index('name="_save"') < html.index('name="_preview"')


def test_preview_shows_the_unsaved_values_and_saves_nothing(staff_client, code):
    before = _snapshot(code)
    data, deleted_header = _edited_form(staff_client, code)
    response = staff_client.post(_urls(code)[1], data)
    assert response.status_code == 200
    html = response.content.decode()
    assert NEW_SUMMARY in html
    assert NEW_QUESTION in html
    assert "Preview of unsaved changes to 404 Not Found" in html
    assert 'id="send-it"' in html  # the real code page template, not a sketch of it
    header_cell = f"<code>{deleted_header}</code></th>"
    assert header_cell not in html
    assert _snapshot(code) == before
    public = Client().get("/404/").content.decode()  # an anonymous visitor
    assert NEW_SUMMARY not in public and NEW_QUESTION not in public
    assert before["summary"].replace("'", "&#x27;") in public
    assert header_cell in public


def test_preview_is_never_cached_or_indexed(staff_client, code):
    data, _ = _edited_form(staff_client, code)
    response = staff_client.post(_urls(code)[1], data)
    assert response.status_code == 200
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert "public" not in cache_control
    assert response["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in response.content.decode()
    assert not getattr(response, "page_cacheable", False)


def test_the_public_page_is_still_indexable(client):
    response = client.get("/404/")
    assert "X-Robots-Tag" not in response
    assert 'name="robots"' not in response.content.decode()


def test_preview_of_an_unpublished_meaning_says_so(staff_client):
    code = StatusCode.objects.get(code=418, slug="")
    data = _form_data(staff_client, _urls(code)[0])
    data.pop("published", None)  # the checkbox unticked
    html = staff_client.post(_urls(code)[1], data).content.decode()
    assert "which is not published" in html
    code.refresh_from_db()
    assert code.published


def test_invalid_form_answers_422_with_the_errors_and_saves_nothing(staff_client, code):
    before = _snapshot(code)
    data, _ = _edited_form(staff_client, code)
    data["spec_url"] = "not a link"
    response = staff_client.post(_urls(code)[1], data)
    assert response.status_code == 422
    assert "Enter a valid URL." in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"
    assert _snapshot(code) == before


def test_anonymous_visitors_are_sent_to_sign_in(client, edited, code):
    response = client.post(_urls(code)[1], edited)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login") + "?next=")
    assert NEW_SUMMARY not in response.content.decode()


def test_signed_in_non_editors_are_refused(user_client, edited, code):
    response = user_client.post(_urls(code)[1], edited)
    assert response.status_code == 403
    assert NEW_SUMMARY not in response.content.decode()


def test_staff_without_change_permission_are_refused(client, edited, code):
    viewer = get_user_model().objects.create_user("viewer", password="x" * 12, is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_statuscode"))
    client.force_login(viewer)
    response = client.post(_urls(code)[1], edited)
    assert response.status_code == 403
    assert NEW_SUMMARY not in response.content.decode()


def test_an_editor_with_change_permission_may_preview(client, edited, code):
    editor = get_user_model().objects.create_user("ed", password="x" * 12, is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="change_statuscode"))
    client.force_login(editor)
    response = client.post(_urls(code)[1], edited)
    assert response.status_code == 200
    assert NEW_SUMMARY in response.content.decode()


def test_preview_needs_a_post(staff_client, code):
    response = staff_client.get(_urls(code)[1])
    assert response.status_code == 405


def test_preview_of_an_unknown_code_is_404(editor_browser, edited):
    response = editor_browser.post(reverse("admin:codes_statuscode_preview", args=[999999]), edited)
    assert response.status_code == 404


def test_preview_checks_csrf(code):
    browser = Client(enforce_csrf_checks=True)
    user = get_user_model().objects.create_superuser("chief", "chief@example.com", "x" * 12)
    browser.force_login(user)
    data, _ = _edited_form(browser, code)
    refused = browser.post(_urls(code)[1], data)
    assert refused.status_code == 403
    assert NEW_SUMMARY not in refused.content.decode()
    change_form = browser.get(_urls(code)[0]).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', change_form).group(1)
    data["csrfmiddlewaretoken"] = token
    accepted = browser.post(_urls(code)[1], data)
    assert accepted.status_code == 200
    assert NEW_SUMMARY in accepted.content.decode()


def test_preview_of_one_meaning_shows_the_whole_page_of_its_number(staff_client):
    nginx = StatusCode.objects.get(code=499, slug="nginx")
    others = StatusCode.objects.filter(code=499, published=True).exclude(pk=nginx.pk)
    assert others.exists()
    data = _form_data(staff_client, _urls(nginx)[0])
    data["summary"] = "Preview: nginx logs 499 when the client gave up first."
    html = staff_client.post(_urls(nginx)[1], data).content.decode()
    assert "Preview: nginx logs 499 when the client gave up first." in html
    assert f"499 has {others.count() + 1} meanings" in html
    for other in others:
        assert other.summary.replace("'", "&#x27;") in html


def test_non_editors_learn_nothing_about_ids(user_client, edited):
    response = user_client.post(reverse("admin:codes_statuscode_preview", args=[999999]), edited)
    assert response.status_code == 403
