"""What other apps add to code pages and to search, without ``codes`` importing them.

Dependencies run one way: ``guides`` imports ``codes``, never the reverse. So a
code page's "Guides that cover 404" list and the guides and questions under
search results come from providers that the guides app registers in its
``AppConfig.ready()``. Each provider is a plain function.
"""

from collections.abc import Callable

_covering: list[Callable[[int], list]] = []
_searching: list[Callable[[str, int], list]] = []


def provide_covering(provider: Callable[[int], list]) -> None:
    """Register ``provider(number)``: articles that cover a code (each with ``updated_at``)."""
    if provider not in _covering:
        _covering.append(provider)


def provide_search(provider: Callable[[str, int], list]) -> None:
    """Register ``provider(query, limit)``: more search hits to show below the codes."""
    if provider not in _searching:
        _searching.append(provider)


def covering(number: int) -> list:
    return [item for provider in _covering for item in provider(number)]


def more_search_hits(query: str, limit: int) -> list:
    return [hit for provider in _searching for hit in provider(query, limit)][:limit]
