"""No silent overwrite between editors: a form opened before someone else saved is refused.

Two real admin sessions (two signed-in clients) open the same change form; the
first saves, the second's save answers 409 Conflict with who changed it and
when, a diff of their change against the editor's, and the editor's input
still in the form, while the database keeps the first save.
"""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from codes.models import FAQ, Comparison, DecisionAnswer, DecisionQuestion, StatusCode
from guides.models import Guide, GuideFAQ
from refsite.core.revisions import StaleRevision
from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db


def _editor(username: str) -> Client:
    user = get_user_model().objects.create_superuser(username, f"{username}@example.com", "x" * 12)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice():
    return _editor("alice")


@pytest.fixture
def bob():
    return _editor("bob")


def _change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def _inline_prefix(data: dict, field: str, value: str) -> str:
    """The prefix of the inline form whose ``field`` holds ``value`` (e.g. ``faqs-0``)."""
    return next(
        key.rsplit("-", 1)[0]
        for key, v in data.items()
        if key.endswith(field) and str(v) == str(value)
    )


def test_the_second_of_two_editors_is_refused_and_keeps_their_input(alice, bob):
    code = StatusCode.objects.get(code=404, slug="")
    url = _change_url(code)
    alices_form, bobs_form = form_data(alice, url), form_data(bob, url)
    history_before = code.history.count()

    alices_form["summary"] = "Alice: nothing lives at this URL."
    assert alice.post(url, alices_form).status_code == 302
    bobs_form["summary"] = "Bob: the server has nothing here."
    bobs_form["description"] = bobs_form["description"] + "\n\nBob's extra paragraph."
    response = bob.post(url, bobs_form)

    assert response.status_code == 409
    html = response.content.decode()
    record = code.history.first()
    assert "changed by alice at" in html and "while you were editing" in html
    assert f"{record.history_date:%H:%M:%S}" in html  # T: when alice saved, from history
    assert "Nothing was saved." in html
    # The diff: alice's saved version against bob's, field by field.
    assert 'class="revision-diff"' in html and ">Saved by alice<" in html
    assert "Alice:&nbsp;nothing&nbsp;lives" in html and "Bob:&nbsp;the&nbsp;server" in html
    # Bob's input is still in the form.
    form = response.context["adminform"].form
    assert form["summary"].value() == "Bob: the server has nothing here."
    assert form["description"].value().endswith("Bob's extra paragraph.")
    assert 'value="Bob: the server has nothing here."' in html
    # Nothing of bob's reached the database or the history.
    code.refresh_from_db()
    assert code.summary == "Alice: nothing lives at this URL."
    assert "Bob's extra paragraph." not in code.description
    assert code.history.count() == history_before + 1
    assert "Alice: nothing lives" in alice.get("/404/").content.decode()

    # Having seen the diff, bob may save again on purpose: the form now carries
    # the current revision.
    again = form_data_from(response)
    assert bob.post(url, again).status_code == 302
    code.refresh_from_db()
    assert code.summary == "Bob: the server has nothing here."
    assert code.history.first().history_user.username == "bob"


def form_data_from(response) -> dict:
    """What the re-rendered form would post (the bound form's data)."""
    return dict(response.context["adminform"].form.data.items())


def test_a_single_editor_saves_as_before_and_the_revision_moves(alice):
    code = StatusCode.objects.get(code=418, slug="")
    url = _change_url(code)
    revision = code.revision
    for n in (1, 2):
        data = form_data(alice, url)
        data["summary"] = f"Edit number {n}."
        response = alice.post(url, data)
        assert response.status_code == 302, response.content.decode()[:2000]
        code.refresh_from_db()
        assert code.summary == f"Edit number {n}."
        assert code.revision == revision + n


def test_a_save_that_changes_nothing_makes_no_record_and_no_conflict(alice, bob):
    code = StatusCode.objects.get(code=410, slug="")
    url = _change_url(code)
    alices_form, bobs_form = form_data(alice, url), form_data(bob, url)
    before = (code.revision, code.history.count())
    assert alice.post(url, alices_form).status_code == 302  # unchanged
    code.refresh_from_db()
    assert (code.revision, code.history.count()) == before
    bobs_form["summary"] = "Bob's change goes through."
    assert bob.post(url, bobs_form).status_code == 302
    code.refresh_from_db()
    assert code.summary == "Bob's change goes through."


def test_faq_inlines_are_locked_too(alice, bob):
    code = StatusCode.objects.get(code=404, slug="")
    faq = FAQ.objects.filter(status_code=code).first()
    url = _change_url(code)
    alices_form, bobs_form = form_data(alice, url), form_data(bob, url)
    prefix = _inline_prefix(alices_form, "-id", faq.pk)
    original_answer = bobs_form[f"{prefix}-answer"]

    alices_form[f"{prefix}-answer"] = "Alice's answer."
    assert alice.post(url, alices_form).status_code == 302
    faq.refresh_from_db()
    assert faq.answer == "Alice's answer." and faq.history.first().history_user.username == "alice"

    # Bob changed the FAQ too: refused, his answer kept in the inline form.
    bobs_form[f"{prefix}-answer"] = "Bob's answer."
    response = bob.post(url, bobs_form)
    assert response.status_code == 409
    html = response.content.decode()
    assert f"FAQ “{faq.question}” was changed by alice at" in html.replace("&#x27;", "'")
    assert "Bob&#x27;s answer." in html
    faq.refresh_from_db()
    assert faq.answer == "Alice's answer."

    # Bob changed only the summary, but his page still holds the old answer:
    # saving it would put that answer back, so it is refused as well.
    bobs_form[f"{prefix}-answer"] = original_answer
    bobs_form["summary"] = "Bob's summary."
    assert bob.post(url, bobs_form).status_code == 409
    faq.refresh_from_db()
    code.refresh_from_db()
    assert faq.answer == "Alice's answer." and code.summary != "Bob's summary."


def test_a_single_editor_edits_an_inline_faq(alice):
    code = StatusCode.objects.get(code=404, slug="")
    faq = FAQ.objects.filter(status_code=code).first()
    url = _change_url(code)
    data = form_data(alice, url)
    prefix = _inline_prefix(data, "-id", faq.pk)
    data[f"{prefix}-answer"] = "A fresh answer."
    assert alice.post(url, data).status_code == 302
    faq.refresh_from_db()
    assert faq.answer == "A fresh answer." and faq.revision == 2
    other = FAQ.objects.filter(status_code=code).exclude(pk=faq.pk).first()
    assert other.revision == 1  # unchanged inlines are not saved


def test_guides_and_their_faqs_are_locked(alice, bob):
    guide = Guide.objects.filter(faqs__isnull=False).first()
    faq = GuideFAQ.objects.filter(guide=guide).first()
    url = _change_url(guide)
    alices_form, bobs_form = form_data(alice, url), form_data(bob, url)
    alices_form["title"] = "Alice's title"
    alices_form["published_at_0"] = "2020-01-02"  # a field with a hidden initial copy
    assert alice.post(url, alices_form).status_code == 302
    bobs_form["body"] = "Bob rewrote the body."
    response = bob.post(url, bobs_form)
    assert response.status_code == 409
    html = response.content.decode()
    assert "changed by alice at" in html
    # The diff is against the saved row, so it lists alice's date too, although
    # bob's form posted the old date as its own "initial" value.
    assert "<h4>Title</h4>" in html and "<h4>Body</h4>" in html
    assert "<h4>Published at</h4>" in html
    guide.refresh_from_db()
    assert guide.title == "Alice's title" and guide.body != "Bob rewrote the body."
    assert f"{guide.published_at:%Y-%m-%d}" == "2020-01-02"

    # Its FAQs, edited inline on the guide's page.
    prefix = _inline_prefix(form_data(alice, url), "-id", faq.pk)
    alices_form, bobs_form = form_data(alice, url), form_data(bob, url)
    alices_form[f"{prefix}-question"] = "Alice asks?"
    assert alice.post(url, alices_form).status_code == 302
    bobs_form[f"{prefix}-question"] = "Bob asks?"
    assert bob.post(url, bobs_form).status_code == 409
    faq.refresh_from_db()
    assert faq.question == "Alice asks?"


def test_models_without_history_name_the_editor_from_the_admin_log(alice, bob):
    comparison = Comparison.objects.first()
    url = _change_url(comparison)
    alices_form, bobs_form = form_data(alice, url), form_data(bob, url)
    alices_form["key_difference"] = "Alice's difference."
    assert alice.post(url, alices_form).status_code == 302
    bobs_form["key_difference"] = "Bob's difference."
    response = bob.post(url, bobs_form)
    assert response.status_code == 409
    assert "changed by alice at" in response.content.decode()
    comparison.refresh_from_db()
    assert comparison.key_difference == "Alice's difference."


def test_decision_questions_and_their_tabular_answer_inlines_are_locked(alice, bob):
    question = DecisionQuestion.objects.get(slug="start")
    answer = DecisionAnswer.objects.filter(question=question).first()
    url = _change_url(question)
    alices_form, bobs_form = form_data(alice, url), form_data(bob, url)
    prefix = _inline_prefix(alices_form, "-id", answer.pk)
    alices_form[f"{prefix}-text"] = "Alice's answer text"
    assert alice.post(url, alices_form).status_code == 302
    answer.refresh_from_db()
    assert answer.text == "Alice's answer text"

    # Bob edits only the question; his page still holds the old answer text.
    bobs_form["question"] = "Bob's question?"
    response = bob.post(url, bobs_form)
    assert response.status_code == 409
    assert "was changed by alice at" in response.content.decode()
    question.refresh_from_db()
    answer.refresh_from_db()
    assert question.question != "Bob's question?" and answer.text == "Alice's answer text"

    # With a fresh page his edit goes through.
    fresh = form_data(bob, url)
    fresh["question"] = "Bob's question?"
    assert bob.post(url, fresh).status_code == 302
    question.refresh_from_db()
    assert question.question == "Bob's question?"


def test_a_revert_opened_before_another_save_is_refused(alice, bob):
    code = StatusCode.objects.get(code=410, slug="")
    oldest = code.history.last()
    revert_url = reverse("admin:codes_statuscode_simple_history", args=[code.pk, oldest.history_id])
    revert = form_data(alice, revert_url)
    url = _change_url(code)
    bobs_form = form_data(bob, url)
    bobs_form["summary"] = "Bob saved after the revert page was opened."
    assert bob.post(url, bobs_form).status_code == 302
    response = alice.post(revert_url, revert)
    assert response.status_code == 409
    assert "changed by bob at" in response.content.decode()
    code.refresh_from_db()
    assert code.summary == "Bob saved after the revert page was opened."
    # An up-to-date revert goes through.
    assert alice.post(revert_url, form_data(alice, revert_url)).status_code == 302
    code.refresh_from_db()
    assert code.summary == oldest.summary


def test_a_form_without_its_revision_is_refused(alice):
    code = StatusCode.objects.get(code=404, slug="")
    url = _change_url(code)
    data = form_data(alice, url)
    del data["revision"]
    data["summary"] = "Posted by a script that skips the form."
    response = alice.post(url, data)
    assert response.status_code == 200  # an ordinary invalid form
    assert "carries no revision" in response.content.decode()
    code.refresh_from_db()
    assert code.summary != "Posted by a script that skips the form."


def test_a_stale_save_in_code_is_refused_too():
    first = StatusCode.objects.get(code=404, slug="")
    second = StatusCode.objects.get(pk=first.pk)
    first.summary = "First."
    first.save()
    second.summary = "Second."
    with pytest.raises(StaleRevision):
        second.save(update_fields=["summary"])
    assert StatusCode.objects.get(pk=first.pk).summary == "First."
    first.summary = "First again."
    first.save()  # the instance that saved knows the new revision
    assert StatusCode.objects.get(pk=first.pk).revision == first.revision


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_one_wins(catalogue, race):
    """The editors post at once: one save, one 409, never two saves."""
    clients = [_editor("alice"), _editor("bob")]
    code = StatusCode.objects.get(code=404, slug="")
    url = _change_url(code)
    forms = [form_data(client, url) for client in clients]

    def save(n):
        forms[n]["summary"] = f"Summary from editor {n}."
        return clients[n].post(url, forms[n]).status_code

    statuses = race(2, save)
    assert sorted(statuses) == [302, 409]
    winner = statuses.index(302)
    code.refresh_from_db()
    assert code.summary == f"Summary from editor {winner}."
    assert code.history.filter(summary__startswith="Summary from editor").count() == 1
