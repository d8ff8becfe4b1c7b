"""What is published is decided in one place: related lists never link to a hidden code."""

import re

import pytest
from django.urls import reverse

from codes.models import DecisionAlternative, StatusCode
from guides.models import Guide

pytestmark = pytest.mark.django_db


def _unpublish(code: int) -> StatusCode:
    row = StatusCode.objects.get(code=code, slug="")
    assert not StatusCode.objects.filter(code=code).exclude(pk=row.pk).exists()
    row.published = False
    row.save()
    return row


def _section_links(html: str, heading_id: str) -> list[str]:
    """The hrefs inside the <section> labelled by ``heading_id``."""
    match = re.search(
        rf'<section aria-labelledby="{heading_id}".*?</section>', html, flags=re.DOTALL
    )
    assert match, f"no section {heading_id!r}"
    return re.findall(r'href="([^"]+)"', match.group(0))


def test_a_code_pages_related_codes_never_link_an_unpublished_code(client):
    related = set(StatusCode.objects.get(code=404, slug="").related.values_list("code", flat=True))
    assert 410 in related
    _unpublish(410)
    links = _section_links(client.get("/404/").content.decode(), "related")
    assert "/410/" not in links
    assert {f"/{code}/" for code in related - {410}} <= set(links)
    for link in links:
        assert client.get(link).status_code == 200, link


def test_a_guide_pages_related_codes_never_link_an_unpublished_code(client):
    guide = Guide.objects.published().get(slug="404-or-410")
    assert guide.related_codes.filter(code=410).exists()
    _unpublish(410)
    links = _section_links(client.get(guide.get_absolute_url()).content.decode(), "related")
    assert "/410/" not in links and "/404/" in links
    for link in links:
        assert client.get(link).status_code == 200, link


def test_the_api_leaves_unpublished_codes_out_of_related(client):
    _unpublish(410)
    record = client.get(reverse("api:code", kwargs={"code": 404})).json()
    assert 410 not in record["related"] and 403 in record["related"]
    guide = client.get(reverse("api:guide", kwargs={"slug": "404-or-410"})).json()
    assert 410 not in guide["related_codes"] and 404 in guide["related_codes"]
    assert client.get(reverse("api:code", kwargs={"code": 410})).status_code == 404


def test_choose_results_leave_unpublished_alternatives_out(client):
    alternative = DecisionAlternative.objects.select_related("answer__question", "code").first()
    answer, code = alternative.answer, alternative.code
    url = answer.get_absolute_url()
    assert f'href="/{code.code}/"' in client.get(url).content.decode()
    assert answer.result.code != code.code
    _unpublish(code.code)
    assert f'href="/{code.code}/"' not in client.get(url).content.decode()


def test_unpublished_guide_faqs_and_codes_stay_out_of_the_guide_api(client):
    guide = Guide.objects.published().get(slug="400-vs-422")
    faq = guide.faqs.first()
    faq.published = False
    faq.save()
    data = client.get(reverse("api:guide", kwargs={"slug": guide.slug})).json()
    assert faq.question not in [f["question"] for f in data["faqs"]]
    html = client.get(guide.get_absolute_url()).content.decode()
    assert faq.question not in html
