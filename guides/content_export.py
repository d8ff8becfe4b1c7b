"""Write the database's guides back into ``guides/content/*.md`` (``exportcontent``).

The same splice as ``codes.content_export``: the front matter is cut at its keys
and only a key whose value changed is written anew; the body after the front
matter is rewritten only if it changed. A guide added in the admin gets a new
file, ``<slug>.md``; a file whose guide is not in the database is kept.
"""

import json
import textwrap
from datetime import UTC, datetime

from django.utils.dateparse import parse_datetime

from codes.content_export import (
    ExportError,
    db_faqs,
    faq_field,
    faq_lines,
    flow,
    lf,
    normal_faqs,
    scalar,
    splice_list,
    splice_mapping,
    strip_lines,
)
from codes.management.commands.buildfixtures import TIMESTAMP, _text
from guides.models import Guide

GUIDE_FIELDS = ("title", "slug", "published", "status", "summary", "tags", "related", "faqs")


def _when(value) -> datetime | None:
    if isinstance(value, datetime):
        return value
    return parse_datetime(str(value))


def normal_guide(meta: dict) -> dict:
    """Front matter as buildfixtures reads it."""
    return {
        "title": str(meta["title"]),
        "slug": str(meta["slug"]),
        "published": _when(meta.get("published", TIMESTAMP)),
        "status": str(meta.get("status", "published")),
        "summary": _text(meta["summary"]),
        "tags": sorted(str(t) for t in meta["tags"]),
        "related": sorted({int(n) for n in meta["related"]}),
        "faqs": normal_faqs(meta["faqs"]),
    }


def db_guide(guide) -> dict:
    return lf(
        {
            "title": guide.title,
            "slug": guide.slug,
            "published": guide.published_at,
            "status": guide.status,
            "summary": _text(guide.summary),
            "tags": sorted(t.name for t in guide.tags.all()),
            "related": sorted({c.code for c in guide.related_codes.all()}),
            "faqs": db_faqs(guide.faqs.all()),
        }
    )


def guide_field(old: dict, meta: dict):
    def emit(name, value, old_lines):
        if name in ("title",):
            return [f"title: {json.dumps(value, ensure_ascii=False)}"]
        if name == "published":
            stamp = value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else ""
            return [f'published: "{stamp}"']
        if name in ("slug", "status"):
            return [f"{name}: {scalar(value)}"]
        if name == "summary":
            lines = textwrap.wrap(value.replace("\r\n", "\n"), 84, break_on_hyphens=False)
            return ["summary: >-", *(f"  {line}" for line in lines)]
        if name in ("tags", "related"):
            before = [str(t) if name == "tags" else int(t) for t in meta.get(name) or []]
            kept = [t for t in before if t in value]
            return [f"{name}: {flow(kept + [t for t in value if t not in kept])}"]
        if name == "faqs":
            if not value:
                return ["faqs: []"]
            if not old_lines or old_lines[0].rstrip().endswith("]"):
                return ["faqs:", *(line for f in value for line in faq_lines(f, 2, True))]
            inner = splice_list(
                old_lines[1:],
                2,
                old["faqs"],
                value,
                lambda faq: faq_lines(faq, 2, True),
                lambda old: faq_field(2, True),
            )
            return [old_lines[0], *inner]
        raise ValueError(name)

    return emit


def guide_text(guide, text: str | None, meta: dict | None) -> str:
    """A guide file's new text: ``text`` spliced, or a new file when ``text`` is None."""
    new = db_guide(guide)
    body = guide.body.replace("\r\n", "\n").strip() + "\n"
    if text is None:
        old, front, old_body, meta = {}, [], None, {}
    else:
        _, front_text, old_body = text.split("---\n", 2)
        old = normal_guide(meta)
        front = front_text.split("\n")[:-1]
    if old == new and old_body is not None and old_body.strip() + "\n" == body:
        return text
    if old != new:
        front = splice_mapping(front, 0, old, new, guide_field(old, meta), GUIDE_FIELDS)
    if old_body is None or old_body.strip() + "\n" != body:
        old_body = body
    return "---\n" + "\n".join(front) + "\n---\n" + old_body


def _check(path, text, guide, read_yaml) -> None:
    """The written file must read back as the database has the guide."""
    _, front, body = text.split("---\n", 2)
    meta = strip_lines(read_yaml(path, front, first_line=2))
    if (
        normal_guide(meta) != db_guide(guide)
        or body.strip() != guide.body.replace("\r\n", "\n").strip()
    ):
        raise ExportError(f"{path.name}: guide {guide.slug} would not read back as it is")


def export_guides(guide_dir, read_yaml) -> tuple[dict, list[str]]:
    """New texts of the changed or new guide files (path -> text), and notes."""
    guides = {g.slug: g for g in Guide.objects.prefetch_related("tags", "related_codes", "faqs")}
    written, notes, seen = {}, [], set()
    for path in sorted(guide_dir.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        front = text.split("---\n", 2)[1]
        meta = strip_lines(read_yaml(path, front, first_line=2))
        slug = str(meta["slug"])
        seen.add(slug)
        if slug not in guides:
            notes.append(f"{path.name}: guide {slug} is not in the database; kept")
            continue
        new_text = guide_text(guides[slug], text, meta)
        _check(path, new_text, guides[slug], read_yaml)
        if new_text != text:
            written[path] = new_text
            notes.append(f"{path.name}: changed")
    for slug in sorted(set(guides) - seen):
        path = guide_dir / f"{slug}.md"
        written[path] = guide_text(guides[slug], None, None)
        _check(path, written[path], guides[slug], read_yaml)
        notes.append(f"{path.name}: new guide")
    return written, notes
