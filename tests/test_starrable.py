"""Codes and guides reach stars and suggestions through refsite/accounts/kinds.py."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from codes.models import StatusCode
from guides.models import Guide
from refsite.accounts import kinds
from refsite.accounts.models import Star, Suggestion


def _code(number: int) -> StatusCode:
    return StatusCode.objects.get(code=number, slug="")


def test_codes_and_guides_register_their_kinds():
    assert [kind.name for kind in kinds.registered()] == ["code", "guide"]
    assert kinds.get("code").model is StatusCode and kinds.get("guide").model is Guide
    assert kinds.get("comment") is None


@pytest.mark.django_db
def test_my_codes_costs_the_same_queries_for_many_stars(user_client):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert user_client.get("/accounts/my-codes/").status_code == 200
        return len(captured)

    for number in (404, 410):
        user_client.post(f"/accounts/star/code/{number}/")
    user_client.post("/accounts/star/guide/401-vs-403/")
    few = queries()
    numbers = StatusCode.objects.published().filter(slug="").values_list("code", flat=True)
    for number in list(numbers)[:40]:
        Star.objects.get_or_create(user=user_client.user, **_target_of(_code(number)))
    for guide in Guide.objects.published():
        Star.objects.get_or_create(user=user_client.user, **_target_of(guide))
    assert Star.objects.filter(user=user_client.user).count() > 40
    assert queries() == few <= 8


def _target_of(obj) -> dict:
    star = Star(target=obj)
    return {"content_type": star.content_type, "object_id": star.object_id}


@pytest.mark.django_db
def test_the_cheat_sheet_shows_only_published_targets(user_client):
    user_client.post("/accounts/star/code/410/")
    user_client.post("/accounts/star/guide/404-or-410/")
    html = user_client.get("/accounts/my-codes/").content.decode()
    assert ">410<" in html and "/guides/404-or-410/" in html
    code = _code(410)
    code.published = False
    code.save()
    Guide.objects.filter(slug="404-or-410").update(status=Guide.Status.DRAFT)
    html = user_client.get("/accounts/my-codes/").content.decode()
    assert ">410<" not in html and "/guides/404-or-410/" not in html
    assert "No codes starred yet." in html
    assert Star.objects.filter(user=user_client.user).count() == 2  # kept, just not shown


@pytest.mark.django_db
def test_deleting_a_guide_takes_its_stars_and_suggestions_with_it(user_client):
    user_client.post("/accounts/star/guide/404-or-410/")
    user_client.post("/accounts/star/code/404/")
    user_client.post(
        "/accounts/suggest/guide/404-or-410/",
        {"field": "summary", "new_text": "Shorter.", "reason": "Clearer."},
    )
    Guide.objects.get(slug="404-or-410").delete()
    assert [str(star.target) for star in Star.objects.all()] == ["404 Not Found"]
    assert not Suggestion.objects.exists()


@pytest.mark.django_db
def test_admin_lists_and_opens_stars_and_suggestions(staff_client, make_user):
    writer = Client()
    writer.force_login(make_user("writer"))
    writer.post("/accounts/star/code/404/")
    writer.post("/accounts/star/guide/401-vs-403/")
    writer.post(
        "/accounts/suggest/code/404/",
        {"field": "causes", "new_text": "A typo in the URL.", "reason": "Common."},
    )
    stars = staff_client.get(reverse("admin:accounts_star_changelist")).content.decode()
    guide = Guide.objects.get(slug="401-vs-403")
    assert "404 Not Found" in stars and guide.title in stars
    for star in Star.objects.all():
        page = staff_client.get(reverse("admin:accounts_star_change", args=[star.pk]))
        assert page.status_code == 200
    suggestions = staff_client.get(reverse("admin:accounts_suggestion_changelist"))
    assert "for 404 Not Found: Common causes" in suggestions.content.decode()
    suggestion = Suggestion.objects.get()
    page = staff_client.get(reverse("admin:accounts_suggestion_change", args=[suggestion.pk]))
    assert page.status_code == 200 and "404 Not Found" in page.content.decode()


@pytest.mark.django_db
def test_the_admin_lists_suggestions_in_bounded_queries(staff_client, make_user):
    for n in range(3):
        client = Client()
        client.force_login(make_user(f"writer{n}"))
        for path in ("/accounts/suggest/code/404/", "/accounts/suggest/guide/404-or-410/"):
            client.post(path, {"field": "summary", "new_text": f"Text {n}", "reason": "r"})
    assert Suggestion.objects.count() == 6
    with CaptureQueriesContext(connection) as captured:
        staff_client.get(reverse("admin:accounts_suggestion_changelist"))
    assert len(captured) <= 12


def test_the_migration_keeps_every_star_and_suggestion(django_db_setup, django_db_blocker):
    """0003 maps each old foreign key to (content type, id), and back again.

    Migrations cannot run inside a test's transaction, so this test takes the
    database without one, and in a thread of its own: it runs after the browser
    tests, whose Playwright event loop still runs in the main thread (Django
    refuses database calls there), and after the live server emptied the
    tables, so it makes its own code and guide and deletes what it made.
    """
    with django_db_blocker.unblock():
        _in_a_thread(_migrate_there_and_back)


def _in_a_thread(function):
    failures = []

    def run():
        try:
            function()
        except BaseException as failure:  # re-raised in the test's thread
            failures.append(failure)
        finally:
            connection.close()  # this thread's own; SQLite's in-memory one is kept

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failures:
        raise failures[0]


def _migrate_there_and_back():
    old = [("accounts", "0002_editors_group")]
    user = get_user_model().objects.create_user("migrated", "m@example.com", "x" * 12)
    code = StatusCode.objects.create(code=297, phrase="Migrated", summary="A code for this test.")
    guide = Guide.objects.create(slug="migrated", title="Migrated", summary="S.", body="B.")
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(old)
        old_apps = executor.loader.project_state(old).apps
        OldStar = old_apps.get_model("accounts", "Star")
        OldSuggestion = old_apps.get_model("accounts", "Suggestion")
        OldStar.objects.create(user_id=user.pk, status_code_id=code.pk)
        OldStar.objects.create(user_id=user.pk, guide_id=guide.pk)
        old_suggestions = [
            ({"status_code_id": code.pk}, "causes"),
            ({"guide_id": guide.pk}, "body"),
        ]
        for target, field in old_suggestions:
            OldSuggestion.objects.create(
                user_id=user.pk, field=field, new_text="new", reason="why", **target
            )

        # Forward through 0003 to the latest, so today's models can read the rows.
        executor = MigrationExecutor(connection)
        executor.migrate([n for n in executor.loader.graph.leaf_nodes() if n[0] == "accounts"])
        stars = Star.objects.filter(user=user).order_by("pk")
        assert [star.target for star in stars] == [code, guide]
        suggestions = Suggestion.objects.filter(user=user).order_by("pk")
        assert [(s.target, s.field_label) for s in suggestions] == [
            (code, "Common causes"),
            (guide, "Article text"),
        ]

        MigrationExecutor(connection).migrate(old)  # and back
        assert list(
            OldStar.objects.filter(user_id=user.pk)
            .order_by("pk")
            .values_list("status_code_id", "guide_id")
        ) == [(code.pk, None), (None, guide.pk)]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        user.delete()
        for row in (code, guide):
            pk = row.pk
            row.delete()
            type(row).history.filter(id=pk).delete()
