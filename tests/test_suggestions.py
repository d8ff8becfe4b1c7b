"""Suggest an edit, review it in the admin with a diff, accept or reject it."""

import time

import pytest
from django.test import Client
from django.urls import reverse

from codes.models import StatusCode
from refsite.accounts.models import MAX_PENDING_SUGGESTIONS, Suggestion
from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db


def _suggest(client, code=404, **data):
    payload = {"field": "summary", "new_text": "A better summary.", "reason": "Clearer."}
    payload.update(data)
    return client.post(f"/accounts/suggest/code/{code}/", payload)


def test_the_form_starts_from_the_current_text(user_client):
    response = user_client.get("/accounts/suggest/code/404/?field=summary")
    assert response.status_code == 200
    summary = StatusCode.objects.get(code=404, slug="").summary
    assert summary.replace("'", "&#x27;") in response.content.decode()


def test_signed_in_user_suggests_and_sees_the_status(user_client):
    response = _suggest(user_client)
    assert response.status_code == 303
    suggestion = Suggestion.objects.get()
    assert suggestion.user == user_client.user and suggestion.status == "pending"
    assert "Pending review" in user_client.get("/accounts/").content.decode()


def test_suggesting_needs_an_account(client):
    response = client.get("/accounts/suggest/code/404/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_invalid_suggestion_is_422(user_client):
    response = _suggest(user_client, field="not-a-field", new_text="")
    assert response.status_code == 422
    htmx = user_client.post(
        "/accounts/suggest/code/404/", {"field": "summary"}, headers={"HX-Request": "true"}
    )
    assert htmx.status_code == 422 and "<html" not in htmx.content.decode()


def test_unchanged_text_is_refused(user_client):
    current = StatusCode.objects.get(code=404, slug="").summary
    assert _suggest(user_client, new_text=current).status_code == 422


def test_at_most_a_few_pending_suggestions(user_client):
    for n in range(MAX_PENDING_SUGGESTIONS):
        assert _suggest(user_client, new_text=f"Version {n}").status_code == 303
    response = _suggest(user_client, new_text="One too many")
    assert response.status_code == 422
    assert "waiting for review" in response.content.decode()
    assert Suggestion.objects.count() == MAX_PENDING_SUGGESTIONS


@pytest.mark.django_db(transaction=True)
def test_the_pending_cap_holds_when_suggestions_arrive_at_once(
    catalogue, make_user, race, monkeypatch
):
    user = make_user("eager")
    # Each insert takes a moment, as under load: without a lock every request would
    # count the pending suggestions before any of them is saved.
    save = Suggestion.save

    def slow_save(suggestion, *args, **kwargs):
        time.sleep(0.05)
        save(suggestion, *args, **kwargs)

    monkeypatch.setattr(Suggestion, "save", slow_save)

    def suggest(n):
        client = Client()
        client.force_login(user)
        return _suggest(client, new_text=f"Version {n}").status_code

    statuses = race(8, suggest)
    assert Suggestion.objects.filter(user=user).count() == MAX_PENDING_SUGGESTIONS
    assert sorted(statuses) == [303] * MAX_PENDING_SUGGESTIONS + [422] * 5


def test_editor_sees_a_side_by_side_diff(staff_client, make_user):
    client = Client()
    client.force_login(make_user("writer"))
    _suggest(client, new_text="The server found nothing at this URL.")
    suggestion = Suggestion.objects.get()
    page = staff_client.get(reverse("admin:accounts_suggestion_review", args=[suggestion.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'class="diff"' in html and "Current text" in html and "Suggested text" in html
    assert "The&nbsp;server&nbsp;found&nbsp;nothing" in html  # difflib keeps spacing


def test_accepting_applies_the_text_and_records_history(staff_client, make_user):
    client = Client()
    client.force_login(make_user("writer"))
    _suggest(client, code=410, field="summary", new_text="Gone for good, on purpose.")
    suggestion = Suggestion.objects.get()
    url = reverse("admin:accounts_suggestion_review", args=[suggestion.pk])
    response = staff_client.post(url, {"decision": "accept"})
    assert response.status_code == 302
    code = StatusCode.objects.get(code=410, slug="")
    assert code.summary == "Gone for good, on purpose."
    record = code.history.first()
    assert record.history_change_reason.startswith(f"Accepted suggestion #{suggestion.pk}")
    assert record.history_user.username == "editor"
    assert "Gone for good, on purpose." in client.get("/410/").content.decode()
    assert "Accepted" in client.get("/accounts/").content.decode()
    # Reviewing twice is refused.
    staff_client.post(url, {"decision": "reject", "review_note": "late"})
    suggestion.refresh_from_db()
    assert suggestion.status == "accepted"


def test_rejecting_needs_a_reason_the_user_sees(staff_client, make_user):
    client = Client()
    client.force_login(make_user("writer"))
    _suggest(client)
    suggestion = Suggestion.objects.get()
    url = reverse("admin:accounts_suggestion_review", args=[suggestion.pk])
    staff_client.post(url, {"decision": "reject", "review_note": ""})
    suggestion.refresh_from_db()
    assert suggestion.status == "pending"
    staff_client.post(url, {"decision": "reject", "review_note": "The current text is right."})
    suggestion.refresh_from_db()
    assert suggestion.status == "rejected"
    assert "The current text is right." in client.get("/accounts/").content.decode()


def test_users_never_see_each_others_suggestions(client, make_user):
    client.force_login(make_user("first"))
    _suggest(client, new_text="First's private idea.")
    client.force_login(make_user("second"))
    assert "First&#x27;s private idea." not in client.get("/accounts/").content.decode()
    assert "Page</th>" not in client.get("/accounts/").content.decode()


def test_plain_users_cannot_review(client, make_user):
    client.force_login(make_user("writer"))
    _suggest(client)
    suggestion = Suggestion.objects.get()
    response = client.post(
        reverse("admin:accounts_suggestion_review", args=[suggestion.pk]), {"decision": "accept"}
    )
    assert response.status_code == 302  # to the admin login
    suggestion.refresh_from_db()
    assert suggestion.status == "pending"


def test_guides_take_suggestions_too(user_client):
    response = user_client.post(
        "/accounts/suggest/guide/404-or-410/",
        {"field": "summary", "new_text": "When a page is gone, say so.", "reason": "Shorter."},
    )
    assert response.status_code == 303
    assert Suggestion.objects.get().target.slug == "404-or-410"


def test_a_suggestion_keeps_the_text_it_was_made_against(user_client):
    original = StatusCode.objects.get(code=404, slug="").summary
    _suggest(user_client, new_text="The server found nothing here.")
    assert Suggestion.objects.get().original_text == original


def test_accepting_over_a_changed_field_shows_three_texts_and_needs_a_choice(
    staff_client, make_user
):
    client = Client()
    client.force_login(make_user("writer"))
    code = StatusCode.objects.get(code=410, slug="")
    original = code.summary
    _suggest(client, code=410, new_text="Suggested: gone for good.")
    suggestion = Suggestion.objects.get()
    # An editor changes the same field after the suggestion was made.
    code.summary = "Current: an editor rewrote this."
    code.save()
    url = reverse("admin:accounts_suggestion_review", args=[suggestion.pk])

    page = staff_client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="changed-since"' in html
    for text in (original, "Current: an editor rewrote this.", "Suggested: gone for good."):
        assert text.replace(" ", "&nbsp;").replace("'", "&#x27;")[:40] in html
    assert "Original (when suggested)" in html
    assert 'value="apply_over_current"' in html and 'value="accept"' not in html
    assert reverse("admin:codes_statuscode_change", args=[code.pk]) in html  # edit by hand

    # A plain "accept" (a page opened before the change, say) is refused: 409, nothing applied.
    refused = staff_client.post(url, {"decision": "accept"})
    assert refused.status_code == 409
    assert "changed after this suggestion was made" in refused.content.decode()
    suggestion.refresh_from_db()
    code.refresh_from_db()
    assert suggestion.status == "pending"
    assert code.summary == "Current: an editor rewrote this."

    # The explicit choice applies it, recorded in history as before.
    applied = staff_client.post(url, {"decision": "apply_over_current"})
    assert applied.status_code == 302
    suggestion.refresh_from_db()
    code.refresh_from_db()
    assert suggestion.status == "accepted"
    assert code.summary == "Suggested: gone for good."
    assert code.history.first().history_change_reason.startswith("Accepted suggestion")


def test_a_suggestion_whose_field_did_not_change_is_accepted_as_before(staff_client, make_user):
    client = Client()
    client.force_login(make_user("writer"))
    _suggest(client, code=404, field="summary", new_text="Nothing here, says the server.")
    code = StatusCode.objects.get(code=404, slug="")
    code.description += "\n\nAnother field changed meanwhile."
    code.save()
    suggestion = Suggestion.objects.get()
    url = reverse("admin:accounts_suggestion_review", args=[suggestion.pk])
    html = staff_client.get(url).content.decode()
    assert 'id="changed-since"' not in html and 'value="accept"' in html
    assert staff_client.post(url, {"decision": "accept"}).status_code == 302
    code.refresh_from_db()
    assert code.summary == "Nothing here, says the server."
    assert code.description.endswith("Another field changed meanwhile.")


def test_an_accepted_suggestion_makes_an_open_admin_form_stale(staff_client, make_user):
    """Accepting is a save like any other: an editor's form opened before it is refused."""
    client = Client()
    client.force_login(make_user("writer"))
    _suggest(client, code=404, new_text="Accepted while you were editing.")
    code = StatusCode.objects.get(code=404, slug="")
    change_url = reverse("admin:codes_statuscode_change", args=[code.pk])
    data = form_data(staff_client, change_url)
    review = reverse("admin:accounts_suggestion_review", args=[Suggestion.objects.get().pk])
    assert staff_client.post(review, {"decision": "accept"}).status_code == 302
    data["summary"] = "The editor's own summary."
    response = staff_client.post(change_url, data)
    assert response.status_code == 409
    assert "changed by editor at" in response.content.decode()
    code.refresh_from_db()
    assert code.summary == "Accepted while you were editing."
