"""The /choose/ decision guide: every path through the fixture tree, and the tree check."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from codes.choosing import check_tree
from codes.models import DecisionAnswer, DecisionQuestion

pytestmark = pytest.mark.django_db

STEP_LINK = re.compile(r'<a class="answer" href="(/choose/[^"]+)" hx-get="\1" hx-target="#step"')
RESULT_HEADING = re.compile(r'<h2 id="recommended"[^>]*>Return <a href="/(\d{3})/">')


def _walk(client, url, trail, leaves):
    """Follow every answer link from a step, as a visitor without JavaScript would."""
    response = client.get(url)
    assert response.status_code == 200, (trail, url)
    html = response.content.decode()
    result = RESULT_HEADING.search(html)
    if result:
        code = int(result.group(1))
        page = client.get(f"/{code}/")
        assert page.status_code == 200, (trail, code)
        leaves.append((tuple(trail), code))
        return
    links = STEP_LINK.findall(html)
    assert links, f"dead end at {url} after {trail}"
    assert len(trail) < 10, f"suspiciously deep: {trail}"
    for link in links:
        _walk(client, link, [*trail, link], leaves)


def test_every_path_ends_at_a_code_page(client):
    leaves = []
    _walk(client, "/choose/", [], leaves)
    assert len(leaves) == DecisionAnswer.objects.leaves().count() + _shared_leaf_visits()
    codes = {code for _, code in leaves}
    assert len(codes) >= 25
    for needed in (
        200,
        201,
        202,
        204,
        301,
        304,
        307,
        308,
        400,
        401,
        403,
        404,
        405,
        409,
        410,
        422,
        429,
        500,
        502,
        503,
        504,
    ):
        assert needed in codes


def _shared_leaf_visits():
    """Leaves under questions reachable by more than one path are visited once per path."""
    extra = 0
    for question in DecisionQuestion.objects.all():
        paths = _paths_to(question)
        extra += (paths - 1) * question.answers.filter(result__isnull=False).count()
    return extra


def _paths_to(question, memo=None):
    memo = {} if memo is None else memo
    if question.slug == DecisionQuestion.START:
        return 1
    if question.pk not in memo:
        memo[question.pk] = sum(
            _paths_to(answer.question, memo) for answer in question.reached_from.all()
        )
    return memo[question.pk]


def test_each_step_has_its_own_url(client):
    start = client.get("/choose/").content.decode()
    first = STEP_LINK.findall(start)[0]
    assert re.fullmatch(r"/choose/[a-z0-9-]+/", first)
    assert client.get("/choose/start/").status_code == 301
    answer = DecisionAnswer.objects.leaves().select_related("question").first()
    url = answer.get_absolute_url()
    assert url == f"/choose/{answer.question.slug}/{answer.slug}/"
    assert not answer.slug.isdigit() and str(answer.pk) not in url.split("/")
    assert f'Return <a href="/{answer.result.code}/">' in client.get(url).content.decode()


def test_old_id_result_urls_answer_301_to_the_slug_url(client):
    answer = DecisionAnswer.objects.get(result__code=201, question__slug="success-created")
    response = client.get(f"/choose/success-created/{answer.pk}/")
    assert response.status_code == 301
    assert response["Location"] == "/choose/success-created/yes-a-new-resource-with-its-own-url/"
    assert client.get(response["Location"]).status_code == 200
    # An id of another question's answer, or of no answer, is not found.
    assert client.get(f"/choose/start/{answer.pk}/").status_code == 404
    assert client.get("/choose/success-created/999999/").status_code == 404
    assert client.get("/choose/success-created/no-such-answer/").status_code == 404


def test_htmx_swaps_in_just_the_next_step(client):
    response = client.get("/choose/client-error/", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and 'class="answer"' in html
    assert "HX-Request" in response["Vary"]
    assert "<html" in client.get("/choose/client-error/").content.decode()


def test_result_shows_explanation_headers_and_alternatives(client):
    answer = DecisionAnswer.objects.get(result__code=201, question__slug="success-created")
    html = client.get(answer.get_absolute_url()).content.decode()
    assert "Headers to send" in html and "<code>Location</code>" in html
    assert "Close alternatives, and why not here" in html
    assert 'href="/compare/200-vs-201/"' in html


@pytest.mark.parametrize("url", ["/choose/no-such-step/", "/choose/start/99999/"])
def test_unknown_steps_are_404(client, url):
    assert client.get(url).status_code == 404


def test_an_answer_that_leads_to_a_question_has_no_result_page(client):
    answer = DecisionAnswer.objects.filter(next_question__isnull=False).first()
    assert client.get(f"/choose/{answer.question.slug}/{answer.pk}/").status_code == 404


def test_fixture_tree_is_sound_and_the_command_says_so():
    assert check_tree() == []
    out = StringIO()
    call_command("checkchoices", stdout=out)
    assert "The decision tree is sound" in out.getvalue()


def test_check_finds_a_dead_end():
    DecisionQuestion.objects.create(slug="lonely", question="Nobody answers me?")
    problems = check_tree()
    assert any("'lonely' has no answers" in p for p in problems)
    assert any("'lonely' cannot be reached" in p for p in problems)
    with pytest.raises(CommandError):
        call_command("checkchoices", stdout=StringIO(), stderr=StringIO())


def test_check_finds_a_loop():
    leaf = (
        DecisionAnswer.objects.filter(next_question__isnull=False)
        .exclude(question__slug="start")
        .first()
    )
    start = DecisionQuestion.objects.get(slug="start")
    DecisionAnswer.objects.create(question=leaf.next_question, text="Go round", next_question=start)
    assert any(p.startswith("Loop:") for p in check_tree())


def test_check_finds_an_unpublished_code():
    answer = DecisionAnswer.objects.leaves().first()
    code = answer.result
    code.published = False
    code.save()
    assert any("unpublished code" in p for p in check_tree())
