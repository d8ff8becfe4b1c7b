"""Build the fixtures from the shipped CSVs and the content files.

``codes/fixtures/catalogue.json``: facts from ``codes/data/*.csv``, words from
``codes/content/*.yaml`` (format in ``docs/content-format.md``).
``guides/fixtures/guides.json``: the articles in ``guides/content/*.md``
(Markdown with YAML front matter).
``codes/fixtures/choosing.json``: the /choose/ decision tree and the key
differences of compare pages, from ``codes/content/choosing/``.

Primary keys are derived from the data (a registered code's key is its
number), so loading a fixture twice updates rows instead of duplicating them.
Run it after editing any source; the tests
check that the committed fixture is up to date.
"""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from codes import catalogue_data
from codes.models import validate_aliases

APP_DIR = Path(__file__).resolve().parents[2]
CONTENT_DIR = APP_DIR / "content"
FIXTURE = APP_DIR / "fixtures" / "catalogue.json"
GUIDES_DIR = APP_DIR.parent / "guides"
GUIDE_CONTENT_DIR = GUIDES_DIR / "content"
GUIDE_FIXTURE = GUIDES_DIR / "fixtures" / "guides.json"
GUIDE_FAQ_PK_BASE = 10_000
CHOOSING_DIR = CONTENT_DIR / "choosing"
CHOOSING_FIXTURE = APP_DIR / "fixtures" / "choosing.json"
TIMESTAMP = "2026-11-25T00:00:00Z"
UNOFFICIAL_PK_BASE = 1000

MARKDOWN_FIELDS = ("description", "when_to_use", "when_not_to_use", "causes", "fixes")
REQUIREMENTS = {"required", "recommended", "optional"}


def load_content(content_dir: Path = CONTENT_DIR) -> dict[str, dict]:
    import yaml  # a development dependency: only this command needs it

    content: dict[str, dict] = {}
    for path in sorted(content_dir.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, entry in data.items():
            key = str(key)
            if key in content:
                raise CommandError(f"{path.name}: {key} is defined twice")
            content[key] = entry
    return content


def _text(value) -> str:
    return (value or "").strip()


def _names(value) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        return value.strip()
    return ", ".join(str(item).strip() for item in value)


def _aliases(key: str, value) -> list[dict]:
    """also_known_as: a name, or {phrase, until, reference} for a former phrase."""
    aliases = []
    for item in value or []:
        entry = {"phrase": item} if isinstance(item, str) else item
        if isinstance(entry, dict):
            entry = {name: str(text).strip() for name, text in entry.items()}
        try:
            validate_aliases([entry])
        except ValidationError as error:
            raise CommandError(f"{key}: also_known_as: {' '.join(error.messages)}") from None
        aliases.append(entry)
    return aliases


def build_records(content: dict[str, dict]) -> list[dict]:
    sections = catalogue_data.spec_sections()
    rows: dict[str, dict] = {}  # content key -> fields, with pk
    for entry in catalogue_data.registry():
        spec = sections.get(entry.code, {})
        rows[str(entry.code)] = {
            "pk": entry.code,
            "code": entry.code,
            "slug": "",
            "position": 0,
            "phrase": entry.phrase,
            "registry_description": entry.description,
            "registry_reference": entry.reference,
            "status": entry.status,
            "vendor": "",
            "vendor_note": "",
            "spec_document": spec.get("rfc", ""),
            "spec_section": spec.get("section", ""),
            "spec_title": spec.get("title", ""),
            "spec_url": catalogue_data.spec_url(spec.get("rfc", ""), spec.get("section", "")),
            "heuristically_cacheable": spec.get("heuristically_cacheable") == "yes",
        }
    for index, row in enumerate(catalogue_data.unofficial(), start=1):
        rows[f"{row['value']}/{row['slug']}"] = {
            "pk": UNOFFICIAL_PK_BASE + index,
            "code": int(row["value"]),
            "slug": row["slug"],
            "position": 1,
            "phrase": row["phrase"],
            "registry_description": "",
            "registry_reference": "",
            "status": "unofficial",
            "vendor": row["vendor"],
            "vendor_note": row["notes"],
            "spec_document": "",
            "spec_section": "",
            "spec_title": "",
            "spec_url": "",
            "heuristically_cacheable": False,
        }

    missing = sorted(set(rows) - set(content), key=lambda k: (int(k.split("/")[0]), k))
    if missing:
        raise CommandError(f"no content for: {', '.join(missing)}")
    unknown = sorted(set(content) - set(rows))
    if unknown:
        raise CommandError(f"content for codes not in the data: {', '.join(unknown)}")

    pk_by_meaning = {(f["code"], f["slug"]): f["pk"] for f in rows.values()}
    by_number: dict[int, list[int]] = {}
    for fields in rows.values():
        by_number.setdefault(fields["code"], []).append(fields["pk"])
    for pks in by_number.values():
        pks.sort()  # registered (pk == number) before unofficial (pk > 1000)

    records = []
    headers, faqs = [], []
    for key, fields in rows.items():
        entry = content[key]
        summary = _text(entry.get("summary"))
        if not summary or len(summary) > 200:
            raise CommandError(f"{key}: summary is empty or longer than 200 characters")
        related = []
        for number in entry.get("related") or []:
            targets = by_number.get(int(number))
            if not targets:
                raise CommandError(f"{key}: related code {number} is not in the catalogue")
            # The registered meaning if there is one, otherwise every vendor meaning.
            chosen = targets[:1] if targets[0] < UNOFFICIAL_PK_BASE else targets
            related.extend(pk for pk in chosen if pk != fields["pk"] and pk not in related)
        pk = fields.pop("pk")
        if "position" in entry:  # editors put the meaning people meet most first
            fields["position"] = int(entry["position"])
        record_fields = {
            **fields,
            "also_known_as": _aliases(key, entry.get("also_known_as")),
            "summary": summary,
            **{name: _text(entry.get(name)) for name in MARKDOWN_FIELDS},
            "keywords": _names(entry.get("keywords")),
            "related": related,
            "published": True,
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
        }
        records.append({"model": "codes.statuscode", "pk": pk, "fields": record_fields})
        for order, header in enumerate(entry.get("headers") or []):
            requirement = header.get("requirement", "optional")
            if requirement not in REQUIREMENTS:
                raise CommandError(f"{key}: header requirement {requirement!r} is not valid")
            headers.append(
                {
                    "status_code": pk,
                    "name": header["name"].strip(),
                    "requirement": requirement,
                    "note": _text(header.get("note")),
                    "order": order,
                }
            )
        for order, faq in enumerate(entry.get("faqs") or []):
            faqs.append(
                {
                    "status_code": pk,
                    "question": _text(faq["question"]),
                    "answer": _text(faq["answer"]),
                    "order": order,
                    "published": True,
                    "created_at": TIMESTAMP,
                    "updated_at": TIMESTAMP,
                }
            )

    records.extend(
        {"model": "codes.responseheader", "pk": n, "fields": f}
        for n, f in enumerate(headers, start=1)
    )
    records.extend(
        {"model": "codes.faq", "pk": n, "fields": f} for n, f in enumerate(faqs, start=1)
    )
    records.extend(_constant_records(by_number, pk_by_meaning))
    return records


def _constant_records(by_number, pk_by_meaning) -> list[dict]:
    records, seen = [], set()
    for row in catalogue_data.constants():
        number = int(row["value"])
        if row["iana_registered"] == "yes":
            target = pk_by_meaning.get((number, ""))
        else:
            # A vendor meaning: the one named after the ecosystem, else the first.
            target = pk_by_meaning.get((number, row["ecosystem"]), by_number[number][0])
        key = (target, row["ecosystem"], row["constant"])
        if target is None or key in seen:
            continue  # the detail file lists a name once per library version
        seen.add(key)
        records.append(
            {
                "model": "codes.constant",
                "pk": len(records) + 1,
                "fields": {
                    "status_code": target,
                    "ecosystem": row["ecosystem"],
                    "name": row["constant"],
                    "primary": row["primary"] == "yes",
                    "deprecated": row["deprecated"] == "yes",
                    "note": row["note"],
                },
            }
        )
    return records


def load_guides(content_dir: Path = GUIDE_CONTENT_DIR) -> list[tuple[dict, str]]:
    import yaml

    guides = []
    for path in sorted(content_dir.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        if not text.startswith("---\n"):
            raise CommandError(f"{path.name}: no front matter")
        _, front, body = text.split("---\n", 2)
        meta = yaml.safe_load(front)
        for key in ("title", "slug", "summary", "tags", "related", "faqs"):
            if key not in meta:
                raise CommandError(f"{path.name}: front matter has no {key!r}")
        guides.append((meta, body.strip() + "\n"))
    return guides


def build_guide_records(guides, pk_by_meaning) -> list[dict]:
    from django.utils.text import slugify

    tag_pks: dict[str, int] = {}
    records, tags, faqs = [], [], []
    for pk, (meta, body) in enumerate(sorted(guides, key=lambda g: g[0]["slug"]), start=1):
        related = []
        for number in meta["related"]:
            target = pk_by_meaning.get((int(number), ""))
            if target is None:
                target = min(p for (code, _), p in pk_by_meaning.items() if code == int(number))
            related.append(target)
        tag_ids = []
        for name in meta["tags"]:
            slug = slugify(name)
            if slug not in tag_pks:
                tag_pks[slug] = len(tag_pks) + 1
                tags.append(
                    {
                        "model": "guides.tag",
                        "pk": tag_pks[slug],
                        "fields": {"name": name, "slug": slug},
                    }
                )
            tag_ids.append(tag_pks[slug])
        records.append(
            {
                "model": "guides.guide",
                "pk": pk,
                "fields": {
                    "title": meta["title"],
                    "slug": meta["slug"],
                    "summary": _text(meta["summary"]),
                    "body": body,
                    "status": "published",
                    "published_at": str(meta.get("published", TIMESTAMP)),
                    "updated_at": TIMESTAMP,
                    "author": None,
                    "tags": tag_ids,
                    "related_codes": related,
                },
            }
        )
        for order, faq in enumerate(meta["faqs"]):
            faqs.append(
                {
                    "model": "guides.guidefaq",
                    "pk": GUIDE_FAQ_PK_BASE + len(faqs) + 1,
                    "fields": {
                        "guide": pk,
                        "question": _text(faq["question"]),
                        "answer": _text(faq["answer"]),
                        "order": order,
                        "published": True,
                        "created_at": TIMESTAMP,
                        "updated_at": TIMESTAMP,
                    },
                }
            )
    return tags + records + faqs


def build_choosing_records(pk_by_meaning) -> list[dict]:
    """The decision tree (choose.yaml) and the key-difference texts (comparisons.yaml)."""
    import yaml

    def registered(number, where):
        pk = pk_by_meaning.get((int(number), ""))
        if pk is None:
            raise CommandError(f"{where}: {number} is not a registered code")
        return pk

    nodes = yaml.safe_load((CHOOSING_DIR / "choose.yaml").read_text(encoding="utf-8"))
    question_pks = {node["slug"]: n for n, node in enumerate(nodes, start=1)}
    questions, answers, alternatives = [], [], []
    for node in nodes:
        questions.append(
            {
                "model": "codes.decisionquestion",
                "pk": question_pks[node["slug"]],
                "fields": {
                    "slug": node["slug"],
                    "question": node["question"],
                    "help": _text(node.get("help")),
                },
            }
        )
        for order, answer in enumerate(node["answers"]):
            where = f"choose.yaml {node['slug']!r} answer {order + 1}"
            if ("next" in answer) == ("code" in answer):
                raise CommandError(f"{where}: give exactly one of next and code")
            if "next" in answer and answer["next"] not in question_pks:
                raise CommandError(f"{where}: no question {answer['next']!r}")
            pk = len(answers) + 1
            answers.append(
                {
                    "model": "codes.decisionanswer",
                    "pk": pk,
                    "fields": {
                        "question": question_pks[node["slug"]],
                        "text": answer["text"],
                        "order": order,
                        "next_question": question_pks.get(answer.get("next")),
                        "result": registered(answer["code"], where) if "code" in answer else None,
                        "explanation": _text(answer.get("explanation")),
                    },
                }
            )
            for alt_order, alternative in enumerate(answer.get("alternatives") or []):
                alternatives.append(
                    {
                        "model": "codes.decisionalternative",
                        "pk": len(alternatives) + 1,
                        "fields": {
                            "answer": pk,
                            "code": registered(alternative["code"], where),
                            "why_not": _text(alternative["why_not"]),
                            "order": alt_order,
                        },
                    }
                )
    texts = yaml.safe_load((CHOOSING_DIR / "comparisons.yaml").read_text(encoding="utf-8"))
    comparisons = []
    for key, text in sorted(texts.items()):
        first, _, second = key.partition("-vs-")
        if not (first.isdigit() and second.isdigit() and int(first) < int(second)):
            raise CommandError(f"comparisons.yaml: {key!r} must be '<lower>-vs-<higher>'")
        comparisons.append(
            {
                "model": "codes.comparison",
                "pk": len(comparisons) + 1,
                "fields": {
                    "first": registered(first, key),
                    "second": registered(second, key),
                    "key_difference": _text(text),
                    "updated_at": TIMESTAMP,
                },
            }
        )
    return questions + answers + alternatives + comparisons


class Command(BaseCommand):
    help = "Build codes/fixtures/catalogue.json from codes/data/*.csv and codes/content/*.yaml."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Fail if the fixture is stale.")

    def handle(self, *args, check=False, **options):
        records = build_records(load_content())
        pk_by_meaning = {
            (r["fields"]["code"], r["fields"]["slug"]): r["pk"]
            for r in records
            if r["model"] == "codes.statuscode"
        }
        guide_records = build_guide_records(load_guides(), pk_by_meaning)
        choosing_records = build_choosing_records(pk_by_meaning)
        outputs = (
            (FIXTURE, records),
            (GUIDE_FIXTURE, guide_records),
            (CHOOSING_FIXTURE, choosing_records),
        )
        for path, data in outputs:
            text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
            name = path.relative_to(APP_DIR.parent)
            if check:
                if not path.exists() or path.read_text(encoding="utf-8") != text:
                    raise CommandError(f"{name} is stale: run `python manage.py buildfixtures`")
                self.stdout.write(f"{name} is up to date")
                continue
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
            counts: dict[str, int] = {}
            for record in data:
                counts[record["model"]] = counts.get(record["model"], 0) + 1
            summary = ", ".join(f"{n} {model}" for model, n in counts.items())
            self.stdout.write(self.style.SUCCESS(f"Wrote {name}: {summary}"))
