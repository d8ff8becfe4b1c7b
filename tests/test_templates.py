"""The code page is a Jinja2 template; base.html and two includes are shared by both engines.

See refsite/jinja2.py. These tests hold the shared files to the syntax both
engines read the same way, and the code page to the escaping the rest of the
site has.
"""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.template import engines
from django.test import RequestFactory

from codes.models import StatusCode
from guides.library import get_library
from refsite.accounts.stars import star_button

SHARED = ["base.html", "accounts/_star.html", "guides/_guide_list.html"]


def _request(user=None):
    request = RequestFactory().get("/404/?a=b")
    request.user = user or AnonymousUser()
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _normalise(html: str) -> str:
    # The engines escape quotes differently (&#x27; and &#39;); both are correct.
    html = html.replace("&#x27;", "'").replace("&#39;", "'").replace("&#34;", '"')
    # Each render masks the CSRF token afresh.
    html = re.sub(r'name="csrfmiddlewaretoken" value="\w+"', 'name="csrfmiddlewaretoken"', html)
    return re.sub(r"\s+", " ", html).strip()


@pytest.mark.django_db
@pytest.mark.parametrize("name", SHARED)
@pytest.mark.parametrize("signed_in", [False, True])
def test_shared_templates_render_the_same_in_both_engines(name, signed_in, make_user):
    request = _request(make_user() if signed_in else None)
    guides = get_library().guides[:3]
    assert guides, "the fixtures have guides"
    context = {
        "guides": guides,
        "star": star_button(request, "code", 404, "404 Not Found", starred=signed_in),
    }
    outputs = {
        engine: engines[engine].get_template(name).render(dict(context), request)
        for engine in ("django", "jinja2")
    }
    assert _normalise(outputs["django"]) == _normalise(outputs["jinja2"])
    assert "{{" not in outputs["jinja2"] and "{%" not in outputs["jinja2"]


@pytest.mark.django_db
def test_star_include_shows_a_form_with_csrf_when_signed_in(make_user):
    request = _request(make_user())
    star = star_button(request, "code", 404, "404 Not Found", starred=True)
    html = engines["jinja2"].get_template("accounts/_star.html").render({"star": star}, request)
    assert 'name="csrfmiddlewaretoken" value="' in html
    assert 'aria-pressed="true"' in html and "★ Starred" in html
    assert 'action="/accounts/star/code/404/"' in html


def test_star_include_asks_anonymous_people_to_sign_in():
    request = _request()
    star = star_button(request, "code", 404, "404 Not Found")
    html = engines["django"].get_template("accounts/_star.html").render({"star": star}, request)
    assert 'href="/accounts/login/?next=/404/%3Fa%3Db"' in html
    assert "<form" not in html


@pytest.mark.django_db
def test_the_jinja2_code_page_escapes_editor_text(client):
    row = StatusCode.objects.get(code=404, slug="")
    row.summary = '<img src=x onerror="alert(1)"> & "quotes"'
    row.save()

    html = client.get("/404/").content.decode()

    assert "<img src=x" not in html and "&lt;img src=x onerror=" in html
    assert "&amp; " in html
    # The Jinja2 page still extends the shared base and fills its blocks.
    assert html.startswith("<!doctype html>")
    assert '<link rel="canonical" href="http://testserver/404/">' in html
    assert "{{" not in html and "{%" not in html
