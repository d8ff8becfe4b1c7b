"""The database is the truth after the first load: a content sync never loses an editor's text."""

import io
import json

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from codes.management.commands.synccontent import SHIPPED
from codes.models import (
    FAQ,
    Comparison,
    Constant,
    DecisionAlternative,
    DecisionAnswer,
    DecisionQuestion,
    ResponseHeader,
    StatusCode,
)
from guides.models import Guide, GuideFAQ, Tag
from refsite.core import content_version
from refsite.core.models import ContentConflict, SyncedRow
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


# -- the cases of point 2, each on a database the session set up with synccontent


@pytest.fixture
def shipped():
    """The shipped records, as synccontent reads them, to change before a sync."""
    records = []
    for path in SHIPPED:
        records.extend(json.loads(path.read_text(encoding="utf-8")))
    return records


@pytest.fixture
def run_sync(tmp_path):
    """``run_sync(records, dry_run=False)``: synccontent on those records; its output."""

    def run(records, dry_run=False):
        path = tmp_path / "shipped.json"
        path.write_text(json.dumps(records), encoding="utf-8")
        out = io.StringIO()
        call_command("synccontent", str(path), dry_run=dry_run, stdout=out)
        return out.getvalue()

    return run


def _record(records, model, **match):
    return next(
        r
        for r in records
        if r["model"] == model and all(r["fields"][k] == v for k, v in match.items())
    )


def _summary(code):
    return StatusCode.objects.get(code=code, slug="").summary


def test_an_empty_database_gets_everything(shipped, run_sync, client):
    for model in (DecisionAlternative, DecisionAnswer, DecisionQuestion, Comparison, GuideFAQ):
        model.objects.all().delete()
    for model in (Guide, Tag, FAQ, ResponseHeader, Constant, StatusCode, SyncedRow):
        model.objects.all().delete()
    start = timezone.now()
    output = run_sync(shipped)
    assert "1069 new" in output and "0 updated" in output
    counts = {}
    for record in shipped:
        counts[record["model"]] = counts.get(record["model"], 0) + 1
    for label, count in counts.items():
        assert apps.get_model(label).objects.count() == count, label
    assert StatusCode.objects.get(code=404, slug="").pk == 404
    assert StatusCode.objects.get(code=404, slug="").history.first().history_change_reason == (
        "content sync"
    )
    assert 'id="faq-what-is-a-soft-404"' in client.get("/404/").content.decode()
    assert StatusCode.objects.get(code=404).related.exists()
    assert Guide.objects.get(slug="404-or-410").tags.exists()
    # Every kind of row the sync wrote is in history, with the reason, not only codes.
    for label, count in counts.items():
        added = apps.get_model(label).history.filter(history_type="+", history_date__gte=start)
        assert added.filter(history_change_reason="content sync").count() == count, label


def test_a_second_run_changes_nothing(shipped, run_sync):
    _record(shipped, "codes.statuscode", code=410, slug="")["fields"]["summary"] = "Gone for good."
    run_sync(shipped)
    history = StatusCode.history.count()
    version = content_version.read()
    output = run_sync(shipped)
    assert "0 new, 0 updated, 0 kept, 0 conflict, 0 removed, 0 deleted" in output
    assert StatusCode.history.count() == history
    assert content_version.read().token == version.token


def test_a_new_row_in_the_files_is_added(shipped, run_sync):
    shipped.append(
        {
            "model": "codes.faq",
            "fields": {
                "status_code": [404, ""],
                "slug": "is-this-new",
                "question": "Is this new?",
                "answer": "Yes.",
                "order": 9,
                "published": True,
            },
        }
    )
    output = run_sync(shipped)
    assert "+ 1 new codes.faq" in output
    faq = FAQ.objects.get(status_code__code=404, slug="is-this-new")
    assert faq.history.get().history_change_reason == "content sync"


def test_an_upstream_change_is_applied_with_history(shipped, run_sync, client):
    before = client.get("/410/").content.decode()  # now in the page cache
    _record(shipped, "codes.statuscode", code=410, slug="")["fields"]["summary"] = "Gone for good."
    output = run_sync(shipped)
    assert '~ codes.statuscode [410, ""] summary: shipped change applied' in output
    assert _summary(410) == "Gone for good."
    record = StatusCode.objects.get(code=410, slug="").history.first()
    assert record.history_change_reason == "content sync" and record.summary == "Gone for good."
    assert "Gone for good." not in before
    assert "Gone for good." in client.get("/410/").content.decode()  # the cache saw the sync


def test_an_editor_change_is_kept_when_the_files_did_not_change(shipped, run_sync):
    code = StatusCode.objects.get(code=418, slug="")
    code.summary = "An editor's teapot."
    code.save()
    output = run_sync(shipped)
    assert '= codes.statuscode [418, ""] summary: editor\'s change kept' in output
    assert _summary(418) == "An editor's teapot."
    assert not ContentConflict.objects.exists()


def _make_conflict(shipped, run_sync):
    code = StatusCode.objects.get(code=429, slug="")
    code.summary = "The editor's 429."
    code.save()
    _record(shipped, "codes.statuscode", code=429, slug="")["fields"]["summary"] = "Shipped 429."
    return run_sync(shipped)


def test_a_conflict_keeps_the_editors_text_prints_it_and_lists_it(shipped, run_sync, staff_client):
    output = _make_conflict(shipped, run_sync)
    assert '! codes.statuscode [429, ""] summary: CONFLICT, the editor\'s text is kept' in output
    assert "editor's:  The editor's 429." in output and "shipped:   Shipped 429." in output
    assert _summary(429) == "The editor's 429."
    conflict = ContentConflict.objects.get(model="codes.statuscode", field="summary")
    assert conflict.shipped == "Shipped 429."
    listing = staff_client.get(reverse("admin:core_contentconflict_changelist"))
    assert listing.status_code == 200 and "429" in listing.content.decode()
    page = staff_client.get(reverse("admin:core_contentconflict_change", args=[conflict.pk]))
    html = page.content.decode().replace("&nbsp;", " ")  # the side-by-side diff's spaces
    assert page.status_code == 200
    assert "Shipped 429." in html and "The editor's 429." in html
    again = run_sync(shipped)  # reported again, changes nothing
    assert '! codes.statuscode [429, ""] summary: still unresolved' in again
    assert "0 new, 0 updated, 0 kept, 0 conflict, 0 removed, 0 deleted, 1 unresolved" in again
    assert _summary(429) == "The editor's 429."


def test_take_shipped_resolves_a_conflict(shipped, run_sync, staff_client):
    _make_conflict(shipped, run_sync)
    conflict = ContentConflict.objects.get()
    response = staff_client.post(
        reverse("admin:core_contentconflict_changelist"),
        {"action": "take_shipped", "_selected_action": [conflict.pk]},
    )
    assert response.status_code == 302
    assert _summary(429) == "Shipped 429."
    assert not ContentConflict.objects.exists()
    assert "0 new, 0 updated, 0 kept, 0 conflict" in run_sync(shipped)


def test_keep_mine_resolves_a_conflict(shipped, run_sync, staff_client):
    _make_conflict(shipped, run_sync)
    conflict = ContentConflict.objects.get()
    staff_client.post(
        reverse("admin:core_contentconflict_changelist"),
        {"action": "keep_mine", "_selected_action": [conflict.pk]},
    )
    assert _summary(429) == "The editor's 429."
    assert not ContentConflict.objects.exists()
    output = run_sync(shipped)
    assert "0 updated" in output and "0 conflict" in output
    assert _summary(429) == "The editor's 429."


def test_a_row_gone_from_the_files_is_reported_and_kept(shipped, run_sync):
    faq = _record(shipped, "codes.faq", slug="what-is-a-soft-404")
    shipped.remove(faq)
    output = run_sync(shipped)
    assert '? codes.faq [404, "", "what-is-a-soft-404"]: gone from the files, kept' in output
    assert FAQ.objects.filter(slug="what-is-a-soft-404").exists()


def test_a_row_an_editor_deleted_is_not_brought_back(shipped, run_sync):
    FAQ.objects.get(slug="what-is-a-soft-404").delete()
    output = run_sync(shipped)
    assert "deleted by an editor" in output
    assert not FAQ.objects.filter(slug="what-is-a-soft-404").exists()


def test_a_dry_run_prints_the_plan_and_changes_nothing(shipped, run_sync):
    _record(shipped, "codes.statuscode", code=410, slug="")["fields"]["summary"] = "Gone for good."
    code = StatusCode.objects.get(code=429, slug="")
    code.summary = "The editor's 429."
    code.save()
    _record(shipped, "codes.statuscode", code=429, slug="")["fields"]["summary"] = "Shipped 429."
    history = StatusCode.history.count()
    version = content_version.read()
    output = run_sync(shipped, dry_run=True)
    assert "summary: shipped change applied" in output and "CONFLICT" in output
    assert output.strip().endswith(
        "Dry run, nothing changed: would sync 1069 shipped rows: "
        "0 new, 1 updated, 0 kept, 1 conflict, 0 removed, 0 deleted, 0 unresolved."
    )
    assert _summary(410) != "Gone for good."
    assert not ContentConflict.objects.exists()
    assert StatusCode.history.count() == history
    assert content_version.read().token == version.token
