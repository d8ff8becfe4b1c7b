"""Find the code a developer means from whatever they typed.

- ``text``: normalisation shared by the catalogue and queries;
- ``spelling``: corrections against the catalogue's vocabulary;
- ``ranking``: the index and its scoring.

The index itself lives in the catalogue snapshot: ``get_catalogue().search``.
"""

from codes.search.ranking import Match, SearchIndex
from codes.search.text import MAX_QUERY_LENGTH, code_number, snippet, stem, tokens, words_of

__all__ = [
    "MAX_QUERY_LENGTH",
    "Match",
    "SearchIndex",
    "code_number",
    "snippet",
    "stem",
    "tokens",
    "words_of",
]
