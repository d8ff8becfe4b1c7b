"""The registry importer: new codes in, registry facts updated, editorial text left alone."""

import shutil

import pytest
from django.core.management import CommandError, call_command

from codes import catalogue_data
from codes.models import Status, StatusCode
from refsite.core import content_version

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

    assert "+ 427 Quota Exhausted (new)" in output
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
