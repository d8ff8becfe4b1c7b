"""Invalidation that cannot miss a model: every content write bumps the content version.

The list of models is taken from the apps themselves, not from the code under
test, so a model added later that reaches a page without bumping the version
fails here.
"""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from codes.models import FAQ, Comparison, DecisionAnswer, StatusCode
from refsite.core import content_version
from refsite.core.content_version import ContentQuerySet

pytestmark = pytest.mark.django_db

CONTENT_APPS = ("codes", "guides")


def _models():
    for label in CONTENT_APPS:
        for model in apps.get_app_config(label).get_models():
            if model.__name__.startswith("Historical"):
                continue  # simple_history's copies: shown in the admin only
            yield model


MODELS = sorted(_models(), key=lambda m: m._meta.label)


def test_the_version_is_one_row_in_the_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM core_contentversion")
        assert cursor.fetchone()[0] == 1
    before = content_version.read()
    after = content_version.bump()
    assert content_version.read() == after
    assert after.token != before.token and after.changed_at >= before.changed_at


def test_every_content_model_is_listed():
    labels = {m._meta.label for m in MODELS}
    # The models whose data reaches a public page or the API today; a new one joins
    # this list, and the tests below then prove that its writes bump the version.
    assert labels >= {
        "codes.StatusCode",
        "codes.ResponseHeader",
        "codes.Constant",
        "codes.FAQ",
        "codes.DecisionQuestion",
        "codes.DecisionAnswer",
        "codes.DecisionAlternative",
        "codes.Comparison",
        "guides.Guide",
        "guides.Tag",
        "guides.GuideFAQ",
    }
    assert set(content_version.content_models()) == set(MODELS)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_saving_any_content_model_bumps_the_version(model):
    instance = model.objects.first()
    assert instance is not None, f"no {model._meta.label} in the fixtures to edit"
    before = content_version.read()
    instance.save()
    assert content_version.read() != before


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_bulk_updates_of_any_content_model_bump_the_version(model):
    assert issubclass(model._default_manager._queryset_class, ContentQuerySet)
    pk = model.objects.values_list("pk", flat=True).first()
    before = content_version.read()
    model.objects.filter(pk=pk).update(**{model._meta.pk.attname: pk})
    assert content_version.read() != before


def test_deleting_and_m2m_changes_bump_the_version():
    from guides.models import Guide

    guide = Guide.objects.first()
    before = content_version.read()
    guide.tags.clear()
    middle = content_version.read()
    assert middle != before
    guide.faqs.all().delete()
    assert content_version.read() != middle


def test_loading_content_bumps_the_version():
    before = content_version.read()
    call_command("loaddata", "choosing", verbosity=0)
    assert content_version.read() != before


def test_admin_delete_action_bumps_the_version(staff_client):
    target = FAQ.objects.first()
    before = content_version.read()
    response = staff_client.post(
        "/admin/codes/faq/",
        {"action": "delete_selected", "_selected_action": [target.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not FAQ.objects.filter(pk=target.pk).exists()
    assert content_version.read() != before


def test_an_edit_to_the_decision_tree_shows_on_choose_at_once(client):
    answer = DecisionAnswer.objects.select_related("question").get(question__slug="start", order=0)
    first = client.get("/choose/")
    client.get("/choose/")  # now kept in the page cache
    answer.text = "Edited answer text, just now"
    answer.save()
    again = client.get("/choose/", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200
    assert "Edited answer text, just now" in again.content.decode()


def test_an_edit_to_a_comparison_shows_on_compare_at_once(client):
    comparison = Comparison.objects.get(first__code=401, second__code=403)
    path = comparison.get_absolute_url()
    client.get(path)
    client.get(path)
    Comparison.objects.filter(pk=comparison.pk).update(
        key_difference="Edited key difference, just now."
    )
    assert "Edited key difference, just now." in client.get(path).content.decode()


def test_last_modified_never_goes_back_after_an_edit(client):
    from django.utils.http import parse_http_date

    first = parse_http_date(client.get("/compare/401-vs-403/")["Last-Modified"])
    StatusCode.objects.filter(code=401, slug="").update(summary="Edited 401 summary.")
    second = parse_http_date(client.get("/compare/401-vs-403/")["Last-Modified"])
    assert second >= first
    assert second >= int(content_version.read().changed_at.timestamp())
