"""Nothing an editor does is lost: every change is recorded and can be restored."""

import pytest
from django.urls import reverse

from codes.models import FAQ, StatusCode
from guides.models import Guide
from tests.admin_forms import form_data as _form_data

pytestmark = pytest.mark.django_db


def test_a_change_is_recorded_with_who_when_and_what(staff_client):
    code = StatusCode.objects.get(code=418, slug="")
    before = code.history.count()
    url = reverse("admin:codes_statuscode_change", args=[code.pk])
    data = _form_data(staff_client, url)
    data["summary"] = "A reserved number with a famous joke attached."
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    record = code.history.first()
    assert code.history.count() == before + 1
    assert record.history_user.username == "editor"
    assert record.summary == "A reserved number with a famous joke attached."
    delta = record.diff_against(record.prev_record)
    assert [change.field for change in delta.changes] == ["summary"]
    history_page = staff_client.get(reverse("admin:codes_statuscode_history", args=[code.pk]))
    assert history_page.status_code == 200
    assert "A reserved number with a famous joke attached." in history_page.content.decode()


def test_an_earlier_version_can_be_restored_and_the_page_shows_it(client, staff_client):
    code = StatusCode.objects.get(code=410, slug="")
    original = code.summary
    code.summary = "Vandalised summary."
    code.save()
    assert "Vandalised summary." in client.get("/410/").content.decode()
    old = code.history.filter(summary=original).first()
    url = reverse("admin:codes_statuscode_simple_history", args=[code.pk, old.history_id])
    data = _form_data(staff_client, url)
    assert data["summary"] == original
    response = staff_client.post(url, data)
    assert response.status_code == 302
    code.refresh_from_db()
    assert code.summary == original
    page = client.get("/410/").content.decode()
    assert original.replace("'", "&#x27;") in page and "Vandalised" not in page


def test_faq_and_guide_changes_are_recorded():
    faq = FAQ.objects.filter(status_code__code=404).first()
    faq.answer = "Changed answer."
    faq.save()
    assert faq.history.first().answer == "Changed answer."
    guide = Guide.objects.get(slug="404-or-410")
    guide.title = "404 or 410?"
    guide.save()
    assert guide.history.first().title == "404 or 410?"


def test_deleting_a_guide_keeps_its_history():
    guide = Guide.objects.get(slug="404-or-410")
    guide.title = "Edited before deletion"
    guide.save()
    pk = guide.pk
    guide.delete()
    records = Guide.history.filter(id=pk)
    assert records.filter(history_type="-").exists()
    assert records.filter(title="Edited before deletion").exists()
    assert records.count() >= 3
