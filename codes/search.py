"""Find the code a developer means from whatever they typed.

One module used by the index page, its htmx partial and anything else that
searches (the API, guides). A query is read for, strongest first:

1. an exact number (``404``) or a number inside text (``HTTP/1.1 503 ...``,
   ``HTTP_429``);
2. a class or digit pattern (``4xx``, ``40x``, ``5**``, ``41``);
3. the reason phrase: exact, prefix, then words;
4. constant names from every ecosystem, ignoring case and separators
   (``too_many_requests``, ``StatusTooManyRequests``, ``:unprocessable_entity``);
5. also-known-as names and the editors' keywords (symptoms, log lines);
6. the vendor, the summary and the longer text.

Words are lower-cased, British spellings folded to American (``unauthorised``),
lightly stemmed (``limited`` -> ``limit``), and words that match nothing are
corrected against the catalogue's own vocabulary (``forbiden``, ``gatway
timout``, ``teapott``). Editors tune results through each code's keywords in
the admin; nothing here names a particular code.

The index is built once per process from the database and rebuilt when the
catalogue version in the shared cache changes (``codes.signals`` bumps it on
every save), so an edit shows up in every process at once.
"""

import re
import threading
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, partial
from itertools import combinations

from django.core.cache import cache
from django.db.models import Q

MAX_QUERY_LENGTH = 200
VERSION_KEY = "catalogue:version"
# Text matches scoring below this share of the best match are noise, not results.
RELATIVE_FLOOR = 0.15

# How much a query word found in each field is worth.
WEIGHTS = {
    "phrase": 10.0,
    "aka": 8.0,
    "keywords": 6.0,
    "constants": 5.0,
    "vendor": 5.0,
    "summary": 2.0,
    "text": 1.0,
}
FIELD_LABELS = {
    "number": "number",
    "pattern": "number pattern",
    "phrase": "reason phrase",
    "aka": "also known as",
    "keywords": "keyword",
    "constants": "constant",
    "vendor": "vendor",
    "summary": "summary",
    "text": "description",
}
# Fields whose words are used to correct typos: short, curated vocabulary.
FUZZY_FIELDS = ("phrase", "aka", "keywords", "constants", "vendor")

STOPWORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "are",
        "as",
        "be",
        "by",
        "did",
        "do",
        "does",
        "for",
        "from",
        "get",
        "got",
        "getting",
        "how",
        "http",
        "https",
        "i",
        "in",
        "is",
        "it",
        "its",
        "me",
        "mean",
        "means",
        "meaning",
        "my",
        "of",
        "on",
        "or",
        "our",
        "the",
        "this",
        "to",
        "what",
        "when",
        "why",
        "with",
        "you",
        "your",
        "status",
        "code",
        "codes",
        "returns",
        "returned",
        "return",
        "error",
    }
)

_TOKEN = re.compile(r"[a-z]+|[0-9]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_PATTERN = re.compile(r"^([1-9])([0-9xX*]?)([0-9xX*]?)$")
_BRITISH = [
    (re.compile(r"is(e|ed|es|ing|ation|ations)$"), r"iz\1"),
    (re.compile(r"(?<=[^aeiouy])our$"), "or"),
    (re.compile(r"tre$"), "ter"),
]


def _ascii_digits(text: str) -> str:
    """Unicode decimal digits (Arabic-Indic, full-width, ...) become ASCII digits."""
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)


def code_number(query: str) -> int | None:
    """The number a query spells, in any script's decimal digits ("404", "٤٠٤"), or None."""
    text = _ascii_digits(unicodedata.normalize("NFKC", query)).strip()
    if text.isascii() and text.isdigit() and len(text) <= 4:
        return int(text)
    return None


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    for pattern, replacement in _BRITISH:
        word = pattern.sub(replacement, word)
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def words_of(text: str, split_camel: bool = False) -> list[str]:
    """Lower-case words and numbers (snake_case split), not yet stemmed.

    ``split_camel`` also splits StatusTooManyRequests; only constant names want
    that, because prose has words like ETag that must stay whole.
    """
    text = _ascii_digits(unicodedata.normalize("NFKC", text))
    if split_camel:
        text = _CAMEL.sub(" ", text)
    return _TOKEN.findall(text.lower())


def tokens(text: str, split_camel: bool = False) -> list[str]:
    """Normalised words: split, lower-cased, spelling folded, stemmed."""
    return [stem(t) for t in words_of(text, split_camel)]


def squash(text: str) -> str:
    """Case- and separator-free form for constant names: HTTP_TOO_MANY -> httptoomany."""
    return "".join(_TOKEN.findall(_ascii_digits(text).lower()))


def digit_pattern(query: str) -> re.Pattern | None:
    """A regex for "4xx", "40x", "5**" or a one- or two-digit prefix such as "41"."""
    match = _PATTERN.match(query.strip())
    if not match:
        return None
    first, second, third = match.groups()
    if second.isdigit() and third.isdigit() and len(query.strip()) == 3:
        return None  # a full number, matched exactly
    parts = [first] + [p if p.isdigit() else "[0-9]" for p in (second, third)]
    return re.compile("^" + "".join(parts) + "$")


def _deletes(word: str, distance: int) -> set[str]:
    out = set()
    for d in range(1, distance + 1):
        for positions in combinations(range(len(word)), d):
            out.add("".join(ch for i, ch in enumerate(word) if i not in positions))
    return out


def _edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein (optimal string alignment) distance."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def _max_distance(word: str) -> int:
    if len(word) < 4:
        return 0
    return 1 if len(word) < 7 else 2


@dataclass
class Doc:
    """One catalogue row, prepared for matching."""

    row: object  # codes.models.StatusCode
    fields: dict[str, set[str]]
    phrase: str
    akas: list[str]
    keywords: list[tuple[str, str]]  # (normalised, original)
    constants: dict[str, str]  # squashed -> original name

    @property
    def code(self) -> int:
        return self.row.code


@dataclass
class Match:
    row: object
    score: float
    source: str = ""
    explain: Callable[[], str] | str = ""
    words: set[str] = field(default_factory=set)

    @property
    def text(self) -> str:
        """The text that matched; worked out only for results that are shown."""
        if callable(self.explain):
            self.explain = self.explain()
        return self.explain

    @property
    def code(self):
        return self.row

    @property
    def reason(self) -> str:
        return FIELD_LABELS.get(self.source, self.source)


def _snippet(text: str, words: set[str], width: int = 140) -> str:
    """A window of the text around its first matched word."""
    plain = re.sub(r"[`*_#>\[\]()]", "", text)
    for found in re.finditer(r"[A-Za-z0-9]+", plain):
        if any(t in words for t in tokens(found.group(0))):
            start = max(0, found.start() - width // 3)
            end = min(len(plain), start + width)
            return (
                ("…" if start else "")
                + plain[start:end].strip()
                + ("…" if end < len(plain) else "")
            )
    return plain[:width]


class SearchIndex:
    def __init__(self, rows):
        self.docs: list[Doc] = []
        self.numbers: set[int] = set()
        self.vocabulary: set[str] = set()
        self.fuzzy_vocabulary: set[str] = set()
        for row in rows:
            doc = self._prepare(row)
            self.docs.append(doc)
            self.numbers.add(row.code)
            for name, words in doc.fields.items():
                self.vocabulary |= words
                if name in FUZZY_FIELDS:
                    self.fuzzy_vocabulary |= words
        self._deletes: dict[str, set[str]] = {}
        for word in self.fuzzy_vocabulary:
            for variant in _deletes(word, _max_distance(word)) | {word}:
                self._deletes.setdefault(variant, set()).add(word)
        self._corrections: dict[str, list[tuple[str, int]]] = {}
        self.code_links = self._code_links(self.docs)
        self._links_except: dict[int, frozenset] = {}

    @staticmethod
    def _code_links(docs) -> frozenset:
        """One link target per number, named by its first meaning (registered first)."""
        from django.urls import reverse

        from codes.rendering import CodeLink

        first = {}
        for doc in sorted(docs, key=lambda d: (d.code, d.row.position, d.row.slug)):
            first.setdefault(doc.code, doc.row)
        return frozenset(
            CodeLink(
                code,
                row.phrase if not row.is_unofficial else "",
                reverse("codes:detail", kwargs={"code": code}),
            )
            for code, row in first.items()
        )

    def links_except(self, code: int) -> frozenset:
        """Code links for a page about ``code``: everything but a link to itself."""
        if code not in self._links_except:
            self._links_except[code] = frozenset(
                link for link in self.code_links if link.code != code
            )
        return self._links_except[code]

    @staticmethod
    def _prepare(row) -> Doc:
        constants = {}
        for constant in row.constants.all():
            constants[squash(constant.name)] = constant.name
        keyword_list = row.keyword_list()
        long_text = " ".join(
            [row.description, row.when_to_use, row.when_not_to_use, row.causes, row.fixes]
        )
        fields = {
            "phrase": set(tokens(row.phrase)),
            "aka": set(tokens(row.also_known_as)),
            "keywords": set(tokens(" ".join(keyword_list))),
            "constants": set(tokens(" ".join(constants.values()), split_camel=True))
            | {stem(name) for name in constants},
            "vendor": set(tokens(f"{row.vendor} {row.slug}")),
            "summary": set(tokens(row.summary)),
            "text": set(tokens(long_text)),
        }
        return Doc(
            row=row,
            fields=fields,
            phrase=" ".join(tokens(row.phrase)),
            akas=[" ".join(tokens(a)) for a in row.also_known_as_list()],
            keywords=[(" ".join(tokens(k)), k) for k in keyword_list],
            constants=constants,
        )

    def has_number(self, number: int) -> bool:
        return number in self.numbers

    def meanings(self, number: int) -> list:
        """All published meanings of a number, the registered one first."""
        rows = [doc.row for doc in self.docs if doc.code == number]
        return sorted(rows, key=lambda row: (row.position, row.slug))

    def neighbours(self, number: int):
        """The published meanings just before and just after a number (or None)."""
        below = [doc.row for doc in self.docs if doc.code < number]
        above = [doc.row for doc in self.docs if doc.code > number]
        previous = max(below, key=lambda row: (row.code, -row.position), default=None)
        following = min(above, key=lambda row: (row.code, row.position), default=None)
        return previous, following

    def corrections(self, word: str) -> list[tuple[str, int]]:
        """Catalogue words within a small edit distance of an unknown word."""
        if word in self._corrections:
            return self._corrections[word]
        limit = _max_distance(word)
        found = []
        if limit:
            candidates = set()
            for variant in _deletes(word, limit) | {word}:
                candidates |= self._deletes.get(variant, set())
            for candidate in candidates:
                distance = _edit_distance(word, candidate)
                if 0 < distance <= limit:
                    found.append((candidate, distance))
        if len(self._corrections) < 10_000:
            self._corrections[word] = found
        return found

    def search(self, query: str, docs: list[Doc] | None = None) -> list[Match]:
        docs = self.docs if docs is None else docs
        query = _ascii_digits(unicodedata.normalize("NFKC", query)).strip()[:MAX_QUERY_LENGTH]
        if not query:
            return []
        number = code_number(query)
        if number is not None:
            exact = [
                Match(d.row, 1000.0, "number", str(d.code), {query})
                for d in docs
                if d.code == number
            ]
            if exact:
                return self._sorted(exact)
        pattern = digit_pattern(query)
        if pattern:
            return self._sorted(
                [
                    Match(d.row, 800.0, "pattern", str(d.code), set())
                    for d in docs
                    if pattern.match(str(d.code))
                ]
            )
        return self._sorted(self._text_search(query, docs))

    def _text_search(self, query: str, docs: list[Doc]) -> list[Match]:
        raw = words_of(query)
        numbers = {int(w) for w in raw if w.isdigit() and len(w) == 3} & self.numbers
        kept = [w for w in raw if not w.isdigit() and w not in STOPWORDS] or [
            w for w in raw if not w.isdigit()
        ]
        words = [stem(w) for w in kept]
        # Each query word with its accepted spellings and how much each is worth.
        variants: list[list[tuple[str, float]]] = []
        for i, word in enumerate(words):
            options = [(word, 1.0)]
            if word not in self.vocabulary:
                options += [(c, 0.8 if d == 1 else 0.6) for c, d in self.corrections(word)]
                if i == len(words) - 1 and len(word) >= 2:  # still being typed
                    options += [(v, 0.7) for v in self._prefixed(word)]
            variants.append(options)
        squashed = squash(query)
        qualified = squash(re.split(r"[.:/\\]+", query.strip(" .:/"))[-1])
        joined = " ".join(words)
        matches = []
        for doc in docs:
            score, best_field, best_weight, matched = 0.0, "", 0.0, set()
            hits = 0
            for options in variants:
                word_best, word_field, word_hit = 0.0, "", None
                for spelling, factor in options:
                    for name, weight in WEIGHTS.items():
                        if spelling in doc.fields[name] and weight * factor > word_best:
                            word_best, word_field, word_hit = weight * factor, name, spelling
                if word_hit:
                    hits += 1
                    matched.add(word_hit)
                    score += word_best
                    if WEIGHTS[word_field] > best_weight:
                        best_weight, best_field = WEIGHTS[word_field], word_field
            coverage = hits / len(variants) if variants else 0.0
            score *= coverage * coverage
            bonus, bonus_field, bonus_text = self._bonuses(doc, joined, squashed, qualified)
            score += bonus
            if doc.code in numbers:
                score += 100.0
                bonus_field = bonus_field or "number"
            if score <= 0:
                continue
            field_name = bonus_field or best_field
            explain = bonus_text or partial(self._text_for, doc, field_name, matched)
            matches.append(Match(doc.row, score, field_name, explain, matched))
        if matches:
            # Drop the long tail of incidental matches (one common word in a description).
            floor = max(m.score for m in matches) * RELATIVE_FLOOR
            matches = [m for m in matches if m.score >= floor]
        return matches

    def _prefixed(self, prefix: str) -> list[str]:
        return [w for w in self.fuzzy_vocabulary if w.startswith(prefix) and w != prefix][:20]

    @staticmethod
    def _bonuses(doc: Doc, joined: str, squashed: str, qualified: str):
        """Whole-phrase agreements, worth more than any sum of single words."""
        if squashed and squashed in doc.constants:
            return 80.0, "constants", doc.constants[squashed]
        if qualified and qualified in doc.constants:  # HttpURLConnection.HTTP_FORBIDDEN
            return 75.0, "constants", doc.constants[qualified]
        for prefix in ("httpstatus", "status", "http", "sc"):
            if squashed.startswith(prefix) and squashed[len(prefix) :] in doc.constants:
                return 70.0, "constants", doc.constants[squashed[len(prefix) :]]
        if not joined:
            return 0.0, "", ""
        if doc.phrase == joined:
            return 60.0, "phrase", doc.row.phrase
        if doc.phrase.startswith(joined):
            return 30.0, "phrase", doc.row.phrase
        if joined in doc.akas:
            return 50.0, "aka", doc.row.also_known_as
        for normalised, original in doc.keywords:
            if normalised == joined:
                return 40.0, "keywords", original
        for normalised, original in doc.keywords:
            if f" {joined} " in f" {normalised} ":
                return 20.0, "keywords", original
        return 0.0, "", ""

    @staticmethod
    def _text_for(doc: Doc, field_name: str, matched: set[str]) -> str:
        row = doc.row
        if field_name == "phrase":
            return row.phrase
        if field_name == "aka":
            return row.also_known_as
        if field_name == "keywords":
            best = max(
                doc.keywords, key=lambda k: len(set(k[0].split()) & matched), default=("", "")
            )
            return best[1]
        if field_name == "constants":
            for squashed, name in doc.constants.items():
                if (set(tokens(name, split_camel=True)) | {stem(squashed)}) & matched:
                    return name
        if field_name == "vendor":
            return row.vendor
        if field_name == "summary":
            return row.summary
        if field_name == "number":
            return str(row.code)
        return _snippet(row.description or row.summary, matched)

    @staticmethod
    def _sorted(matches: list[Match]) -> list[Match]:
        matches.sort(
            key=lambda m: (-m.score, m.row.is_unofficial, m.row.code, m.row.position, m.row.slug)
        )
        return matches


_local = threading.local()


def catalogue_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY) or "uncached"
    return version


def bump_catalogue_version() -> None:
    """Tell every process that the catalogue changed."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def get_index() -> SearchIndex:
    """The published catalogue's search index, rebuilt when the catalogue changes."""
    from codes.models import StatusCode

    version = catalogue_version()
    index = getattr(_local, "index", None)
    if index is None or _local.version != version:
        # Everything a code page shows, fetched once per catalogue version.
        rows = StatusCode.objects.published().prefetch_related(
            "constants", "headers", "faqs", "related"
        )
        index = SearchIndex(list(rows))
        _local.index, _local.version = index, version
    return index


# Guides and FAQ entries ---------------------------------------------------------------

CONTENT_WEIGHTS = {"title": 6.0, "tags": 4.0, "summary": 3.0, "body": 1.0}


@dataclass
class ContentHit:
    """A guide or FAQ entry that matched, shown below the codes."""

    kind: str  # "guide" or "faq"
    title: str
    url: str
    summary: str
    score: float
    words: set[str] = field(default_factory=set)


@dataclass
class _Entry:
    kind: str
    title: str
    url: str
    summary: str
    fields: dict[str, set[str]]
    obj: object = None


class ContentIndex:
    """Published guides and FAQ entries, searchable with the same word rules as codes."""

    def __init__(self, guides, faqs, links: frozenset):
        from codes.rendering import render_article

        self.guides = guides
        self.comparisons_by_code: dict[int, list] = {}
        self.entries: list[_Entry] = []
        self.guides_by_code: dict[int, list] = {}
        for guide in guides:
            article = render_article(guide.body, links)
            codes = {c.code for c in guide.related_codes.all()} | set(article.mentioned)
            for code in codes:
                self.guides_by_code.setdefault(code, []).append(guide)
            tags = " ".join(t.name for t in guide.tags.all())
            self.entries.append(
                _Entry(
                    "guide",
                    guide.title,
                    guide.get_absolute_url(),
                    guide.summary,
                    {
                        "title": set(tokens(guide.title)),
                        "tags": set(tokens(tags)),
                        "summary": set(tokens(guide.summary)),
                        "body": set(tokens(guide.body)),
                    },
                    guide,
                )
            )
        for faq in faqs:
            self.entries.append(
                _Entry(
                    "faq",
                    faq.question,
                    faq.get_absolute_url(),
                    _snippet(faq.answer, set(), 160),
                    {
                        "title": set(tokens(faq.question)),
                        "tags": set(),
                        "summary": set(),
                        "body": set(tokens(faq.answer)),
                    },
                    faq,
                )
            )

    def search(self, query: str, kinds=("guide", "faq"), limit: int = 10) -> list[ContentHit]:
        raw = words_of(query)
        kept = [w for w in raw if w not in STOPWORDS] or raw
        words = [stem(w) for w in kept]
        if not words:
            return []
        hits = []
        for entry in self.entries:
            if entry.kind not in kinds:
                continue
            score, matched = 0.0, set()
            for word in words:
                best = max(
                    (w for name, w in CONTENT_WEIGHTS.items() if word in entry.fields[name]),
                    default=0.0,
                )
                if best:
                    score += best
                    matched.add(word)
            coverage = len(matched) / len(words)
            if coverage >= 0.5 and score >= 2.0:
                hits.append(
                    ContentHit(
                        entry.kind,
                        entry.title,
                        entry.url,
                        entry.summary,
                        score * coverage * coverage,
                        matched,
                    )
                )
        hits.sort(key=lambda h: (-h.score, h.kind != "guide", h.title))
        return hits[:limit]


def get_content_index() -> ContentIndex:
    """Guides and FAQs, rebuilt when content changes or a scheduled guide goes live."""
    from django.utils import timezone

    from codes.models import FAQ
    from guides.models import Guide

    version = catalogue_version()
    index = getattr(_local, "content", None)
    now = timezone.now()
    stale = index is None or _local.content_version != version
    if not stale and _local.content_expires is not None and now >= _local.content_expires:
        stale = True
    if stale:
        guides = list(
            Guide.objects.published()
            .select_related("author")
            .prefetch_related("tags", "related_codes")
        )
        faqs = list(
            FAQ.objects.filter(published=True)
            .filter(
                Q(status_code__published=True)
                | Q(guide__status=Guide.Status.PUBLISHED, guide__published_at__lte=now)
            )
            .select_related("status_code", "guide")
        )
        index = ContentIndex(guides, faqs, get_index().code_links)
        from codes.models import Comparison

        for comparison in Comparison.objects.select_related("first", "second"):
            for code in (comparison.first.code, comparison.second.code):
                index.comparisons_by_code.setdefault(code, []).append(comparison)
        upcoming = (
            Guide.objects.filter(status=Guide.Status.PUBLISHED, published_at__gt=now)
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )
        _local.content, _local.content_version, _local.content_expires = index, version, upcoming
    return index
