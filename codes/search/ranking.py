"""Ranking: which published meanings a query finds, strongest first.

A query is read for, strongest first:

1. an exact number (``404``) or a number inside text (``HTTP/1.1 503 ...``,
   ``HTTP_429``);
2. a class or digit pattern (``4xx``, ``40x``, ``5**``, ``41``);
3. the reason phrase: exact, prefix, then words;
4. constant names from every ecosystem, ignoring case and separators
   (``too_many_requests``, ``StatusTooManyRequests``, ``:unprocessable_entity``);
5. also-known-as names and the editors' keywords (symptoms, log lines);
6. the vendor, the summary and the longer text.

Words that match nothing are corrected against the catalogue's own vocabulary
(``forbiden``, ``gatway timout``, ``teapott``). Editors tune results through
each code's keywords in the admin; nothing here names a particular code. The
index is part of the catalogue snapshot (``codes.catalogue``), built once per
content version.
"""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from codes.search.spelling import Speller
from codes.search.text import (
    MAX_QUERY_LENGTH,
    STOPWORDS,
    ascii_digits,
    code_number,
    digit_pattern,
    snippet,
    squash,
    stem,
    tokens,
    words_of,
)

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
        self.speller = Speller(self.fuzzy_vocabulary)

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
            "aka": set(tokens(" ".join(row.also_known_as_list()))),
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

    def search(self, query: str, docs: list[Doc] | None = None) -> list[Match]:
        docs = self.docs if docs is None else docs
        query = ascii_digits(unicodedata.normalize("NFKC", query)).strip()[:MAX_QUERY_LENGTH]
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
                options += [(c, 0.8 if d == 1 else 0.6) for c, d in self.speller.corrections(word)]
                if i == len(words) - 1 and len(word) >= 2:  # still being typed
                    options += [(v, 0.7) for v in self.speller.prefixed(word)]
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
            return 50.0, "aka", ", ".join(doc.row.also_known_as_list())
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
            return ", ".join(row.also_known_as_list())
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
        return snippet(row.description or row.summary, matched)

    @staticmethod
    def _sorted(matches: list[Match]) -> list[Match]:
        matches.sort(
            key=lambda m: (-m.score, m.row.is_unofficial, m.row.code, m.row.position, m.row.slug)
        )
        return matches
