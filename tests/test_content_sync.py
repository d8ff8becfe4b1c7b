"""The database is the truth after the first load: a content sync never loses an editor's text."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from codes.models import StatusCode
from tests.test_history import _form_data

pytestmark = pytest.mark.django_db


def test_an_admin_edit_survives_the_next_content_sync(staff_client, client):
    """The issue's story: edit 404's summary in the admin, run the content command, it stays."""
    call_command("synccontent", verbosity=0)
    code = StatusCode.objects.get(code=404, slug="")
    url = reverse("admin:codes_statuscode_change", args=[code.pk])
    data = _form_data(staff_client, url)
    data["summary"] = "An editor's own summary of 404."
    assert staff_client.post(url, data).status_code == 302
    call_command("synccontent", verbosity=0)
    code.refresh_from_db()
    assert code.summary == "An editor's own summary of 404."
    assert "An editor&#x27;s own summary of 404." in client.get("/404/").content.decode()
