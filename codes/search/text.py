"""Text normalisation for search: the same rules for the catalogue and for queries.

Words are lower-cased, digits from any script become ASCII, British spellings
fold to American (``unauthorised``), and words are lightly stemmed
(``limited`` -> ``limit``). Constant names lose case and separators
(``HTTP_TOO_MANY`` -> ``httptoomany``).
"""

import re
import unicodedata
from functools import lru_cache

MAX_QUERY_LENGTH = 200

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


def ascii_digits(text: str) -> str:
    """Unicode decimal digits (Arabic-Indic, full-width, ...) become ASCII digits."""
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)


def code_number(query: str) -> int | None:
    """The number a query spells, in any script's decimal digits ("404", "٤٠٤"), or None."""
    text = ascii_digits(unicodedata.normalize("NFKC", query)).strip()
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
    text = ascii_digits(unicodedata.normalize("NFKC", text))
    if split_camel:
        text = _CAMEL.sub(" ", text)
    return _TOKEN.findall(text.lower())


def tokens(text: str, split_camel: bool = False) -> list[str]:
    """Normalised words: split, lower-cased, spelling folded, stemmed."""
    return [stem(t) for t in words_of(text, split_camel)]


def squash(text: str) -> str:
    """Case- and separator-free form for constant names: HTTP_TOO_MANY -> httptoomany."""
    return "".join(_TOKEN.findall(ascii_digits(text).lower()))


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


def snippet(text: str, words: set[str], width: int = 140) -> str:
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
