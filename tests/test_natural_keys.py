"""Every content row has a key made from its content: moving entries in a file re-keys nothing."""

import shutil

import pytest
from django.apps import apps

from codes.management.commands import buildfixtures
from codes.models import FAQ, DecisionAnswer, StatusCode
from guides.models import GuideFAQ

pytestmark = pytest.mark.django_db


def _key(record) -> tuple:
    model = apps.get_model(record["model"])
    key = [record["model"]]
    for name in model.natural_key_fields:
        value = record["fields"][name]
        key.extend(value if isinstance(value, list) else [value])
    return tuple(key)


def _keys(content_dir, guides_dir, choosing_dir, monkeypatch) -> list[tuple]:
    monkeypatch.setattr(buildfixtures, "CHOOSING_DIR", choosing_dir)
    slugs = buildfixtures.SlugWriter()
    records = buildfixtures.build_records(buildfixtures.load_content(content_dir), slugs)
    meanings = {
        (r["fields"]["code"], r["fields"]["slug"])
        for r in records
        if r["model"] == "codes.statuscode"
    }
    guides = buildfixtures.load_guides(guides_dir)
    records += buildfixtures.build_guide_records(guides, meanings, slugs)
    records += buildfixtures.build_choosing_records(meanings, slugs)
    keys = [_key(r) for r in records]
    assert len(keys) == len(set(keys)), "natural keys are unique"
    return keys


@pytest.fixture
def content_copy(tmp_path):
    codes = shutil.copytree(buildfixtures.CONTENT_DIR, tmp_path / "codes")
    guides = shutil.copytree(buildfixtures.GUIDE_CONTENT_DIR, tmp_path / "guides")
    return codes, guides, codes / "choosing"


def test_every_content_model_has_a_natural_key_and_loads_by_it():
    for label in (
        "codes.statuscode",
        "codes.responseheader",
        "codes.constant",
        "codes.faq",
        "codes.decisionquestion",
        "codes.decisionanswer",
        "codes.decisionalternative",
        "codes.comparison",
        "guides.tag",
        "guides.guide",
        "guides.guidefaq",
    ):
        model = apps.get_model(label)
        row = model.objects.first()
        assert model.objects.get_by_natural_key(*row.natural_key()) == row
    assert StatusCode.objects.get(code=404, slug="").natural_key() == (404, "")
    assert StatusCode.objects.get(code=404, slug="").pk == 404  # registered: pk is the number


def test_inserting_removing_and_reordering_entries_changes_no_other_key(content_copy, monkeypatch):
    codes, guides, choosing = content_copy
    before = _keys(codes, guides, choosing, monkeypatch)

    # Insert a FAQ first on 301 (no slug given: one is made), drop 404's first FAQ,
    # swap two answers of a decision question and insert a new answer before them.
    text = (codes / "3xx.yaml").read_text()
    text = text.replace(
        "  faqs:\n    - slug: what-is-the-difference-between-301-and-308\n",
        "  faqs:\n    - question: Is a new question keyed by its words?\n"
        "      answer: Yes.\n    - slug: what-is-the-difference-between-301-and-308\n",
        1,
    )
    (codes / "3xx.yaml").write_text(text)
    text = (codes / "400-408.yaml").read_text()
    start = text.index("    - slug: what-is-a-soft-404\n")
    end = min(text.find(marker, start + 10) % len(text) for marker in ("\n    - ", '\n"')) + 1
    (codes / "400-408.yaml").write_text(text[:start] + text[end:])
    text = (choosing / "choose.yaml").read_text()
    first = "    - slug: no-it-was-queued-and-will-run-later\n"
    second = "    - slug: yes-it-is-done\n"
    assert first in text and second in text
    a, b = text.index(first), text.index(second)
    end = text.index("\n- slug:", b)
    block_a, block_b = text[a:b], text[b : end + 1]
    new = "    - text: A brand new answer\n      code: 200\n"
    text = text[:a] + new + block_b + block_a + text[end + 1 :]
    (choosing / "choose.yaml").write_text(text)

    after = _keys(codes, guides, choosing, monkeypatch)
    inserted = set(after) - set(before)
    removed = set(before) - set(after)
    assert inserted == {
        ("codes.faq", 301, "", "is-a-new-question-keyed-by-its-words"),
        ("codes.decisionanswer", "success", "a-brand-new-answer"),
    }
    assert removed == {("codes.faq", 404, "", "what-is-a-soft-404")}
    assert len(set(before) & set(after)) == len(before) - 1  # every other row keeps its key


def test_faq_anchors_are_readable_slugs(client):
    faq = FAQ.objects.get(status_code__code=404, slug="what-is-a-soft-404")
    assert faq.get_absolute_url() == "/404/#faq-what-is-a-soft-404"
    assert 'id="faq-what-is-a-soft-404"' in client.get("/404/").content.decode()
    guide_faq = GuideFAQ.objects.filter(guide__slug="404-or-410").first()
    assert guide_faq.get_absolute_url() == f"/guides/404-or-410/#faq-{guide_faq.slug}"
    assert guide_faq.slug == "does-410-remove-a-page-from-google-faster-than-404"
    assert f'id="faq-{guide_faq.slug}"' in client.get("/guides/404-or-410/").content.decode()


def test_a_faq_added_in_the_admin_gets_a_unique_slug_from_its_question():
    code = StatusCode.objects.get(code=404, slug="")
    one = FAQ.objects.create(status_code=code, question="What is a soft 404?", answer="x")
    assert one.slug == "what-is-a-soft-404-2"
    answer = DecisionAnswer.objects.filter(result__isnull=False).first()
    new = DecisionAnswer.objects.create(
        question=answer.question, text=answer.text, result=answer.result
    )
    assert new.slug == f"{answer.slug}-2"
