"""The guides read model: published guides, what each covers, and guide and FAQ search.

Built once per content version, like the catalogue (``codes.catalogue``), and
also when a guide scheduled for later goes live (``expires_at``). Code pages
reach it through ``codes.extensions``, which the guides app feeds in its
``ready()``, so ``codes`` never imports ``guides``.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from codes.catalogue import get_catalogue
from codes.models import FAQ, StatusCode
from codes.search import snippet, stem, tokens, words_of
from codes.search.text import STOPWORDS
from guides.models import Guide, GuideFAQ
from refsite.core.markdown import render_article
from refsite.core.snapshot import Snapshot

WEIGHTS = {"title": 6.0, "tags": 4.0, "summary": 3.0, "body": 1.0}


@dataclass
class ContentHit:
    """A guide or FAQ entry that matched, shown below the codes."""

    kind: str  # "guide" or "faq"
    title: str
    url: str
    summary: str
    score: float
    words: set[str] = field(default_factory=set)

    @property
    def text(self) -> str:
        """What the highlight filter marks up: the title."""
        return self.title


@dataclass
class _Entry:
    kind: str
    title: str
    url: str
    summary: str
    fields: dict[str, set[str]]


class Library:
    """Published guides and every published FAQ, searchable with the catalogue's word rules."""

    def __init__(self, guides: list[Guide], faqs: list, links: frozenset, expires_at=None):
        self.guides = guides
        self.expires_at = expires_at
        self._by_slug = {guide.slug: guide for guide in guides}
        self._by_code: dict[int, list[Guide]] = {}
        self.entries: list[_Entry] = []
        for guide in guides:
            article = render_article(guide.body, links)
            codes = {c.code for c in guide.related_codes.all()} | set(article.mentioned)
            for code in sorted(codes):
                self._by_code.setdefault(code, []).append(guide)
            tags = " ".join(tag.name for tag in guide.tag_list)
            self.entries.append(
                _Entry(
                    "guide",
                    guide.title,
                    guide.url,
                    guide.summary,
                    {
                        "title": set(tokens(guide.title)),
                        "tags": set(tokens(tags)),
                        "summary": set(tokens(guide.summary)),
                        "body": set(tokens(guide.body)),
                    },
                )
            )
        for faq in faqs:
            self.entries.append(
                _Entry(
                    "faq",
                    faq.question,
                    faq.get_absolute_url(),
                    snippet(faq.answer, set(), 160),
                    {
                        "title": set(tokens(faq.question)),
                        "tags": set(),
                        "summary": set(),
                        "body": set(tokens(faq.answer)),
                    },
                )
            )

    def get(self, slug: str) -> Guide | None:
        return self._by_slug.get(slug)

    def covering(self, number: int) -> list[Guide]:
        """Published guides that cover a code: listed as related, or mentioned in the text."""
        return self._by_code.get(number, [])

    def updated_at(self):
        return max((guide.updated_at for guide in self.guides), default=None)

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
                    (w for name, w in WEIGHTS.items() if word in entry.fields[name]),
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


def build(version: str) -> Library:
    now = timezone.now()
    published_codes = StatusCode.objects.published()
    guides = list(
        Guide.objects.published(now)
        .select_related("author")
        .prefetch_related("tags", Prefetch("related_codes", queryset=published_codes))
    )
    faqs = [
        *FAQ.objects.published()
        .filter(status_code__in=published_codes)
        .select_related("status_code"),
        *GuideFAQ.objects.published()
        .filter(guide__in=Guide.objects.published(now))
        .select_related("guide"),
    ]
    upcoming = (
        Guide.objects.scheduled(now)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    return Library(guides, faqs, get_catalogue().code_links, upcoming)


_snapshot = Snapshot(build)


def get_library() -> Library:
    """The guides of the current content version."""
    return _snapshot.get()


def guides_covering(number: int) -> list[Guide]:
    """For code pages (through ``codes.extensions``)."""
    return get_library().covering(number)


def search_hits(query: str, limit: int) -> list[ContentHit]:
    """For the site search (through ``codes.extensions``)."""
    return get_library().search(query, limit=limit)
