"""Stars, the "My codes" cheat sheet and its read-only share link."""

import pytest

from codes.models import StatusCode
from guides.models import Guide
from refsite.accounts.models import SharedSheet, Star

pytestmark = pytest.mark.django_db


def _code(number):
    return StatusCode.objects.get(code=number, slug="")


def test_anonymous_visitors_are_asked_to_sign_in(client):
    html = client.get("/404/").content.decode()
    assert "Sign in to star" in html
    response = client.post("/accounts/star/code/404/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_sign_in_link_comes_back_to_the_page(client):
    html = client.get("/404/?a=b").content.decode()
    assert '<a class="star-signin" href="/accounts/login/?next=/404/%3Fa%3Db">' in html
    assert 'class="star-form"' not in html


def test_the_star_form_shows_its_state_and_carries_a_csrf_token(user_client):
    html = user_client.get("/404/").content.decode()
    assert 'action="/accounts/star/code/404/" hx-post="/accounts/star/code/404/"' in html
    assert 'name="csrfmiddlewaretoken" value="' in html
    assert 'aria-pressed="false">☆ Star<' in html
    user_client.post("/accounts/star/code/404/")
    html = user_client.get("/404/").content.decode()
    assert 'aria-pressed="true">★ Starred<' in html


def test_star_without_javascript_redirects_back(user_client):
    response = user_client.post("/accounts/star/code/404/", {"next": "/404/"})
    assert response.status_code == 303 and response["Location"] == "/404/"
    assert Star.objects.of(_code(404)).filter(user=user_client.user).exists()
    assert 'aria-pressed="true"' in user_client.get("/404/").content.decode()
    user_client.post("/accounts/star/code/404/", {"next": "/404/"})
    assert not Star.objects.filter(user=user_client.user).exists()


def test_star_with_htmx_returns_the_new_button(user_client):
    response = user_client.post("/accounts/star/guide/401-vs-403/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<form") and 'aria-pressed="true"' in html
    guide = Guide.objects.get(slug="401-vs-403")
    assert Star.objects.of(guide).filter(user=user_client.user).exists()


def test_star_is_post_only_and_unknown_targets_are_404(user_client):
    assert user_client.get("/accounts/star/code/404/").status_code == 405
    assert user_client.post("/accounts/star/code/299/").status_code == 404
    assert user_client.post("/accounts/star/guide/no-such-guide/").status_code == 404


def test_offsite_next_is_ignored(user_client):
    response = user_client.post("/accounts/star/code/404/", {"next": "https://evil.example/"})
    assert response["Location"] == "/404/"


def test_my_codes_is_a_printable_cheat_sheet(user_client):
    for code in (429, 404, 503):
        user_client.post(f"/accounts/star/code/{code}/")
    user_client.post("/accounts/star/guide/caching-etags-304/")
    response = user_client.get("/accounts/my-codes/")
    html = response.content.decode()
    assert response.status_code == 200 and "private" in response["Cache-Control"]
    assert html.index(">404<") < html.index(">429<") < html.index(">503<")
    assert "Caching, ETags and 304 Not Modified" in html


def test_sharing_can_be_turned_on_and_off(client, user_client):
    user_client.post("/accounts/star/code/418/")
    user_client.post("/accounts/my-codes/share/", {"action": "on"})
    sheet = SharedSheet.objects.get(user=user_client.user)
    public = client.get(sheet.get_absolute_url())
    assert public.status_code == 200
    assert ">418<" in public.content.decode()
    assert "Turn the link off" not in public.content.decode()  # read-only
    user_client.post("/accounts/my-codes/share/", {"action": "off"})
    assert client.get(sheet.get_absolute_url()).status_code == 404


def test_turning_sharing_on_again_makes_a_new_link(user_client):
    user_client.post("/accounts/my-codes/share/", {"action": "on"})
    first = SharedSheet.objects.get(user=user_client.user).token
    user_client.post("/accounts/my-codes/share/", {"action": "off"})
    user_client.post("/accounts/my-codes/share/", {"action": "on"})
    assert SharedSheet.objects.get(user=user_client.user).token != first


def test_nobody_sees_or_changes_another_users_stars(client, make_user):
    owner = make_user("owner")
    Star.objects.create(user=owner, target=_code(404))
    other = make_user("other")
    client.force_login(other)
    assert ">404<" not in client.get("/accounts/my-codes/").content.decode()
    client.post("/accounts/star/code/404/")  # stars it for "other", not toggling owner's
    assert Star.objects.of(_code(404)).filter(user=owner).exists()
    assert client.get("/accounts/sheet/not-a-real-token/").status_code == 404


def test_huge_numbers_are_404_not_500(user_client):
    huge = "9" * 40
    assert user_client.post(f"/accounts/star/code/{huge}/").status_code == 404
    assert user_client.get(f"/accounts/suggest/code/{huge}/").status_code == 404
