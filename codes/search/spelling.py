"""Spelling correction against the catalogue's own vocabulary.

Symmetric-delete lookup (as in SymSpell): every vocabulary word is indexed by
the strings one or two deletions away, so a misspelt query word finds its
candidates without comparing it with the whole vocabulary; candidates are then
checked with a Damerau-Levenshtein distance. Short words are never corrected.
"""

from itertools import combinations


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


class Speller:
    """Corrections for unknown words, from a fixed vocabulary."""

    def __init__(self, vocabulary: set[str]):
        self.vocabulary = vocabulary
        self._deletes: dict[str, set[str]] = {}
        for word in vocabulary:
            for variant in _deletes(word, _max_distance(word)) | {word}:
                self._deletes.setdefault(variant, set()).add(word)
        self._corrections: dict[str, list[tuple[str, int]]] = {}

    def corrections(self, word: str) -> list[tuple[str, int]]:
        """Vocabulary words within a small edit distance of ``word``, with the distance."""
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

    def prefixed(self, prefix: str, limit: int = 20) -> list[str]:
        """Vocabulary words that start with ``prefix`` (a word still being typed)."""
        return [w for w in self.vocabulary if w.startswith(prefix) and w != prefix][:limit]
