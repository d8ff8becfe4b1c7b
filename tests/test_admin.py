"""The editors' admin opens and offers the filters and search they need."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from codes.models import FAQ, StatusCode

pytestmark = pytest.mark.django_db


def test_changelist_shows_columns_and_filters(staff_client):
    response = staff_client.get(reverse("admin:codes_statuscode_changelist"))
    assert response.status_code == 200
    html = response.content.decode()
    for column in ("Code", "Phrase", "Class", "Status", "Vendor", "Published", "Updated at"):
        assert column in html
    assert "4xx Client error" in html and "Cloudflare" in html


@pytest.mark.parametrize(
    ("params", "present", "absent"),
    [
        ({"class": "5"}, "Bad Gateway", "Not Found"),
        ({"status": "unofficial"}, "Client Closed Request", "Bad Gateway"),
        ({"vendor": "nginx"}, "Client Closed Request", "Token Required"),
        ({"q": "404"}, "Not Found", "Bad Gateway"),
        ({"q": "rate limit"}, "Too Many Requests", "Not Found"),
    ],
)
def test_changelist_filters_and_search(staff_client, params, present, absent):
    html = staff_client.get(reverse("admin:codes_statuscode_changelist"), params).content.decode()
    assert present in html
    assert absent not in html


def test_change_form_has_inlines_autocomplete_and_view_on_site(staff_client):
    code = StatusCode.objects.get(code=429, slug="")
    response = staff_client.get(reverse("admin:codes_statuscode_change", args=[code.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "FAQs" in html and "Response headers" in html and "Constants" in html
    assert "admin-autocomplete" in html
    content_type = ContentType.objects.get_for_model(StatusCode)
    assert reverse("admin:view_on_site", args=[content_type.pk, code.pk]) in html


def test_related_codes_autocomplete_answers(staff_client):
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "gateway",
            "app_label": "codes",
            "model_name": "statuscode",
            "field_name": "related",
        },
    )
    assert response.status_code == 200
    texts = [r["text"] for r in response.json()["results"]]
    assert "502 Bad Gateway" in texts


def test_faq_admin_opens(staff_client):
    response = staff_client.get(reverse("admin:codes_faq_changelist"))
    assert response.status_code == 200
    assert FAQ.objects.first().question in response.content.decode()


def test_admin_is_closed_to_anonymous_visitors(client):
    response = client.get(reverse("admin:codes_statuscode_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_guide_admin_has_filters_inlines_preview_and_prepopulated_slug(staff_client):
    from guides.models import Guide

    html = staff_client.get(reverse("admin:guides_guide_changelist")).content.decode()
    for text in ("By status", "By tags", "By author", "Preview", "View"):
        assert text in html or text.lower() in html
    guide = Guide.objects.get(slug="401-vs-403")
    html = staff_client.get(reverse("admin:guides_guide_change", args=[guide.pk])).content.decode()
    assert "prepopulated" in html and "FAQs" in html and "admin-autocomplete" in html
    assert 'href="/guides/401-vs-403/"' in html
    add = staff_client.get(reverse("admin:guides_guide_add"))
    assert add.status_code == 200


def test_decision_tree_is_editable_in_the_admin(staff_client):
    from codes.models import DecisionAnswer, DecisionQuestion

    html = staff_client.get(reverse("admin:codes_decisionquestion_changelist")).content.decode()
    assert "The tree is sound" in html
    start = DecisionQuestion.objects.get(slug="start")
    page = staff_client.get(reverse("admin:codes_decisionquestion_change", args=[start.pk]))
    assert page.status_code == 200 and "Did the request succeed?" in page.content.decode()
    leaf = DecisionAnswer.objects.leaves().first()
    page = staff_client.get(reverse("admin:codes_decisionanswer_change", args=[leaf.pk]))
    assert page.status_code == 200 and "Decision alternatives" in page.content.decode()
    assert staff_client.get(reverse("admin:codes_comparison_changelist")).status_code == 200


def test_the_user_admin_refuses_an_address_another_account_holds(staff_client, make_user):
    """The unique index on lower(email) answers as a form error, never a 500."""
    make_user("carol")  # carol@example.com
    dave = make_user("dave")
    url = reverse("admin:auth_user_change", args=[dave.pk])
    form = staff_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        username="dave",
        email="CAROL@example.com",
        date_joined_0=dave.date_joined.strftime("%Y-%m-%d"),
        date_joined_1=dave.date_joined.strftime("%H:%M:%S"),
        is_active="on",
    )
    data.pop("password", None)
    data.pop("groups", None)
    data.pop("user_permissions", None)
    data.pop("last_login", None)
    data.pop("date_joined", None)
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "Another account already uses this e-mail address." in response.content.decode()
    dave.refresh_from_db()
    assert dave.email == "dave@example.com"
    data["email"] = "dave.new@example.com"
    assert staff_client.post(url, data).status_code == 302
    dave.refresh_from_db()
    assert dave.email == "dave.new@example.com"


def test_changelist_search_finds_a_former_phrase(staff_client):
    code = StatusCode.objects.get(code=410, slug="")
    code.also_known_as = [{"phrase": "Vanished Forever", "until": "2020", "reference": "RFC 1"}]
    code.save()
    url = reverse("admin:codes_statuscode_changelist")
    html = staff_client.get(url, {"q": "vanished forever"}).content.decode()
    assert ">Gone<" in html and "Not Found" not in html
