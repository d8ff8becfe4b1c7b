"""Editors and permission boundaries in the admin."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse

from codes.models import StatusCode

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(make_user):
    user = make_user("ed")
    call_command("makeeditor", "ed", stdout=StringIO())
    user.refresh_from_db()
    return user


def test_editors_group_exists_with_the_right_rights():
    group = Group.objects.get(name="Editors")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {
        "add_statuscode",
        "change_statuscode",
        "add_faq",
        "change_faq",
        "add_guide",
        "change_guide",
        "change_suggestion",
    } <= codenames
    assert "delete_statuscode" not in codenames
    assert not any(c.endswith("_user") or c.endswith("_group") for c in codenames)


def test_makeeditor_command(editor):
    assert editor.is_staff and editor.groups.filter(name="Editors").exists()
    call_command("makeeditor", "ed", "--remove", stdout=StringIO())
    editor.refresh_from_db()
    assert not editor.is_staff
    with pytest.raises(CommandError):
        call_command("makeeditor", "nobody", stdout=StringIO())


def test_admin_is_closed_to_non_staff(client, make_user):
    client.force_login(make_user("plain"))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_editor_can_edit_codes_and_guides(client, editor):
    client.force_login(editor)
    code = StatusCode.objects.get(code=404, slug="")
    assert client.get(reverse("admin:codes_statuscode_change", args=[code.pk])).status_code == 200
    assert client.get(reverse("admin:guides_guide_add")).status_code == 200
    assert client.get(reverse("admin:codes_faq_changelist")).status_code == 200


def test_editor_cannot_delete_codes(client, editor):
    client.force_login(editor)
    code = StatusCode.objects.get(code=404, slug="")
    response = client.post(
        reverse("admin:codes_statuscode_delete", args=[code.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert StatusCode.objects.filter(pk=code.pk).exists()


def test_editor_cannot_manage_users(client, editor):
    client.force_login(editor)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403


def test_superuser_can_do_everything(staff_client):
    code = StatusCode.objects.get(code=418, slug="")
    assert (
        staff_client.get(reverse("admin:codes_statuscode_delete", args=[code.pk])).status_code
        == 200
    )
    assert staff_client.get(reverse("admin:auth_user_changelist")).status_code == 200


def test_admin_login_is_the_throttled_site_login(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    login = client.get(response["Location"])
    assert login.status_code == 200
    assert "Sign in" in login.content.decode()
