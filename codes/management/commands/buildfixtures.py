"""Build the fixtures from the shipped CSVs and the content files.

``codes/fixtures/catalogue.json``: facts from ``codes/data/*.csv``, words from
``codes/content/*.yaml`` (format in ``docs/content-format.md``).
``guides/fixtures/guides.json``: the articles in ``guides/content/*.md``
(Markdown with YAML front matter).
``codes/fixtures/choosing.json``: the /choose/ decision tree and the key
differences of compare pages, from ``codes/content/choosing/``.

Rows carry natural keys (``refsite.core.natural_keys``), not positions: a code is
its number and vendor slug, a FAQ its code and its own slug, an answer its
question and slug, and references between rows are those keys. So inserting,
removing or reordering an entry changes no other row's key, and ``synccontent``
(or ``loaddata``) matches the rows already in a database. A registered code keeps
its number as primary key, as before. A FAQ or an answer without a ``slug`` in
its file gets one made from its text, written back into the file so it stays.
Run it after editing any source; the tests check that the committed fixture is
up to date.
"""

import json
import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from codes import catalogue_data
from codes.models import validate_aliases
from refsite.core.natural_keys import derive_slug

APP_DIR = Path(__file__).resolve().parents[2]
CONTENT_DIR = APP_DIR / "content"
FIXTURE = APP_DIR / "fixtures" / "catalogue.json"
GUIDES_DIR = APP_DIR.parent / "guides"
GUIDE_CONTENT_DIR = GUIDES_DIR / "content"
GUIDE_FIXTURE = GUIDES_DIR / "fixtures" / "guides.json"
CHOOSING_DIR = CONTENT_DIR / "choosing"
CHOOSING_FIXTURE = APP_DIR / "fixtures" / "choosing.json"
TIMESTAMP = "2026-11-25T00:00:00Z"

MARKDOWN_FIELDS = ("description", "when_to_use", "when_not_to_use", "causes", "fixes")
REQUIREMENTS = {"required", "recommended", "optional"}


def read_yaml(path: Path, text: str | None = None, first_line: int = 1):
    """YAML that refuses a key given twice in one mapping (PyYAML keeps the last one
    silently) and names the file and line of any problem."""
    import yaml  # a development dependency: only this command needs it

    class Loader(yaml.SafeLoader):
        pass

    def mapping(loader, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
            key = loader.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + first_line
            if key in seen:
                raise CommandError(
                    f"{path.name}:{line}: duplicate key {key!r} (first at line {seen[key]})"
                )
            seen[key] = line
        result = yaml.SafeLoader.construct_mapping(loader, node, deep=deep)
        result["_line"] = node.start_mark.line + first_line
        for key, line in seen.items():  # an entry under a key is where its key is
            if isinstance(result.get(key), dict):
                result[key]["_line"] = line
        return result

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    try:
        data = yaml.load(path.read_text(encoding="utf-8") if text is None else text, Loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + first_line if mark else first_line
        problem = getattr(error, "problem", None) or str(error)
        raise CommandError(f"{path.name}:{line}: malformed YAML: {problem}") from None
    return data


def where(entry: dict) -> str:
    """``file:line`` of a content entry, for messages."""
    return f"{entry['_file'].name}:{entry.get('_line', '?')}"


def load_content(content_dir: Path = CONTENT_DIR) -> dict[str, dict]:
    content: dict[str, dict] = {}
    for path in sorted(content_dir.glob("*.yaml")):
        data = read_yaml(path) or {}
        data.pop("_line", None)
        for index, (key, entry) in enumerate(data.items()):
            key = str(key)
            if key in content:
                first = where(content[key])
                raise CommandError(
                    f"{path.name}:{entry['_line']}: {key} is defined twice (first at {first})"
                )
            entry["_file"] = path
            entry["_index"] = index
            content[key] = entry
    return content


class SlugWriter:
    """Slugs made for entries whose file gives none, to be written back into the files.

    The entry's first line (``- question: ...`` or ``- text: ...``) becomes
    ``- slug: <slug>`` followed by that line, so the key stays put from then on.
    """

    def __init__(self):
        self.pending: dict[Path, list[tuple[tuple, str, str | None]]] = {}

    def slug(self, path, first_key, entry: dict, text: str, taken: set, length: int, at=(0, 0)):
        """The entry's slug, given or made; ``at`` is its place in the file, to write it back."""
        given = entry.get("slug")
        if given:
            given = str(given)
            if given in taken:
                raise CommandError(f"{path.name}: slug {given!r} is used twice on one parent")
            taken.add(given)
            made = None
        else:
            given = made = derive_slug(text, taken, length)
        if next(iter(entry)) == first_key:
            self.pending.setdefault(path, []).append((at, first_key, made))
        elif made:
            raise CommandError(f"{path.name}: give {text!r} a slug")
        return given

    def write(self, check: bool) -> list[Path]:
        changed = []
        for path, slugs in self.pending.items():
            slugs = sorted(slugs)
            if not any(made for _, _, made in slugs):
                continue
            if check:
                raise CommandError(
                    f"{path.name} has entries without a slug: run `python manage.py buildfixtures`"
                )
            keys = {key for _, key, _ in slugs}
            pattern = re.compile(rf"^(\s*)- ({'|'.join(keys)}):", re.MULTILINE)
            queue = iter(slugs)
            text = path.read_text(encoding="utf-8")

            def insert(match, queue=queue):
                _, _, made = next(queue)
                if not made:
                    return match.group(0)
                indent = match.group(1)
                return f"{indent}- slug: {made}\n{indent}  {match.group(2)}:"

            path.write_text(pattern.sub(insert, text), encoding="utf-8")
            changed.append(path)
        return changed


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
        if isinstance(entry, dict):  # without read_yaml's line marker
            entry = {name: str(text).strip() for name, text in entry.items() if name != "_line"}
        try:
            validate_aliases([entry])
        except ValidationError as error:
            raise CommandError(f"{key}: also_known_as: {' '.join(error.messages)}") from None
        aliases.append(entry)
    return aliases


def _check_links(place: str, key: str, fields: dict) -> None:
    """An unsafe link (javascript:, data:, ...) in shipped text fails the build."""
    from refsite.core.content_sync import unsafe_links

    for name, value in fields.items():
        if isinstance(value, str):
            for link in unsafe_links(value):
                raise CommandError(f"{place}: {key}: {name} has an unsafe link {link!r}")


def _published(entry: dict) -> bool:
    """``published: false`` keeps a row an editor unpublished out of the site."""
    value = entry.get("published", True)
    if not isinstance(value, bool):
        raise CommandError(f"line {entry.get('_line', '?')}: published must be true or false")
    return value


def registered_key(number) -> list:
    """The natural key of a number's registered meaning."""
    return [int(number), ""]


def build_records(content: dict[str, dict], slugs: SlugWriter | None = None) -> list[dict]:
    slugs = slugs or SlugWriter()
    sections = catalogue_data.spec_sections()
    rows: dict[str, dict] = {}  # content key -> fields, with pk for registered meanings
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
    for row in catalogue_data.unofficial():
        rows[f"{row['value']}/{row['slug']}"] = {
            "pk": None,  # unofficial meanings are found by (number, slug) alone
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
        places = ", ".join(f"{where(content[k])}: {k}" for k in unknown)
        raise CommandError(f"content for codes not in the data: {places}")

    by_number: dict[int, list[list]] = {}
    for fields in sorted(rows.values(), key=lambda f: (f["code"], f["pk"] is None, f["slug"])):
        by_number.setdefault(fields["code"], []).append([fields["code"], fields["slug"]])

    records = []
    headers, faqs = [], []
    for key, fields in rows.items():
        entry = content[key]
        path = entry["_file"]
        summary = _text(entry.get("summary"))
        if not summary or len(summary) > 200:
            raise CommandError(
                f"{where(entry)}: {key}: summary is empty or longer than 200 characters"
            )
        own_key = [fields["code"], fields["slug"]]
        related = []
        for number in entry.get("related") or []:
            targets = by_number.get(int(number))
            if not targets:
                raise CommandError(
                    f"{where(entry)}: {key}: related code {number} is not in the catalogue"
                )
            # The registered meaning if there is one, otherwise every vendor meaning.
            chosen = targets[:1] if targets[0][1] == "" else targets
            related.extend(k for k in chosen if k != own_key and k not in related)
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
            "published": _published(entry),
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
        }
        _check_links(where(entry), key, record_fields)
        record = {"model": "codes.statuscode", "pk": pk, "fields": record_fields}
        if pk is None:
            del record["pk"]
        records.append(record)
        for order, header in enumerate(entry.get("headers") or []):
            requirement = header.get("requirement", "optional")
            if requirement not in REQUIREMENTS:
                raise CommandError(
                    f"{where(entry)}: {key}: header requirement {requirement!r} is not valid"
                )
            headers.append(
                {
                    "status_code": own_key,
                    "name": header["name"].strip(),
                    "requirement": requirement,
                    "note": _text(header.get("note")),
                    "order": order,
                }
            )
        taken: set[str] = set()
        for order, faq in enumerate(entry.get("faqs") or []):
            question = _text(faq["question"])
            _check_links(f"{path.name}:{faq['_line']}", f"{key} FAQ {question!r}", faq)
            faqs.append(
                {
                    "status_code": own_key,
                    "slug": slugs.slug(
                        path, "question", faq, question, taken, 60, (entry["_index"], order)
                    ),
                    "question": question,
                    "answer": _text(faq["answer"]),
                    "order": order,
                    "published": _published(faq),
                    "created_at": TIMESTAMP,
                    "updated_at": TIMESTAMP,
                }
            )

    records.extend({"model": "codes.responseheader", "fields": f} for f in headers)
    records.extend({"model": "codes.faq", "fields": f} for f in faqs)
    records.extend(_constant_records(by_number))
    return records


def _constant_records(by_number) -> list[dict]:
    records, seen = [], set()
    for row in catalogue_data.constants():
        number = int(row["value"])
        meanings = by_number.get(number, [])
        if row["iana_registered"] == "yes":
            target = registered_key(number) if [number, ""] in meanings else None
        else:
            # A vendor meaning: the one named after the ecosystem, else the first.
            named = [number, row["ecosystem"]]
            target = named if named in meanings else meanings[0]
        if target is None:
            continue
        key = (*target, row["ecosystem"], row["constant"])
        if key in seen:
            continue  # the detail file lists a name once per library version
        seen.add(key)
        records.append(
            {
                "model": "codes.constant",
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

    guides = []
    for path in sorted(content_dir.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        if not text.startswith("---\n"):
            raise CommandError(f"{path.name}: no front matter")
        _, front, body = text.split("---\n", 2)
        meta = read_yaml(path, front, first_line=2)
        for key in ("title", "slug", "summary", "tags", "related", "faqs"):
            if key not in meta:
                raise CommandError(f"{path.name}: front matter has no {key!r}")
        meta["_file"] = path
        _check_links(f"{path.name}:{front.count(chr(10)) + 3}", meta["slug"], {"body": body})
        for faq in meta["faqs"]:
            _check_links(f"{path.name}:{faq['_line']}", meta["slug"], faq)
        guides.append((meta, body.strip() + "\n"))
    return guides


def build_guide_records(guides, meanings, slugs: SlugWriter | None = None) -> list[dict]:
    """``meanings``: every (number, slug) of the catalogue."""
    from django.utils.text import slugify

    slugs = slugs or SlugWriter()
    tag_slugs: set[str] = set()
    records, tags, faqs = [], [], []
    for meta, body in sorted(guides, key=lambda g: g[0]["slug"]):
        related = []
        for number in meta["related"]:
            number = int(number)
            if (number, "") in meanings:
                related.append(registered_key(number))
            else:
                related.append(list(min(m for m in meanings if m[0] == number)))
        tag_keys = []
        for name in meta["tags"]:
            slug = slugify(name)
            if slug not in tag_slugs:
                tag_slugs.add(slug)
                tags.append({"model": "guides.tag", "fields": {"name": name, "slug": slug}})
            tag_keys.append([slug])
        records.append(
            {
                "model": "guides.guide",
                "fields": {
                    "title": meta["title"],
                    "slug": meta["slug"],
                    "summary": _text(meta["summary"]),
                    "body": body,
                    "status": str(meta.get("status", "published")),
                    "published_at": str(meta.get("published", TIMESTAMP)),
                    "updated_at": TIMESTAMP,
                    "author": None,
                    "tags": tag_keys,
                    "related_codes": related,
                },
            }
        )
        taken: set[str] = set()
        for order, faq in enumerate(meta["faqs"]):
            question = _text(faq["question"])
            faqs.append(
                {
                    "model": "guides.guidefaq",
                    "fields": {
                        "guide": [meta["slug"]],
                        "slug": slugs.slug(
                            meta["_file"], "question", faq, question, taken, 60, (0, order)
                        ),
                        "question": question,
                        "answer": _text(faq["answer"]),
                        "order": order,
                        "published": _published(faq),
                        "created_at": TIMESTAMP,
                        "updated_at": TIMESTAMP,
                    },
                }
            )
    return tags + records + faqs


def build_choosing_records(
    meanings, slugs: SlugWriter | None = None, choosing_dir: Path | None = None
) -> list[dict]:
    """The decision tree (choose.yaml) and the key-difference texts (comparisons.yaml)."""

    slugs = slugs or SlugWriter()
    choosing_dir = choosing_dir or CHOOSING_DIR

    def registered(number, where):
        if (int(number), "") not in meanings:
            raise CommandError(f"{where}: {number} is not a registered code")
        return registered_key(number)

    choose_file = choosing_dir / "choose.yaml"
    nodes = read_yaml(choose_file)
    question_slugs = {node["slug"] for node in nodes}
    questions, answers, alternatives = [], [], []
    for node in nodes:
        questions.append(
            {
                "model": "codes.decisionquestion",
                "fields": {
                    "slug": node["slug"],
                    "question": node["question"],
                    "help": _text(node.get("help")),
                },
            }
        )
        taken: set[str] = set()
        for order, answer in enumerate(node["answers"]):
            where = f"choose.yaml:{answer['_line']}: {node['slug']!r} answer {order + 1}"
            if ("next" in answer) == ("code" in answer):
                raise CommandError(f"{where}: give exactly one of next and code")
            if "next" in answer and answer["next"] not in question_slugs:
                raise CommandError(f"{where}: no question {answer['next']!r}")
            _check_links(f"choose.yaml:{answer['_line']}", node["slug"], answer)
            for alternative in answer.get("alternatives") or []:
                _check_links(f"choose.yaml:{alternative['_line']}", node["slug"], alternative)
            at = (len(questions), order)
            slug = slugs.slug(choose_file, "text", answer, answer["text"], taken, 40, at)
            answers.append(
                {
                    "model": "codes.decisionanswer",
                    "fields": {
                        "question": [node["slug"]],
                        "text": answer["text"],
                        "slug": slug,
                        "order": order,
                        "next_question": [answer["next"]] if "next" in answer else None,
                        "result": registered(answer["code"], where) if "code" in answer else None,
                        "explanation": _text(answer.get("explanation")),
                    },
                }
            )
            seen_codes = set()
            for alt_order, alternative in enumerate(answer.get("alternatives") or []):
                if alternative["code"] in seen_codes:
                    code = alternative["code"]
                    raise CommandError(f"{where}: alternative {code} is listed twice")
                seen_codes.add(alternative["code"])
                alternatives.append(
                    {
                        "model": "codes.decisionalternative",
                        "fields": {
                            "answer": [node["slug"], slug],
                            "code": registered(alternative["code"], where),
                            "why_not": _text(alternative["why_not"]),
                            "order": alt_order,
                        },
                    }
                )
    texts = read_yaml(choosing_dir / "comparisons.yaml")
    texts.pop("_line", None)
    comparisons = []
    for key, text in sorted(texts.items()):
        first, _, second = key.partition("-vs-")
        if not (first.isdigit() and second.isdigit() and int(first) < int(second)):
            raise CommandError(f"comparisons.yaml: {key!r} must be '<lower>-vs-<higher>'")
        comparisons.append(
            {
                "model": "codes.comparison",
                "fields": {
                    "first": registered(first, key),
                    "second": registered(second, key),
                    "key_difference": _text(text),
                    "updated_at": TIMESTAMP,
                },
            }
        )
    return questions + answers + alternatives + comparisons


def build_all(
    slugs: SlugWriter | None = None,
    content_dir: Path | None = None,
    guide_dir: Path | None = None,
) -> list[tuple[Path, list[dict]]]:
    """Every fixture file and its records, built from the content files (the
    shipped ones unless ``content_dir`` and ``guide_dir`` name copies)."""
    slugs = slugs or SlugWriter()
    content_dir = content_dir or CONTENT_DIR
    guide_dir = guide_dir or GUIDE_CONTENT_DIR
    records = build_records(load_content(content_dir), slugs)
    meanings = {
        (r["fields"]["code"], r["fields"]["slug"])
        for r in records
        if r["model"] == "codes.statuscode"
    }
    return [
        (FIXTURE, records),
        (GUIDE_FIXTURE, build_guide_records(load_guides(guide_dir), meanings, slugs)),
        (CHOOSING_FIXTURE, build_choosing_records(meanings, slugs, content_dir / "choosing")),
    ]


class Command(BaseCommand):
    help = "Build codes/fixtures/catalogue.json from codes/data/*.csv and codes/content/*.yaml."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Fail if the fixture is stale.")

    def handle(self, *args, check=False, **options):
        slugs = SlugWriter()
        outputs = build_all(slugs)
        for path in slugs.write(check):
            self.stdout.write(f"Wrote the new slugs into {path.relative_to(APP_DIR.parent)}")
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
