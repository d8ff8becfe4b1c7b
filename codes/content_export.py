"""Write the database's words back into ``codes/content/*.yaml`` (``exportcontent``).

The files are the reviewed copy of the content, so an export must change only
what an editor changed. It never re-dumps a file: it splices. Each file is cut
into blocks at its keys (a code's entry, one field of an entry, one FAQ of a
list, one field of a FAQ); a block whose value, read the way ``buildfixtures``
reads it, equals the database's is kept byte for byte, comments and layout
included, and only a changed block is written anew in the files' layout. So an
unchanged database changes no file, and one edited summary changes only the
lines of that summary.
"""

import json
import re
import textwrap

import yaml

from codes.management.commands.buildfixtures import MARKDOWN_FIELDS, _aliases, _names, _text
from codes.models import Comparison, DecisionQuestion, StatusCode

# The order of an entry's fields in the files; a field new to an entry goes here.
CODE_FIELDS = (
    "summary",
    "position",
    "also_known_as",
    "keywords",
    *MARKDOWN_FIELDS,
    "headers",
    "related",
    "faqs",
    "published",
)
FAQ_FIELDS = ("slug", "question", "answer", "published")


class ExportError(Exception):
    """A spliced file would not read back as the database has it: nothing is written."""


def lf(value):
    """A database value with the admin's CRLF line ends as the files have them (LF)."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n")
    if isinstance(value, dict):
        return {k: lf(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(lf(v) for v in value)
    return value


def strip_lines(value):
    """A parsed YAML value without read_yaml's ``_line`` markers."""
    if isinstance(value, dict):
        return {k: strip_lines(v) for k, v in value.items() if k != "_line"}
    if isinstance(value, list):
        return [strip_lines(v) for v in value]
    return value


# -- writing YAML in the files' layout


def scalar(value) -> str:
    """A plain scalar where YAML reads it back as the same string, else double quotes."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if text and text == text.strip() and "\n" not in text and ": " not in text and " #" not in text:
        try:
            if yaml.safe_load(f"k: {text}") == {"k": text}:
                return text
        except yaml.YAMLError:
            pass
    return json.dumps(text, ensure_ascii=False)


def block(name: str, text: str, indent: int, style: str = "|") -> list[str]:
    """``name: |`` and the Markdown, one more level in; ``>-`` for a one-line summary."""
    pad = " " * indent
    lines = text.replace("\r\n", "\n").strip("\n").split("\n")
    body = [f"{pad}  {line}" if line.strip() else "" for line in lines]
    return [f"{pad}{name}: {style}", *body]


def flow(items) -> str:
    return "[" + ", ".join(scalar(item) for item in items) + "]"


def split_blocks(lines: list[str], pattern: re.Pattern) -> tuple[list[str], list[list]]:
    """The lines before the first match, then ``[key, lines, tail]`` per match.

    A block runs to the next match; its trailing blank and comment lines are its
    tail, kept whatever happens to the block (they introduce the next one).
    """
    head, blocks = [], []
    for line in lines:
        match = pattern.match(line)
        if match:
            blocks.append([match.group(1), [line], []])
        elif blocks:
            blocks[-1][1].append(line)
        else:
            head.append(line)
    for item in blocks:
        body = item[1]
        while len(body) > 1 and (not body[-1].strip() or body[-1].lstrip().startswith("#")):
            item[2].insert(0, body.pop())
    return head, blocks


def splice_mapping(lines, indent, old: dict, new: dict, emit, order) -> list[str]:
    """A mapping's lines with each key whose value changed written anew by ``emit``.

    ``old`` and ``new`` are normalised values by key (an absent key reads as its
    default); a key new to the mapping goes after its predecessor in ``order``.
    """
    pattern = re.compile(rf"^{' ' * indent}([a-z_]+):")
    head, blocks = split_blocks(lines, pattern)
    end = blocks[-1][2] if blocks else []  # the blank line after the mapping stays last
    if blocks:
        blocks[-1][2] = []
    result = []
    for key, body, tail in blocks:
        if key in new and new[key] != old.get(key):
            body = emit(key, new[key], body)
        result.append([key, body, tail])
    present = {key for key, _, _ in result}
    for key in order:
        if key in present or key not in new or new[key] == old.get(key):
            continue
        rank = order.index(key)
        at = 0
        for i, (other, _, _) in enumerate(result):
            if other in order and order.index(other) < rank:
                at = i + 1
        result.insert(at, [key, emit(key, new[key], []), []])
    out = list(head)
    for _, body, tail in result:
        out.extend(body)
        out.extend(tail)
    return out + end


def splice_list(
    lines, indent, old_items, new_items, emit_item, field_emit, key="slug", order=FAQ_FIELDS
):
    """A list of mappings (FAQs, answers), matched by ``key``: unchanged items kept,
    changed ones spliced field by field, new ones written, removed ones dropped.

    ``field_emit(old_item)`` gives the emitter of a changed item's fields."""
    pad = " " * indent
    pattern = re.compile(rf"^{pad}- ()")
    head, blocks = split_blocks(lines, pattern)
    end = blocks[-1][2] if blocks else []
    if blocks:
        blocks[-1][2] = []
    by_key = {}
    for (_, body, tail), item in zip(blocks, old_items, strict=False):
        by_key[item.get(key)] = (body, tail, item)
    out = list(head)
    for new in new_items:
        if new[key] in by_key:
            body, tail, old = by_key[new[key]]
            if old != new:
                inner = [f"{pad}  {body[0][indent + 2 :]}", *body[1:]]
                inner = splice_mapping(inner, indent + 2, old, new, field_emit(old), order)
                body = [f"{pad}- {inner[0][indent + 2 :]}", *inner[1:]]
            out.extend(body)
            out.extend(tail)
        else:
            out.extend(emit_item(new))
    return out + end


def folded(name: str, text: str, indent: int, width: int = 78) -> list[str]:
    """``name: >-`` and the text wrapped as the choosing files wrap it."""
    pad = " " * (indent + 2)
    lines = [f"{' ' * indent}{name}: >-"]
    for number, paragraph in enumerate(text.replace("\r\n", "\n").split("\n")):
        if number:
            lines.append("")
        lines += [pad + line for line in textwrap.wrap(paragraph, width - len(pad))]
    return lines


# -- a code's entry


def faq_lines(faq: dict, indent: int, quote_questions: bool = False) -> list[str]:
    pad = " " * indent
    question = json.dumps(faq["question"], ensure_ascii=False) if quote_questions else None
    lines = [
        f"{pad}- slug: {faq['slug']}",
        f"{pad}  question: {question or scalar(faq['question'])}",
        *block("answer", faq["answer"], indent + 2),
    ]
    if faq.get("published") is False:
        lines.append(f"{pad}  published: false")
    return lines


def faq_field(indent: int, quote_questions: bool = False):
    def emit(name, value, old_lines):
        pad = " " * (indent + 2)
        if name == "answer":
            return block("answer", value, indent + 2)
        if name == "question" and quote_questions:
            return [f"{pad}question: {json.dumps(value, ensure_ascii=False)}"]
        return [f"{pad}{name}: {scalar(value)}"]

    return emit


def normal_faqs(items) -> list[dict]:
    faqs = []
    for faq in items or []:
        normal = {"slug": faq.get("slug"), "question": _text(faq.get("question"))}
        normal["answer"] = _text(faq.get("answer"))
        normal["published"] = None if faq.get("published", True) is True else False
        faqs.append(normal)
    return faqs


def db_faqs(rows) -> list[dict]:
    return lf(
        [
            {
                "slug": faq.slug,
                "question": _text(faq.question),
                "answer": _text(faq.answer),
                "published": None if faq.published else False,
            }
            for faq in rows
        ]
    )


def normal_entry(key: str, entry: dict, unofficial: bool) -> dict:
    """A file's entry as buildfixtures reads it (None: absent, i.e. the default)."""
    headers = [
        (h["name"].strip(), h.get("requirement", "optional"), _text(h.get("note")))
        for h in entry.get("headers") or []
    ]
    position = int(entry["position"]) if "position" in entry else (1 if unofficial else 0)
    return {
        "summary": _text(entry.get("summary")),
        "position": position,
        "also_known_as": _aliases(key, entry.get("also_known_as")),
        "keywords": _names(entry.get("keywords")),
        **{name: _text(entry.get(name)) for name in MARKDOWN_FIELDS},
        "headers": headers,
        "related": sorted({int(n) for n in entry.get("related") or []}),
        "faqs": normal_faqs(entry.get("faqs")),
        "published": None if entry.get("published", True) is True else False,
    }


def db_entry(code) -> dict:
    """The same fields from a StatusCode row (prefetched headers, related, faqs)."""
    return lf(
        {
            "summary": _text(code.summary),
            "position": code.position,
            "also_known_as": code.also_known_as or [],
            "keywords": code.keywords,
            **{name: _text(getattr(code, name)) for name in MARKDOWN_FIELDS},
            "headers": [(h.name.strip(), h.requirement, _text(h.note)) for h in code.headers.all()],
            "related": sorted({r.code for r in code.related.all()}),
            "faqs": db_faqs(code.faqs.all()),
            "published": None if code.published else False,
        }
    )


def code_field(old_entry: dict, old_related: list):
    """The emitter of one field of a code's entry, in the style the file used."""

    def emit(name, value, old_lines):
        is_flow = bool(old_lines) and old_lines[0].rstrip().endswith("]")
        if name == "summary":
            return block("summary", value, 2, ">-")
        if name in MARKDOWN_FIELDS:
            return block(name, value, 2)
        if name in ("position", "published"):
            return [f"  {name}: {scalar(value)}"]
        if name == "keywords":
            words = [w.strip() for w in value.split(",") if w.strip()]
            if is_flow or not old_lines:
                return [f"  keywords: {flow(words)}"]
            return ["  keywords:", *(f"    - {scalar(w)}" for w in words)]
        if name == "also_known_as":
            items = [alias["phrase"] if set(alias) == {"phrase"} else alias for alias in value]
            if not items:
                return ["  also_known_as: []"]
            rendered = [
                scalar(i)
                if isinstance(i, str)
                else "{" + ", ".join(f"{k}: {scalar(v)}" for k, v in i.items()) + "}"
                for i in items
            ]
            if is_flow:
                return [f"  also_known_as: [{', '.join(rendered)}]"]
            return ["  also_known_as:", *(f"    - {r}" for r in rendered)]
        if name == "related":
            kept = [n for n in old_related if n in value]
            kept += [n for n in value if n not in kept]
            return [f"  related: {flow(kept)}"]
        if name == "headers":
            lines = ["  headers:"]
            for header_name, requirement, note in value:
                lines += [
                    f"    - name: {scalar(header_name)}",
                    f"      requirement: {requirement}",
                ]
                if note:
                    lines.append(f"      note: {scalar(note)}")
            return lines
        if name == "faqs":
            if not value:
                return ["  faqs: []"]
            if not old_lines or old_lines[0].rstrip().endswith("]"):
                return ["  faqs:", *(line for f in value for line in faq_lines(f, 4))]
            inner = splice_list(
                old_lines[1:],
                4,
                old_entry["faqs"],
                value,
                lambda faq: faq_lines(faq, 4),
                lambda old: faq_field(4),
            )
            return [old_lines[0], *inner]
        raise ValueError(name)

    return emit


KEY_LINE = re.compile(r'^"?([0-9][^":\s]*)"?:')


def export_codes_file(text: str, data: dict, rows: dict) -> tuple[str, list[str]]:
    """A content file's new text, and the keys it changed. ``rows``: key -> StatusCode."""
    lines = text.split("\n")
    head, blocks = split_blocks(lines, KEY_LINE)
    changed = []
    out = list(head)
    for key, body, tail in blocks:
        entry = data.get(key)
        row = rows.get(key)
        if entry is not None and row is not None:
            old = normal_entry(key, entry, "/" in key)
            new = db_entry(row)
            if old != new:
                related = [int(n) for n in entry.get("related") or []]
                inner = splice_mapping(body[1:], 2, old, new, code_field(old, related), CODE_FIELDS)
                body = [body[0], *inner]
                changed.append(key)
        out.extend(body)
        out.extend(tail)
    return "\n".join(out), changed


def code_rows() -> dict:
    """Every StatusCode by its content key (``404``, ``499/nginx``), published or not."""
    rows = StatusCode.objects.prefetch_related("headers", "related", "faqs")
    return {(f"{c.code}/{c.slug}" if c.slug else str(c.code)): c for c in rows}


def export_codes(content_dir, read_yaml) -> tuple[dict, list[str]]:
    """New texts of the changed files under ``content_dir`` (path -> text), and notes.

    A code whose entry is in no file is reported, not written: its facts belong
    in ``codes/data/`` first, and its words then go in the file of its range.
    """
    rows = code_rows()
    written, notes, seen = {}, [], set()
    for path in sorted(content_dir.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        data = strip_lines(read_yaml(path) or {})
        data = {str(k): v for k, v in data.items()}
        new_text, changed = export_codes_file(text, data, rows)
        if new_text != text:
            again = strip_lines(read_yaml(path, new_text) or {})
            for key in changed:
                if normal_entry(key, again[key], "/" in key) != db_entry(rows[key]):
                    raise ExportError(f"{path.name}: {key} would not read back as it is")
        seen.update(data)
        for key in sorted(set(data) - set(rows)):
            notes.append(f"{path.name}: {key} is not in the database; its entry is kept")
        if new_text != text:
            written[path] = new_text
            notes.append(f"{path.name}: {', '.join(changed)}")
    for key in sorted(set(rows) - seen):
        notes.append(f"{key} is in no content file: add its entry by hand")
    return written, notes


# -- the decision tree (choosing/choose.yaml) and the comparisons (choosing/comparisons.yaml)

NODE_FIELDS = ("slug", "question", "help", "answers")
ANSWER_FIELDS = ("slug", "text", "next", "code", "explanation", "alternatives")
ALTERNATIVE_FIELDS = ("code", "why_not")


def normal_node(node: dict) -> dict:
    """A question of choose.yaml as buildfixtures reads it."""
    return {
        "slug": node["slug"],
        "question": node["question"],
        "help": _text(node.get("help")),
        "answers": [
            {
                "slug": answer.get("slug"),
                "text": answer["text"],
                "next": answer.get("next"),
                "code": int(answer["code"]) if "code" in answer else None,
                "explanation": _text(answer.get("explanation")),
                "alternatives": [
                    {"code": int(alt["code"]), "why_not": _text(alt["why_not"])}
                    for alt in answer.get("alternatives") or []
                ],
            }
            for answer in node["answers"]
        ],
    }


def db_node(question) -> dict:
    return lf(
        {
            "slug": question.slug,
            "question": question.question,
            "help": _text(question.help),
            "answers": [
                {
                    "slug": answer.slug,
                    "text": answer.text,
                    "next": answer.next_question.slug if answer.next_question else None,
                    "code": answer.result.code if answer.result else None,
                    "explanation": _text(answer.explanation),
                    "alternatives": [
                        {"code": alt.code.code, "why_not": _text(alt.why_not)}
                        for alt in answer.alternatives.all()
                    ],
                }
                for answer in question.answers.all()
            ],
        }
    )


def _alternative_lines(alt: dict, indent: int) -> list[str]:
    pad = " " * indent
    return [f"{pad}- code: {alt['code']}", *folded("why_not", alt["why_not"], indent + 2)]


def _alternative_field(name, value, old_lines):
    if name == "code":
        return [f"          code: {value}"]
    return folded("why_not", value, 10)


def _answer_lines(answer: dict, indent: int = 4) -> list[str]:
    pad = " " * indent
    lines = [f"{pad}- slug: {answer['slug']}"]
    for name in ANSWER_FIELDS[1:]:
        lines += _answer_field(name, answer, [], indent + 2)
    return lines


def _answer_field(name, value, old_lines, indent=6, old=None):
    """One field of an answer; ``value`` is the whole answer when writing a new one."""
    pad = " " * indent
    value = value[name] if isinstance(value, dict) and name in value else value
    if name in ("next", "code"):
        return [] if value is None else [f"{pad}{name}: {value}"]
    if name == "text":
        return [f"{pad}text: {json.dumps(value, ensure_ascii=False)}"]
    if name == "explanation":
        return folded("explanation", value, indent) if value else []
    if name == "alternatives":
        if not value:
            return []
        if not old_lines:
            return [f"{pad}alternatives:", *(x for a in value for x in _alternative_lines(a, 8))]
        inner = splice_list(
            old_lines[1:],
            8,
            old or [],
            value,
            lambda a: _alternative_lines(a, 8),
            lambda old: _alternative_field,
            key="code",
            order=ALTERNATIVE_FIELDS,
        )
        return [old_lines[0], *inner]
    return [f"{pad}{name}: {scalar(value)}"]


def _node_lines(node: dict) -> list[str]:
    lines = ["", f"- slug: {node['slug']}", f"  question: {scalar(node['question'])}"]
    if node["help"]:
        lines += folded("help", node["help"], 2)
    return lines + ["  answers:", *(x for a in node["answers"] for x in _answer_lines(a))]


def export_choose(text: str, nodes: list[dict]) -> str:
    """choose.yaml spliced with the database's decision tree."""
    rows = DecisionQuestion.objects.prefetch_related(
        "answers__next_question", "answers__result", "answers__alternatives__code"
    )
    current = {q.slug: db_node(q) for q in rows}
    old = [normal_node(n) for n in nodes]
    order = [n["slug"] for n in old if n["slug"] in current]
    order += sorted(set(current) - set(order))
    old_answers = {n["slug"]: n["answers"] for n in old}

    def node_field(node_slug):
        def emit(name, value, old_lines):
            if name == "help":
                return folded("help", value, 2) if value else []
            if name != "answers":
                return [f"  {name}: {scalar(value)}"]
            inner = splice_list(
                old_lines[1:],
                4,
                old_answers[node_slug],
                value,
                _answer_lines,
                _answer_emitter,
                order=ANSWER_FIELDS,
            )
            return [old_lines[0], *inner]

        return emit

    lines = text.split("\n")
    pattern = re.compile(r"^- ()")
    head, blocks = split_blocks(lines, pattern)
    end = blocks[-1][2] if blocks else []
    if blocks:
        blocks[-1][2] = []
    by_slug = {n["slug"]: (b[1], b[2], n) for b, n in zip(blocks, old, strict=False)}
    out = list(head)
    for slug in order:
        new = current[slug]
        if slug not in by_slug:
            out.extend(_node_lines(new))
            continue
        body, tail, before = by_slug[slug]
        if before != new:
            inner = ["  " + body[0][2:], *body[1:]]
            inner = splice_mapping(inner, 2, before, new, node_field(slug), NODE_FIELDS)
            body = ["- " + inner[0][2:], *inner[1:]]
        out.extend(body)
        out.extend(tail)
    return "\n".join(out + end)


def _answer_emitter(old_answer: dict):
    """The field emitter of one changed answer, which knows its old alternatives."""

    def emit(name, value, old_lines):
        return _answer_field(name, value, old_lines, old=old_answer["alternatives"])

    return emit


def export_comparisons_current() -> dict[str, str]:
    rows = Comparison.objects.select_related("first", "second")
    return {f"{c.first.code}-vs-{c.second.code}": _text(lf(c.key_difference)) for c in rows}


def export_comparisons(text: str, data: dict) -> str:
    """comparisons.yaml spliced with the database's key differences."""
    current = export_comparisons_current()
    lines = text.split("\n")
    head, blocks = split_blocks(lines, re.compile(r'^"?(\d+-vs-\d+)"?:'))
    end = blocks[-1][2] if blocks else []
    if blocks:
        blocks[-1][2] = []
    out = list(head)
    for key, body, tail in blocks:
        if key not in current:
            continue
        if _text(data.get(key)) != current[key]:
            body = block(f'"{key}"', current[key], 0)
        out.extend(body)
        out.extend(tail)
    known = {key for key, _, _ in blocks}
    for key in sorted(set(current) - known, key=lambda k: [int(n) for n in k.split("-vs-")]):
        out.extend(["", *block(f'"{key}"', current[key], 0)])
    return "\n".join(out + end)


def export_choosing(choosing_dir, read_yaml) -> tuple[dict, list[str]]:
    written, notes = {}, []
    for name, export in (("choose.yaml", export_choose), ("comparisons.yaml", export_comparisons)):
        path = choosing_dir / name
        text = path.read_text(encoding="utf-8")
        data = strip_lines(read_yaml(path))
        if isinstance(data, dict):
            data = {str(k): v for k, v in data.items()}
        new_text = export(text, data)
        if new_text != text and name == "choose.yaml":
            again = {n["slug"]: normal_node(strip_lines(n)) for n in read_yaml(path, new_text)}
            for question in DecisionQuestion.objects.prefetch_related(
                "answers__next_question", "answers__result", "answers__alternatives__code"
            ):
                if again.get(question.slug) != db_node(question):
                    raise ExportError(f"{name}: {question.slug} would not read back as it is")
        elif new_text != text:
            again = {str(k): _text(v) for k, v in strip_lines(read_yaml(path, new_text)).items()}
            for key, value in again.items():
                if value != _text(export_comparisons_current().get(key, value)):
                    raise ExportError(f"{name}: {key} would not read back as it is")
        if new_text != text:
            written[path] = new_text
            notes.append(f"choosing/{name}: changed")
    return written, notes
