"""Bad content gets a clear answer (file, line, key) and loses nothing (issue 15, point 8)."""

import json
import shutil

import pytest
from django.core.management import CommandError, call_command

from codes.management.commands import buildfixtures
from codes.management.commands.synccontent import SHIPPED
from codes.models import StatusCode

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped():
    return [json.loads(path.read_text(encoding="utf-8")) for path in SHIPPED]


def _sync_fails(tmp_path, files) -> str:
    """Write the fixture files (indented as buildfixtures writes them), sync, expect failure.

    The first file always carries a good upstream change to 410's summary: it must not
    be applied, because the whole sync is one transaction that the bad input aborts.
    """
    paths = []
    for n, records in enumerate(files):
        path = tmp_path / f"f{n}.json"
        text = records if isinstance(records, str) else json.dumps(records, indent=1)
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    with pytest.raises(CommandError) as failure:
        call_command("synccontent", *paths, verbosity=0)
    assert StatusCode.objects.get(code=410, slug="").summary != "Gone for good."
    return str(failure.value)


def _with_upstream_change(catalogue):
    for record in catalogue:
        if record["model"] == "codes.statuscode" and record["fields"]["code"] == 410:
            record["fields"]["summary"] = "Gone for good."
    return catalogue


def _line_of(path_text: str, needle: str) -> int:
    return path_text[: path_text.index(needle)].count("\n") + 1


def test_a_malformed_fixture_names_file_and_line(tmp_path, shipped):
    catalogue, guides, choosing = shipped
    broken = json.dumps(guides, indent=1).replace('"slug": "404-or-410"', '"slug" "404-or-410"')
    message = _sync_fails(tmp_path, [_with_upstream_change(catalogue), broken, choosing])
    line = _line_of(broken, '"slug" "404-or-410"')
    assert f"f1.json:{line}: malformed" in message


def test_a_duplicate_key_names_both_places(tmp_path, shipped):
    catalogue, guides, choosing = shipped
    faq = next(r for r in catalogue if r["fields"].get("slug") == "what-is-a-soft-404")
    catalogue.append(json.loads(json.dumps(faq)))
    message = _sync_fails(tmp_path, [_with_upstream_change(catalogue), guides, choosing])
    assert 'codes.faq [404, "", "what-is-a-soft-404"]: duplicate key (first at' in message
    text = json.dumps(catalogue, indent=1)
    last = text.rindex('"model": "codes.faq"')
    assert f"f0.json:{text[:last].count(chr(10))}:" in message  # the record's opening line


def test_an_unknown_code_names_the_row_and_the_code(tmp_path, shipped):
    catalogue, guides, choosing = shipped
    answer = next(
        r for r in choosing if r["fields"].get("slug") == "yes-a-new-resource-with-its-own-url"
    )
    answer["fields"]["result"] = [299, ""]
    message = _sync_fails(tmp_path, [_with_upstream_change(catalogue), guides, choosing])
    assert (
        'codes.decisionanswer ["success-created", "yes-a-new-resource-with-its-own-url"]: '
        'result names unknown codes.statuscode [299, ""]'
    ) in message
    assert "f2.json:" in message


def test_an_unsafe_link_is_refused(tmp_path, shipped):
    catalogue, guides, choosing = shipped
    code = next(
        r for r in catalogue if r["model"] == "codes.statuscode" and r["fields"]["code"] == 404
    )
    code["fields"]["description"] += "\n\nSee [the fix](javascript:alert(1))."
    message = _sync_fails(tmp_path, [_with_upstream_change(catalogue), guides, choosing])
    assert (
        "codes.statuscode [404, \"\"]: description has an unsafe link 'javascript:alert(1'"
        in message
    )


# -- the same answers from buildfixtures, with the content file's own line


@pytest.fixture
def content(tmp_path):
    return shutil.copytree(buildfixtures.CONTENT_DIR, tmp_path / "content")


def _build_fails(content_dir) -> str:
    with pytest.raises(CommandError) as failure:
        buildfixtures.build_records(buildfixtures.load_content(content_dir))
    return str(failure.value)


def test_malformed_yaml_names_file_and_line(content):
    path = content / "3xx.yaml"
    lines = path.read_text().splitlines(keepends=True)
    lines[10] = "  summary: [unclosed\n"
    path.write_text("".join(lines))
    message = _build_fails(content)
    assert message.startswith("3xx.yaml:") and "malformed YAML" in message


def test_a_key_given_twice_in_a_file_is_refused_not_silently_dropped(content):
    path = content / "3xx.yaml"
    text = path.read_text()
    first = _line_of(text, '"301":')
    path.write_text(text + '\n"301":\n  summary: Again.\n')
    message = _build_fails(content)
    last = len(text.splitlines()) + 2
    assert message == f"3xx.yaml:{last}: duplicate key '301' (first at line {first})"


def test_content_for_an_unknown_code_names_file_and_line(content):
    path = content / "5xx.yaml"
    text = path.read_text()
    path.write_text(text + '\n"599":\n  summary: Nobody registered this.\n')
    message = _build_fails(content)
    assert f"5xx.yaml:{len(text.splitlines()) + 2}: 599" in message


def test_an_unsafe_link_in_a_content_file_names_file_line_and_key(content):
    path = content / "3xx.yaml"
    text = path.read_text()
    needle = "      question: What is the difference between 301 and 308?\n"
    path.write_text(text.replace(needle, needle + "      answer: '[x](data:text/html,hi)'\n", 1))
    text = path.read_text()
    # The answer key now appears twice in that FAQ: refused as a duplicate first.
    assert "duplicate key 'answer'" in _build_fails(content)
    path.write_text(
        text.replace("      answer: '[x](data:text/html,hi)'\n", "", 1).replace(
            needle, needle.replace("?", "? [x](data:text/html,hi)"), 1
        )
    )
    message = _build_fails(content)
    line = _line_of(path.read_text(), "- slug: what-is-the-difference-between-301-and-308")
    assert message.startswith(f"3xx.yaml:{line}: 301 FAQ")
    assert "question has an unsafe link 'data:text/html,hi'" in message
