"""The read-only JSON API for guides: ``/api/guides/`` and ``/api/guides/<slug>/``."""

from datetime import datetime

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, P, Path, Router, Schema

from codes.api import FAQOut
from codes.catalogue import get_catalogue
from codes.models import StatusCode
from guides.library import get_library
from guides.models import Guide, GuideFAQ
from refsite.core.markdown import render_article

router = Router(tags=["guides"])

# Guide slugs are Django slugs (guides.models.Guide.slug); anything else is a 400.
SLUG = P(pattern=r"^[-a-zA-Z0-9_]+$", max_length=150, description="The guide's slug.")


class TocEntryOut(Schema):
    level: int
    anchor: str
    title: str


class GuideSummaryOut(Schema):
    slug: str
    title: str
    summary: str
    tags: list[str]
    reading_minutes: int
    published_at: datetime
    updated_at: datetime
    url: str = Field(description="The HTML page.")
    api_url: str


class GuideOut(GuideSummaryOut):
    author: str
    body: str = Field(description="Markdown.")
    body_html: str = Field(description="The rendered, sanitised article.")
    toc: list[TocEntryOut]
    related_codes: list[int]
    faqs: list[FAQOut]


class GuideListOut(Schema):
    count: int
    results: list[GuideSummaryOut]


def _summary(guide: Guide, request) -> dict:
    return {
        "slug": guide.slug,
        "title": guide.title,
        "summary": guide.summary,
        "tags": [tag.name for tag in guide.tags.all()],
        "reading_minutes": guide.reading_minutes,
        "published_at": guide.published_at,
        "updated_at": guide.updated_at,
        "url": request.build_absolute_uri(guide.get_absolute_url()),
        "api_url": request.build_absolute_uri(reverse("api:guide", kwargs={"slug": guide.slug})),
    }


@router.get("/guides/", response=GuideListOut, url_name="guides", summary="List guides")
def list_guides(request):
    """Published guides, newest first."""
    results = [_summary(guide, request) for guide in get_library().guides]
    return {"count": len(results), "results": results}


@router.get("/guides/{slug}/", response=GuideOut, url_name="guide", summary="One guide")
def get_guide(request, slug: Path[str, SLUG]):
    """A published guide with its Markdown, rendered HTML, contents and FAQs."""
    guide = get_object_or_404(
        Guide.objects.published().prefetch_related(
            "tags",
            Prefetch("related_codes", queryset=StatusCode.objects.published()),
            Prefetch("faqs", queryset=GuideFAQ.objects.published()),
        ),
        slug=slug,
    )
    article = render_article(guide.body, get_catalogue().code_links)
    return {
        **_summary(guide, request),
        "author": guide.author_name,
        "body": guide.body,
        "body_html": str(article.html),
        "toc": [{"level": lv, "anchor": a, "title": t} for lv, a, t in article.toc],
        "related_codes": sorted({c.code for c in guide.related_codes.all()}),
        "faqs": [{"question": f.question, "answer": f.answer} for f in guide.faqs.all()],
    }
