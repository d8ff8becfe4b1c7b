"""The registry importer: new codes in, registry facts updated, editorial text left alone,
and every change kept: old phrases in "also known as", each save in history."""

import importlib
import json
import shutil

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from codes import catalogue_data
from codes.management.commands.importregistry import short_reference
from codes.models import NOT_EXPLAINED, Status, StatusCode
from refsite.core import content_version

HistoricalStatusCode = StatusCode.history.model

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry_copy(tmp_path):
    path = tmp_path / "registry.csv"
    shutil.copy(catalogue_data.DATA_DIR / "iana-http-status-codes.csv", path)
    return path


def _run(*args):
    from io import StringIO

    out = StringIO()
    call_command("importregistry", *map(str, args), stdout=out)
    return out.getvalue()


def test_the_shipped_registry_is_already_in_sync(registry_copy):
    version = content_version.read()
    output = _run(registry_copy)
    assert "Created 0, updated 0, 64 unchanged." in output
    assert content_version.read() == version  # nothing changed, nothing to invalidate


def test_a_changed_registry_updates_facts_and_keeps_editorial_text(registry_copy):
    text = registry_copy.read_text()
    text = text.replace("427,Unassigned,\n", "427,Quota Exhausted,[RFC9999]\n")
    text = text.replace("425,Too Early,[RFC8470]", "425,Too Early (OBSOLETED),[RFC8470]")
    text = text.replace(
        '104,"Upload Resumption Supported (TEMPORARY - registered 2024-11-13, extension '
        'registered 2025-09-15, expires 2026-11-13)",[draft-ietf-httpbis-resumable-upload-05]',
        "104,Upload Resumption Supported,[RFC9800]",
    )
    registry_copy.write_text(text)
    before = StatusCode.objects.get(code=425, slug="")
    version = content_version.read()

    output = _run(registry_copy)
    assert content_version.read() != version, "the import must invalidate cached pages"

    assert "+ 427 Quota Exhausted (new, not yet explained)" in output
    assert "~ 425 status: 'registered' -> 'obsolete'" in output
    assert "Created 1, updated 2," in output
    new = StatusCode.objects.get(code=427, slug="")
    assert new.phrase == "Quota Exhausted" and new.registry_reference == "[RFC9999]"
    after = StatusCode.objects.get(code=425, slug="")
    assert after.status == Status.OBSOLETE and after.phrase == "Too Early"
    assert after.summary == before.summary and after.description == before.description
    upload = StatusCode.objects.get(code=104, slug="")
    assert upload.status == Status.REGISTERED and upload.registry_reference == "[RFC9800]"

    # Idempotent: the second run changes nothing.
    assert "Created 0, updated 0," in _run(registry_copy)


def test_dry_run_changes_nothing(registry_copy):
    registry_copy.write_text(registry_copy.read_text().replace("427,Unassigned,", "427,New,[X]"))
    output = _run(registry_copy, "--dry-run")
    assert "Would create 1" in output
    assert not StatusCode.objects.filter(code=427).exists()


def test_a_vanished_code_is_reported_not_deleted(registry_copy):
    text = registry_copy.read_text().replace("402,Payment Required,", "402,Unassigned,")
    registry_copy.write_text(text)
    output = _run(registry_copy)
    assert "402 Payment Required is no longer in the registry" in output
    assert StatusCode.objects.filter(code=402).exists()


@pytest.mark.parametrize(
    "content",
    ["not,a,registry\n1,2,3\n", "Value,Description,Reference\nabc,Broken,\n", ""],
)
def test_a_broken_file_is_a_clear_error(tmp_path, content):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(CommandError):
        _run(path)


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        _run(tmp_path / "missing.csv")


def _rename_413_back(reference="[RFC7231, Section 6.5.11]"):
    """413 as it stood before RFC 9110 renamed it: "Payload Too Large"."""
    code = StatusCode.objects.get(code=413, slug="")
    code.phrase = code.registry_description = "Payload Too Large"
    code.registry_reference = reference
    code.also_known_as = [
        {"phrase": "Request Entity Too Large", "until": "2014", "reference": "RFC 7231"}
    ]
    code.save()
    return code


def test_a_rename_keeps_the_old_phrase_with_its_date_and_reference(registry_copy, client):
    code = _rename_413_back()
    records = code.history.count()

    output = _run(registry_copy, "--as-of", "2022-06-08")

    assert "~ 413 phrase: 'Payload Too Large' -> 'Content Too Large'" in output
    assert "~ 413 also known as: 'Payload Too Large' until 2022-06-08 (RFC 9110)" in output
    code.refresh_from_db()
    assert code.phrase == "Content Too Large"
    assert code.registry_reference == "[RFC9110, Section 15.5.14]"
    assert code.also_known_as == [
        {"phrase": "Payload Too Large", "until": "2022-06-08", "reference": "RFC 9110"},
        {"phrase": "Request Entity Too Large", "until": "2014", "reference": "RFC 7231"},
    ]
    assert code.history.count() == records + 1
    latest = code.history.first()
    assert latest.history_change_reason == "IANA import"
    assert latest.phrase == "Content Too Large"
    assert latest.prev_record.phrase == "Payload Too Large"

    html = client.get("/413/").content.decode()
    assert "<h1>413 Content Too Large</h1>" in html
    assert (
        "Called “Payload Too Large” until 2022 (RFC 9110). "
        "Called “Request Entity Too Large” until 2014 (RFC 7231)."
    ) in html
    api = client.get("/api/codes/413/").json()
    assert api["also_known_as"] == ["Payload Too Large", "Request Entity Too Large"]
    assert api["also_known_as_details"][0] == {
        "phrase": "Payload Too Large",
        "until": "2022-06-08",
        "reference": "RFC 9110",
    }
    # The old name still finds the code.
    assert client.get("/api/codes/?q=payload+too+large").json()["results"][0]["code"] == 413

    assert "Created 0, updated 0," in _run(registry_copy, "--as-of", "2023-01-01")
    code.refresh_from_db()
    assert code.also_known_as[0]["until"] == "2022-06-08"  # a second run changes nothing


def test_a_rename_is_dated_today_by_default(registry_copy):
    _rename_413_back()
    _run(registry_copy)
    entry = StatusCode.objects.get(code=413, slug="").also_known_as[0]
    assert entry == {
        "phrase": "Payload Too Large",
        "until": timezone.localdate().isoformat(),
        "reference": "RFC 9110",
    }


def test_a_rename_back_drops_the_name_it_returns_to(registry_copy):
    registry_copy.write_text(
        registry_copy.read_text().replace("422,Unprocessable Content,", "422,Unprocessable Entity,")
    )
    _run(registry_copy, "--as-of", "2030-01-01")
    code = StatusCode.objects.get(code=422, slug="")
    assert code.phrase == "Unprocessable Entity"
    assert code.also_known_as == [
        {"phrase": "Unprocessable Content", "until": "2030-01-01", "reference": "RFC 9110"}
    ]


def test_a_bad_as_of_date_is_a_clear_error(registry_copy):
    with pytest.raises(CommandError, match="expected a date"):
        _run(registry_copy, "--as-of", "June 2022")


@pytest.mark.parametrize(
    "cell, short",
    [
        ("[RFC9110, Section 15.5.14]", "RFC 9110"),
        ("[RFC2774][Status change of HTTP experiments to Historic]", "RFC 2774"),
        ("[draft-ietf-httpbis-resumable-upload-05]", "draft-ietf-httpbis-resumable-upload-05"),
        ("", ""),
    ],
)
def test_the_reference_that_renamed_a_phrase_is_its_first_document(cell, short):
    assert short_reference(cell) == short


def _add_427(registry_copy):
    registry_copy.write_text(
        registry_copy.read_text().replace("427,Unassigned,\n", "427,Quota Exhausted,[RFC9999]\n")
    )
    _run(registry_copy)
    return StatusCode.objects.get(code=427, slug="")


def test_a_new_code_has_its_facts_and_no_invented_prose(registry_copy):
    new = _add_427(registry_copy)
    assert (new.code, new.phrase, new.registry_reference) == (427, "Quota Exhausted", "[RFC9999]")
    assert new.registry_description == "Quota Exhausted" and new.status == Status.REGISTERED
    assert new.published
    for field in ("summary", "description", "when_to_use", "when_not_to_use", "causes", "fixes"):
        assert getattr(new, field) == "", field
    assert new.keywords == "" and new.also_known_as == []
    assert not new.explained
    record = new.history.get()
    assert record.history_type == "+" and record.history_change_reason == "IANA import"


def test_a_new_code_says_it_is_not_yet_explained_everywhere(registry_copy, client, htmx_headers):
    _add_427(registry_copy)

    page = client.get("/427/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>427 Quota Exhausted</h1>" in html
    assert f'<p class="notice not-explained">{NOT_EXPLAINED}</p>' in html
    assert '<p class="lead">' not in html
    assert f'<meta name="description" content="{NOT_EXPLAINED}">' in html
    assert "<code>[RFC9999]</code>" in html  # the registered reference
    assert "What it means" not in html and "How to fix it" not in html
    for block in html.split('<script type="application/ld+json">')[1:]:
        assert '"description"' not in block.split("</script>")[0]

    index = client.get("/").content.decode()
    row = index.split('<span class="code-num">427</span>')[1].split("</li>")[0]
    assert f'<p class="code-summary not-explained">{NOT_EXPLAINED}</p>' in row
    found = client.get("/?q=quota+exhausted", headers=htmx_headers).content.decode()
    assert '<span class="code-num">427</span>' in found and NOT_EXPLAINED in found
    assert NOT_EXPLAINED in client.get("/4xx/").content.decode()

    record = client.get("/api/codes/427/")
    assert record.status_code == 200
    data = record.json()
    assert data["explained"] is False and data["summary"] == "" and data["description"] == ""
    assert data["registry_reference"] == "[RFC9999]"
    listed = {r["code"]: r for r in client.get("/api/codes/?class=4").json()["results"]}
    assert listed[427]["explained"] is False and listed[429]["explained"] is True
    assert client.get("/427.json").json()["phrase"] == "Quota Exhausted"
    text = client.get("/427.txt")
    assert text.status_code == 200 and NOT_EXPLAINED in text.content.decode()

    card = client.get("/427/card.png")
    assert card.status_code == 200 and card["Content-Type"] == "image/png"
    assert "/427/" in client.get("/sitemap.xml").content.decode()
    compare = client.get("/compare/427-vs-429/")
    assert compare.status_code == 200 and NOT_EXPLAINED in compare.content.decode()


def test_every_change_is_recorded_with_the_reason_iana_import(registry_copy):
    _rename_413_back()
    text = registry_copy.read_text()
    text = text.replace("427,Unassigned,\n", "427,Quota Exhausted,[RFC9999]\n")
    text = text.replace("425,Too Early,[RFC8470]", "425,Too Early (OBSOLETED),[RFC8470]")
    registry_copy.write_text(text)
    before = set(HistoricalStatusCode.objects.values_list("history_id", flat=True))

    output = _run(registry_copy)

    assert "Created 1, updated 2," in output
    added = HistoricalStatusCode.objects.exclude(history_id__in=before)
    assert sorted(added.values_list("code", "history_type", "history_change_reason")) == [
        (413, "~", "IANA import"),
        (425, "~", "IANA import"),
        (427, "+", "IANA import"),
    ]


def test_a_no_op_import_changes_nothing_and_records_nothing(registry_copy):
    rows = {c.pk: (c.updated_at, c.phrase, c.also_known_as) for c in StatusCode.objects.all()}
    records = HistoricalStatusCode.objects.count()
    version = content_version.read()

    assert "Created 0, updated 0, 64 unchanged." in _run(registry_copy)

    assert HistoricalStatusCode.objects.count() == records
    assert content_version.read() == version
    after = {c.pk: (c.updated_at, c.phrase, c.also_known_as) for c in StatusCode.objects.all()}
    assert after == rows


def test_a_dry_run_records_no_history(registry_copy):
    _rename_413_back()
    records = HistoricalStatusCode.objects.count()
    output = _run(registry_copy, "--dry-run")
    assert "~ 413 phrase: 'Payload Too Large' -> 'Content Too Large'" in output
    assert HistoricalStatusCode.objects.count() == records
    assert StatusCode.objects.get(code=413, slug="").phrase == "Payload Too Large"


def test_the_migration_turns_comma_separated_names_into_entries():
    migration = importlib.import_module("codes.migrations.0007_structured_also_known_as")
    assert migration.entries("Payload Too Large, Request Entity Too Large") == [
        {"phrase": "Payload Too Large"},
        {"phrase": "Request Entity Too Large"},
    ]
    assert migration.entries("") == []


def test_shipped_former_phrases_carry_their_date_and_reference(client):
    html = client.get("/422/").content.decode()
    assert "Called “Unprocessable Entity” until 2022 (RFC 9110)." in html
    teapot = client.get("/418/").content.decode()
    assert "Also known as: I&#x27;m a teapot." in teapot
    fixture = json.loads(
        (catalogue_data.DATA_DIR.parent / "fixtures" / "catalogue.json").read_text()
    )
    registered = {  # records carry natural keys; a registered meaning has no slug
        r["fields"]["code"]: r["fields"]
        for r in fixture
        if r["model"] == "codes.statuscode" and not r["fields"].get("slug")
    }
    assert registered[302]["also_known_as"] == [
        {"phrase": "Moved Temporarily", "until": "1999", "reference": "RFC 2616"}
    ]


@pytest.mark.parametrize(
    "value",
    [
        "Payload Too Large",
        [{"name": "Payload Too Large"}],
        [{"phrase": " "}],
        [{"phrase": "Payload Too Large", "until": "June 2022"}],
        [{"phrase": "Payload Too Large", "until": 2022}],
    ],
)
def test_an_editor_cannot_save_a_malformed_name(value):
    code = StatusCode.objects.get(code=413, slug="")
    code.also_known_as = value
    with pytest.raises(ValidationError) as error:
        code.full_clean()
    assert "also_known_as" in error.value.message_dict
