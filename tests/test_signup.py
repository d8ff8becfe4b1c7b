"""Sign-up by e-mailed link: one account per address, and no answer tells who has one."""

import re
import threading

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core import mail, signing
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from refsite.accounts import views
from refsite.core import throttle

pytestmark = pytest.mark.django_db

PASSWORD = "correct-Horse-battery-9"
User = get_user_model()


def _start(client, email, **headers):
    return client.post("/accounts/signup/", {"email": email}, headers=headers)


def _link(message) -> str:
    return re.search(r"http://testserver(/accounts/signup/\S+/)", message.body).group(1)


def _finish(client, link, username="newdev", password=PASSWORD, **headers):
    return client.post(
        link,
        {"username": username, "password1": password, "password2": password},
        headers=headers,
    )


def test_the_form_asks_only_for_an_address(client):
    response = client.get("/accounts/signup/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="email"' in html and 'name="password1"' not in html


def test_signing_up_by_link_makes_the_account_and_signs_in(client):
    response = _start(client, "New.Dev@EXAMPLE.com")
    assert response.status_code == 303
    assert response["Location"] == "/accounts/signup/sent/"
    assert "Check your e-mail" in client.get(response["Location"]).content.decode()
    assert not User.objects.exists()
    [message] = mail.outbox
    assert message.to == ["New.Dev@example.com"]  # the domain is lower-cased

    link = _link(message)
    form = client.get(link)
    assert form.status_code == 200
    assert "New.Dev@example.com" in form.content.decode()
    assert "no-store" in form["Cache-Control"]
    done = _finish(client, link)
    assert done.status_code == 303 and done["Location"] == "/accounts/"
    user = User.objects.get(username="newdev")
    assert user.email == "New.Dev@example.com" and user.check_password(PASSWORD)
    assert client.session[SESSION_KEY] == str(user.pk)
    assert "Welcome" in client.get("/accounts/").content.decode()


def test_htmx_gets_told_where_to_go(client, htmx_headers):
    response = _start(client, "htmx@example.com", **htmx_headers)
    assert response.status_code == 200 and response["HX-Redirect"] == "/accounts/signup/sent/"
    done = _finish(client, _link(mail.outbox[0]), **htmx_headers)
    assert done["HX-Redirect"] == "/accounts/"


def test_a_taken_address_gets_the_same_answer_and_a_reminder_by_mail(make_user):
    make_user("owner")  # owner@example.com
    fresh = _start(Client(), "someone@example.com")
    taken = _start(Client(), "OWNER@example.com")
    assert (taken.status_code, taken["Location"]) == (fresh.status_code, fresh["Location"])
    assert taken.content == fresh.content
    assert sorted(taken.headers) == sorted(fresh.headers)
    assert len(mail.outbox) == 2
    reminder = mail.outbox[1]
    assert reminder.to == ["OWNER@example.com"] and reminder.subject == mail.outbox[0].subject
    assert "your user name is owner" in reminder.body
    assert "http://testserver/accounts/reset/" in reminder.body
    assert "/accounts/signup/" not in reminder.body  # no link to make a second account
    assert User.objects.count() == 1


def test_an_invalid_address_is_422_next_to_the_field(client, htmx_headers):
    response = _start(client, "not-an-email")
    assert response.status_code == 422
    assert 'id="id_email_error"' in response.content.decode()
    partial = _start(client, "", **htmx_headers)
    assert partial.status_code == 422
    assert partial.content.decode().lstrip().startswith("<form")
    assert mail.outbox == []


def test_finishing_checks_the_password_with_422(client):
    _start(client, "weak@example.com")
    link = _link(mail.outbox[0])
    response = _finish(client, link, password="123")
    assert response.status_code == 422
    assert "This password is too short" in response.content.decode()
    similar = _finish(client, link, username="other", password="weak@example.com")
    assert "too similar" in similar.content.decode()
    assert not User.objects.exists()


def test_a_taken_user_name_is_told_only_behind_the_link(client, make_user):
    make_user("popular")
    _start(client, "late@example.com")
    response = _finish(client, _link(mail.outbox[0]), username="popular")
    assert response.status_code == 422
    assert "already exists" in response.content.decode()
    assert not User.objects.filter(email="late@example.com").exists()


def test_the_link_works_once(client):
    _start(client, "once@example.com")
    link = _link(mail.outbox[0])
    assert _finish(client, link).status_code == 303
    again = Client().get(link)
    assert again.status_code == 404
    assert "Ask for a new one" in again.content.decode()
    assert _finish(Client(), link, username="second").status_code == 404
    assert User.objects.filter(email="once@example.com").count() == 1


def test_a_forged_or_expired_link_is_a_helpful_404(client, monkeypatch):
    forged = signing.dumps("victim@example.com", salt="some other purpose")
    response = client.get(f"/accounts/signup/{forged}/")
    assert response.status_code == 404
    assert "invalid, has expired" in response.content.decode()
    assert client.get("/accounts/signup/junk/").status_code == 404

    _start(client, "slow@example.com")
    link = _link(mail.outbox[0])
    later = signing.time.time() + views.settings.PASSWORD_RESET_TIMEOUT + 1
    monkeypatch.setattr(signing.time, "time", lambda: later)
    assert client.get(link).status_code == 404


def test_trying_names_behind_a_link_counts_as_signing_up(client, make_user, monkeypatch):
    frozen = throttle.time.time()
    monkeypatch.setattr(throttle.time, "time", lambda: frozen)
    make_user("taken")
    _start(client, "prober@example.com")
    link = _link(mail.outbox[0])
    for n in range(throttle.SIGNUP_PER_ADDRESS.limit - 1):
        assert _finish(client, link, username="taken").status_code == 422, n
    assert _finish(client, link, username="taken").status_code == 429


def test_the_database_keeps_one_account_per_address_whatever_the_case():
    User.objects.create_user("first", "Same@Example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("second", "same@example.COM")
    # Accounts without an address (createsuperuser allows it) do not collide.
    User.objects.create_user("no-mail-1", "")
    User.objects.create_user("no-mail-2", "")


@pytest.mark.django_db(transaction=True)
def test_simultaneous_signups_with_one_address_make_one_account(monkeypatch, race):
    _start(Client(), "same@example.com")
    link = _link(mail.outbox[0])
    # Hold every sign-up after its checks and before its insert until all five are
    # there: the widest window a race can have.
    together = threading.Barrier(5, timeout=10)
    set_password = User.set_password

    def set_password_then_wait(user, raw):
        set_password(user, raw)
        together.wait()

    monkeypatch.setattr(User, "set_password", set_password_then_wait)

    def sign_up(n):
        return _finish(Client(REMOTE_ADDR=f"10.0.0.{n}"), link, f"racer{n}").status_code

    statuses = race(5, sign_up)
    assert User.objects.filter(email__iexact="same@example.com").count() == 1
    assert sorted(statuses) == [303, 404, 404, 404, 404]


@pytest.mark.django_db(transaction=True)
def test_the_migration_clears_later_duplicates_instead_of_failing(capsys):
    before, after = (
        ("accounts", "0003_targets_by_content_type"),
        ("accounts", "0004_email_unique_case_insensitive"),
    )
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    try:
        old = executor.loader.project_state([before]).apps.get_model("auth", "User")
        first = old.objects.create(username="first", email="Dup@Example.com")
        second = old.objects.create(username="second", email="dup@example.com")
        third = old.objects.create(username="third", email="DUP@EXAMPLE.COM")
        alone = old.objects.create(username="alone", email="alone@example.com")
        old.objects.create(username="blank1", email="")
        old.objects.create(username="blank2", email="")
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert after in MigrationExecutor(connection).loader.applied_migrations
    emails = dict(User.objects.values_list("pk", "email"))
    assert emails[first.pk] == "Dup@Example.com"
    assert emails[second.pk] == emails[third.pk] == ""
    assert emails[alone.pk] == "alone@example.com"
    output = capsys.readouterr().out
    assert "'dup@example.com' of user #" in output and "'second'" in output and "'third'" in output
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("fourth", "dup@EXAMPLE.com")
