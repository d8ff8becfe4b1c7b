"""Round trip to the repo: ``exportcontent`` writes the database's words back into the
content files, changing only what an editor changed, and the files it writes build
and sync into the same pages."""

import difflib
import io
import json
import shutil
import time
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from codes.management.commands import buildfixtures
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
from refsite.core.models import ContentConflict, SyncedRow

pytestmark = pytest.mark.django_db

ROOT = Path(buildfixtures.APP_DIR).parent
PARTS = ("codes/content", "guides/content")


def export(tmp_path) -> str:
    """exportcontent into a copy of the content folders; its output."""
    out = io.StringIO()
    call_command("exportcontent", output=tmp_path, stdout=out)
    return out.getvalue()


def files(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for part in PARTS
        for path in sorted((root / part).rglob("*"))
        if path.is_file()
    }


def changed_lines(tmp_path, name) -> tuple[list[str], list[str]]:
    """The lines removed from and added to one content file by the export."""
    before = (ROOT / name).read_text(encoding="utf-8").splitlines()
    after = (tmp_path / name).read_text(encoding="utf-8").splitlines()
    diff = list(difflib.unified_diff(before, after, lineterm="", n=0))
    removed = [line[1:] for line in diff if line.startswith("-") and not line.startswith("---")]
    added = [line[1:] for line in diff if line.startswith("+") and not line.startswith("+++")]
    return removed, added


def test_export_of_an_unchanged_database_changes_no_file(tmp_path):
    """Freshly synced: every exported file is byte for byte the committed one."""
    started = time.perf_counter()
    output = export(tmp_path)
    elapsed = time.perf_counter() - started
    assert "Wrote 0 changed content files." in output
    assert files(tmp_path) == files(ROOT)
    assert elapsed < 10, f"export took {elapsed:.1f} s"


def test_one_edit_changes_only_its_own_lines(tmp_path):
    code = StatusCode.objects.get(code=404, slug="")
    code.summary = "Nothing is at this URL, as far as the server will say."
    code.save()
    faq = FAQ.objects.get(status_code=code, slug="what-is-a-soft-404")
    faq.answer = faq.answer.replace("Search\nengines", "Search\nengines quickly")
    faq.save()
    guide = Guide.objects.get(slug="404-or-410")
    guide.body = guide.body.replace("Most of the time 404", "Usually 404")
    guide.save()

    output = export(tmp_path)

    assert "400-408.yaml: 404" in output and "404-or-410.md: changed" in output
    removed, added = changed_lines(tmp_path, "codes/content/400-408.yaml")
    assert added == [
        "    Nothing is at this URL, as far as the server will say.",
        "        engines quickly detect and flag these, and monitoring tools miss them. Return a",
    ]
    assert len(removed) == 2 and removed[0].startswith("    The server has no resource")
    removed, added = changed_lines(tmp_path, "guides/content/404-or-410.md")
    assert len(removed) == len(added) == 1 and "Usually 404 is the right answer" in added[0]
    changed = {name for name, text in files(tmp_path).items() if files(ROOT)[name] != text}
    assert changed == {"codes/content/400-408.yaml", "guides/content/404-or-410.md"}


def test_rows_added_or_unpublished_in_the_admin_keep_their_slug_and_flag(tmp_path, staff_client):
    code = StatusCode.objects.get(code=418, slug="")
    url = "/admin/codes/faq/add/"
    response = staff_client.post(
        url,
        {
            "status_code": code.pk,
            "question": "Can I really return 418?",
            "slug": "can-i-really-return-418",
            "answer": "You can.\r\n\r\nNobody should rely on it.",
            "order": 9,
            "published": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    hidden = FAQ.objects.filter(status_code=code).order_by("order").first()
    hidden.published = False
    hidden.save()
    StatusCode.objects.filter(code=306, slug="").update(published=False)
    GuideFAQ.objects.filter(guide__slug="404-or-410", slug="can-a-410-response-have-a-body").update(
        published=False
    )

    export(tmp_path)

    content = buildfixtures.load_content(tmp_path / "codes/content")
    faqs = {faq["slug"]: faq for faq in content["418"]["faqs"]}
    assert faqs["can-i-really-return-418"]["answer"] == "You can.\n\nNobody should rely on it.\n"
    assert faqs[hidden.slug]["published"] is False
    assert content["306"]["published"] is False and "published" not in content["404"]
    records = buildfixtures.build_all(None, tmp_path / "codes/content", tmp_path / "guides/content")
    by_model = {}
    for _, part in records:
        for record in part:
            by_model.setdefault(record["model"], []).append(record["fields"])
    unpublished = {
        (f["status_code"][0], f["slug"]) for f in by_model["codes.faq"] if not f["published"]
    }
    assert unpublished == {(418, hidden.slug)}
    assert [f["code"] for f in by_model["codes.statuscode"] if not f["published"]] == [306]
    guide_faqs = {f["slug"]: f["published"] for f in by_model["guides.guidefaq"]}
    assert guide_faqs["can-a-410-response-have-a-body"] is False
    removed, added = changed_lines(tmp_path, "guides/content/404-or-410.md")
    assert removed == [] and added == ["    published: false"]


PAGES = (
    "/404/",
    "/",
    "/guides/404-or-410/",
    "/choose/",
    "/choose/success/",
    "/choose/success/no-it-was-queued-and-will-run-later/",
    "/compare/200-vs-204/",
    "/418/",
)


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_export_build_and_sync_into_a_fresh_database_give_the_same_pages(
    tmp_path, client, no_page_cache
):
    code = StatusCode.objects.get(code=404, slug="")
    code.summary = "Nothing is at this URL, as far as the server will say."
    code.keywords += ", gone missing"
    code.save()
    FAQ.objects.create(
        status_code=code, slug="is-404-bad", question="Is a 404 bad?", answer="No.", order=20
    )
    guide = Guide.objects.get(slug="404-or-410")
    guide.body += "\nOne more paragraph from an editor.\n"
    guide.save()
    _edit_the_choosing_content()
    before = {url: _page(client, url) for url in PAGES}
    # A guide page shows when its row was last written, which the sync will move.
    updated = dict(Guide.objects.values_list("slug", "updated_at"))

    export(tmp_path)
    fixtures = []
    for path, data in buildfixtures.build_all(
        None, tmp_path / "codes/content", tmp_path / "guides/content"
    ):
        fixture = tmp_path / path.name
        fixture.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
        fixtures.append(str(fixture))
    for model in (
        DecisionAlternative,
        DecisionAnswer,
        DecisionQuestion,
        Comparison,
        GuideFAQ,
        Guide,
        Tag,
        FAQ,
        ResponseHeader,
        Constant,
        StatusCode,
        SyncedRow,
        ContentConflict,
    ):
        model.objects.all().delete()
    call_command("synccontent", *fixtures, verbosity=0)
    for slug, when in updated.items():
        Guide.objects.filter(slug=slug).update(updated_at=when)

    assert StatusCode.objects.get(code=404, slug="").keywords.endswith(", gone missing")
    after = {url: _page(client, url) for url in PAGES}
    for url in PAGES:
        assert after[url] == before[url], url
    assert "One more paragraph from an editor." in after["/guides/404-or-410/"]
    assert "Is a 404 bad?" in after["/404/"]


def _edit_the_choosing_content():
    question = DecisionQuestion.objects.get(slug="success")
    question.help = "Say what is true when the answer leaves the server, and no more than that."
    question.save()
    answer = question.answers.get(slug="no-it-was-queued-and-will-run-later")
    DecisionAlternative.objects.create(
        answer=answer,
        code=StatusCode.objects.get(code=204, slug=""),
        why_not="204 says there is nothing to show.\n\nThe client needs a link to poll.",
        order=5,
    )
    Comparison.objects.filter(first__code=200, second__code=204).update(
        key_difference="**200 carries a body; 204 must not.** Match the code to what you send."
    )


def test_decision_tree_and_comparison_edits_change_only_their_lines(tmp_path):
    _edit_the_choosing_content()

    output = export(tmp_path)

    assert "choosing/choose.yaml: changed" in output
    removed, added = changed_lines(tmp_path, "codes/content/choosing/choose.yaml")
    assert len(removed) == 2 and removed[0].startswith("    A success code should describe")
    assert added == [
        "    Say what is true when the answer leaves the server, and no more than that.",
        "        - code: 204",
        "          why_not: >-",
        "            204 says there is nothing to show.",
        "",
        "",
        "            The client needs a link to poll.",
    ]
    removed, added = changed_lines(tmp_path, "codes/content/choosing/comparisons.yaml")
    assert len(removed) == 13 and added == [
        "  **200 carries a body; 204 must not.** Match the code to what you send."
    ]
    tree = buildfixtures.build_choosing_records(
        {(204, ""), (200, ""), (201, ""), (202, "")} | _registered(),
        None,
        tmp_path / "codes/content/choosing",
    )
    why_not = [
        r["fields"]["why_not"]
        for r in tree
        if r["model"] == "codes.decisionalternative"
        and r["fields"]["code"] == [204, ""]
        and r["fields"]["answer"][0] == "success"
    ]
    assert why_not == ["204 says there is nothing to show.\n\nThe client needs a link to poll."]


def _registered() -> set:
    return {(c, "") for c in StatusCode.objects.filter(slug="").values_list("code", flat=True)}


def test_export_writes_into_the_repository_by_default(tmp_path, monkeypatch):
    """Without --output it writes the repository's files (here a copy standing in for it)."""
    from guides.management.commands import exportcontent

    monkeypatch.setattr(exportcontent, "ROOT", tmp_path)
    for part in PARTS:
        shutil.copytree(ROOT / part, tmp_path / part)
    StatusCode.objects.filter(code=200, slug="").update(summary="It worked.")
    out = io.StringIO()
    call_command("exportcontent", stdout=out)
    assert (
        yaml.safe_load((tmp_path / "codes/content/1xx-2xx.yaml").read_text())["200"]["summary"]
        == "It worked."
    )


def test_awkward_values_read_back_as_the_database_has_them(tmp_path):
    """Colons, hashes, quotes, leading spaces and the admin's CRLF: the export reads
    each file it writes back and refuses one that would not give the same values."""
    code = StatusCode.objects.get(code=405, slug="")
    code.summary = 'Method: not allowed #here, "quoted" too'
    code.description = "    indented code first\r\n\r\nthen text."
    code.keywords = "a: b, c # d"
    code.save()
    faq = code.faqs.first()
    faq.question = "What's 'this': really?"
    faq.save()

    output = export(tmp_path)

    assert "405" in output
    entry = buildfixtures.load_content(tmp_path / "codes/content")["405"]
    assert buildfixtures._text(entry["summary"]) == code.summary
    # buildfixtures strips a text's ends, so the export writes it stripped
    assert entry["description"] == "indented code first\n\nthen text.\n"
    assert buildfixtures._names(entry["keywords"]) == "a: b, c # d"
    assert entry["faqs"][0]["question"] == "What's 'this': really?"


def test_an_exported_edit_synced_back_into_the_same_database_is_no_conflict(tmp_path):
    """The whole loop on the editor's database: edit (the admin's textarea sends CRLF),
    export, build, sync: the files now say what the database says, so nothing conflicts."""
    faq = FAQ.objects.get(status_code__code=404, slug="what-is-a-soft-404")
    faq.answer = "A page that says not found\r\nbut answers 200.\r\n\r\nReturn a real 404."
    faq.save()

    export(tmp_path)
    fixtures = []
    for path, data in buildfixtures.build_all(
        None, tmp_path / "codes/content", tmp_path / "guides/content"
    ):
        fixture = tmp_path / path.name
        fixture.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
        fixtures.append(str(fixture))
    out = io.StringIO()
    call_command("synccontent", *fixtures, stdout=out)

    assert not ContentConflict.objects.exists(), out.getvalue()
    assert " 0 conflict" in out.getvalue()
