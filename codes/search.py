"""Find the codes that match what a developer typed.

One place that turns a query into a ranked list of catalogue rows, used by the
index page and its htmx partial. It understands numbers ("404"), class and
digit patterns ("4xx", "40x", "5**", "41"), reason phrases, also-known-as names,
editor keywords and summaries.
"""

import re
from dataclasses import dataclass, field

from codes.models import StatusCode

MAX_QUERY_LENGTH = 200

_PATTERN = re.compile(r"^([1-9])([0-9xX*]?)([0-9xX*]?)$")
_WORD = re.compile(r"[a-z0-9]+")


@dataclass
class Match:
    code: StatusCode
    score: int
    reasons: list[str] = field(default_factory=list)


def normalise(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def digit_pattern(query: str) -> re.Pattern | None:
    """A regex for "4xx", "40x", "5**" or a one- or two-digit prefix such as "41"."""
    match = _PATTERN.match(query.strip())
    if not match:
        return None
    first, second, third = match.groups()
    if second and third and second.isdigit() and third.isdigit():
        return None  # a full number, handled as an exact match
    parts = [first]
    for part in (second, third):
        parts.append(part if part.isdigit() else "[0-9]")
    return re.compile("^" + "".join(parts) + "$")


def score_row(row: StatusCode, query: str, words: list[str]) -> Match | None:
    text_query = " ".join(words)
    phrase = normalise(row.phrase)
    score = 0
    reasons = []
    if query.isdigit() and int(query) == row.code:
        return Match(row, 1000, ["number"])
    pattern = digit_pattern(query)
    if pattern and pattern.match(str(row.code)):
        return Match(row, 800, ["number pattern"])
    if not words:
        return None
    if phrase and phrase == text_query:
        score, reasons = 700, ["phrase"]
    elif phrase and phrase.startswith(text_query):
        score, reasons = 600, ["phrase"]
    elif phrase and all(w in phrase.split() for w in words):
        score, reasons = 500, ["phrase"]
    aliases = [normalise(a) for a in row.also_known_as_list()]
    if score < 450 and any(text_query in a for a in aliases):
        score, reasons = 450, ["also known as"]
    keywords = [normalise(k) for k in row.keyword_list()]
    if score < 400 and any(text_query in k for k in keywords):
        score, reasons = 400, ["keywords"]
    if score < 300 and text_query in normalise(row.vendor):
        score, reasons = 300, ["vendor"]
    if score < 200 and all(w in normalise(row.summary) for w in words):
        score, reasons = 200, ["summary"]
    if score == 0:
        return None
    return Match(row, score, reasons)


def search(query: str, queryset=None) -> list[Match]:
    """Rank catalogue rows against a query; best first, registered before unofficial."""
    if queryset is None:
        queryset = StatusCode.objects.published()
    query = query.strip()[:MAX_QUERY_LENGTH]
    words = normalise(query).split()
    matches = [m for row in queryset if (m := score_row(row, query, words))]
    matches.sort(key=lambda m: (-m.score, m.code.is_unofficial, m.code.code, m.code.slug))
    return matches
