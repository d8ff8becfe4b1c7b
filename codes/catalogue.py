"""The catalogue read model: everything public pages show about codes, in memory.

One ``Catalogue`` is built per content version from the published rows (the
one place that decides what is published: ``StatusCode.objects.published()``)
and shared by every thread of the process through a ``Snapshot``. Pages, the
API, the search box and the ``/status/`` endpoint read it instead of the
database, so a cache-miss page costs no queries and an edit shows up
everywhere at the next request.
"""

from django.db.models import Prefetch
from django.urls import reverse

from codes.models import FAQ, Comparison, StatusCode
from codes.search import SearchIndex
from refsite.core.markdown import CodeLink
from refsite.core.snapshot import Snapshot


class Catalogue:
    """Published meanings with their numbers, neighbours, links and search index."""

    def __init__(self, rows: list[StatusCode], comparisons: list[Comparison]):
        self.rows = rows
        self._by_number: dict[int, list[StatusCode]] = {}
        for row in sorted(rows, key=lambda r: (r.code, r.position, r.slug)):
            self._by_number.setdefault(row.code, []).append(row)
        self.numbers = sorted(self._by_number)
        self.search = SearchIndex(rows)
        # One link target per number, named by its first meaning (registered first).
        self.code_links = frozenset(
            CodeLink(
                code,
                meanings[0].phrase if not meanings[0].is_unofficial else "",
                reverse("codes:detail", kwargs={"code": code}),
            )
            for code, meanings in self._by_number.items()
        )
        self._links_except: dict[int, frozenset] = {}
        self.comparisons_by_code: dict[int, list[Comparison]] = {}
        for comparison in comparisons:
            for code in (comparison.first.code, comparison.second.code):
                self.comparisons_by_code.setdefault(code, []).append(comparison)

    def has_number(self, number: int) -> bool:
        return number in self._by_number

    def meanings(self, number: int) -> list[StatusCode]:
        """All published meanings of a number, the registered one first."""
        return self._by_number.get(number, [])

    def in_class(self, digit: int) -> list[StatusCode]:
        return [row for row in self.rows if row.class_digit == digit]

    def neighbours(self, number: int) -> tuple[StatusCode | None, StatusCode | None]:
        """The first meaning of the published numbers just before and after ``number``."""
        below = [n for n in self.numbers if n < number]
        above = [n for n in self.numbers if n > number]
        previous = self._by_number[below[-1]][0] if below else None
        following = self._by_number[above[0]][0] if above else None
        return previous, following

    def links_except(self, number: int) -> frozenset:
        """Code links for a page about ``number``: everything but a link to itself."""
        if number not in self._links_except:
            self._links_except[number] = frozenset(
                link for link in self.code_links if link.code != number
            )
        return self._links_except[number]

    def updated_at(self, number: int | None = None):
        """The newest change to one number's meanings, or to any published code."""
        rows = self.meanings(number) if number is not None else self.rows
        return max((row.updated_at for row in rows), default=None)


def build(version: str) -> Catalogue:
    published = StatusCode.objects.published()
    rows = list(
        published.prefetch_related(
            "constants",
            "headers",
            Prefetch("faqs", queryset=FAQ.objects.published()),
            # A related code that is not published would be a link to a 404.
            Prefetch("related", queryset=published),
        )
    )
    comparisons = list(
        Comparison.objects.filter(first__in=published, second__in=published).select_related(
            "first", "second"
        )
    )
    return Catalogue(rows, comparisons)


_snapshot = Snapshot(build)


def get_catalogue() -> Catalogue:
    """The catalogue of the current content version."""
    return _snapshot.get()
