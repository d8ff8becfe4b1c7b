"""Sign-in, sign-out, password change and reset, with the right statuses (sign-up: test_signup)."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail

pytestmark = pytest.mark.django_db

PASSWORD = "correct-Horse-battery-9"


def test_login_rotates_the_session_and_redirects(client, make_user):
    user = make_user("alice", PASSWORD)
    client.get("/accounts/login/")
    client.cookies["sessionid"] = "fixation-attempt"
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 303
    assert client.session[SESSION_KEY] == str(user.pk)
    assert client.cookies["sessionid"].value != "fixation-attempt"


def test_htmx_login_success_tells_htmx_to_load_the_next_page(client, make_user):
    make_user("bob", PASSWORD)
    response = client.post(
        "/accounts/login/",
        {"username": "bob", "password": PASSWORD},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/accounts/"


def test_failed_login_is_422_with_the_form(client, make_user):
    make_user("carol", PASSWORD)
    response = client.post("/accounts/login/", {"username": "carol", "password": "wrong"})
    assert response.status_code == 422
    assert "Please enter a correct username and password" in response.content.decode()
    partial = client.post(
        "/accounts/login/",
        {"username": "carol", "password": "wrong"},
        headers={"HX-Request": "true"},
    )
    assert partial.status_code == 422 and "<html" not in partial.content.decode()


def test_logout_is_post_only(user_client):
    assert user_client.get("/accounts/logout/").status_code == 405
    response = user_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert SESSION_KEY not in user_client.session


def test_account_page_needs_sign_in(client):
    response = client.get("/accounts/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/accounts/")


def test_account_page_is_private(user_client):
    response = user_client.get("/accounts/")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert user_client.user.username in response.content.decode()


def test_password_change(client, make_user):
    user = make_user("dana", PASSWORD)
    client.force_login(user)
    bad = client.post(
        "/accounts/password/", {"old_password": "nope", "new_password1": "x", "new_password2": "y"}
    )
    assert bad.status_code == 422
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "another-Secret-42",
            "new_password2": "another-Secret-42",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another-Secret-42")


def test_password_reset_by_email_end_to_end(client, make_user):
    user = make_user("erin", PASSWORD)
    response = client.post("/accounts/reset/", {"email": "erin@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["erin@example.com"]
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url, {"new_password1": "fresh-Secret-77", "new_password2": "fresh-Secret-77"}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("fresh-Secret-77")
    # The link works once; afterwards it is a 404 that says how to get a new one.
    used = client.get(link, follow=True)
    assert used.status_code == 404
    assert "invalid or has already been used" in used.content.decode()
    assert 'href="/accounts/reset/"' in used.content.decode()
    assert "no-store" in used["Cache-Control"]


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/reset/MQ/forged-token/",
        "/accounts/reset/not-a-uid/x/",
        "/accounts/reset/MQ/set-password/",
    ],
)
def test_a_forged_reset_link_is_a_helpful_404(client, make_user, path):
    make_user("gail", PASSWORD)
    response = client.get(path)
    assert response.status_code == 404
    assert "Ask for a new one" in response.content.decode()
    assert client.post(path, {"new_password1": "x", "new_password2": "x"}).status_code == 404


def test_password_reset_for_an_unknown_address_sends_nothing(client):
    response = client.post("/accounts/reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_cookies_are_httponly(client, make_user):
    make_user("fay", PASSWORD)
    client.post("/accounts/login/", {"username": "fay", "password": PASSWORD})
    assert client.cookies["sessionid"]["httponly"]


def test_forms_carry_csrf_tokens(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/accounts/login/", {"username": "a", "password": "b"}).status_code == 403
    html = client.get("/accounts/login/").content.decode()
    assert 'name="csrfmiddlewaretoken"' in html
