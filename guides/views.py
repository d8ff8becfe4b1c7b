"""Guide pages: the list that filters as you type, each article, and tag pages."""

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django_htmx.http import HttpRequest

from codes.catalogue import get_catalogue
from codes.models import StatusCode
from guides.forms import GuideSearchForm
from guides.library import get_library
from guides.models import Guide, GuideFAQ, Tag, visible_guides
from refsite.accounts.stars import star_button
from refsite.core import jsonld
from refsite.core.cards import CLASS_COLOURS, card_png
from refsite.core.htmx import page_or_partial
from refsite.core.http_cache import (
    HTMX_VARY,
    content_changed,
    mark_preview,
    newest,
    not_worth_storing,
    public_page,
    read_only,
)
from refsite.core.markdown import render_article


def last_modified_guides(request, *args, **kwargs):
    """The last content change, or the moment a scheduled guide went live."""
    return newest(content_changed(), *(guide.published_at for guide in get_library().guides))


def last_modified_guide(request, slug, *args, **kwargs):
    guide = get_library().get(slug)
    if guide is None:
        return None  # drafts and unknown slugs: no validator
    return newest(content_changed(), guide.published_at)


@public_page(last_modified=last_modified_guides, vary=HTMX_VARY, params=("q",))
def guide_list(request: HttpRequest):
    form = GuideSearchForm(request.GET or None)
    valid = not request.GET or form.is_valid()
    query = form.cleaned_data.get("q", "") if form.is_bound and valid else ""
    library = get_library()
    if not valid:
        guides = []
    elif query:
        urls = [hit.url for hit in library.search(query, kinds=("guide",), limit=100)]
        by_url = {g.url: g for g in library.guides}
        guides = [by_url[url] for url in urls if url in by_url]
    else:
        guides = library.guides
    if not guides:
        not_worth_storing(request)
    context = {
        "form": form,
        "query": query,
        "guides": guides,
        "result_count": len(guides),
        "tags": Tag.objects.filter(guides__in=[g.pk for g in library.guides]).distinct(),
    }
    template = page_or_partial(request, "guides/list.html", "results")
    return render(request, template, context, status=200 if valid else 400)


@public_page(last_modified=last_modified_guide)
def guide_detail(request: HttpRequest, slug: str):
    guide = get_object_or_404(
        visible_guides(request.user)
        .select_related("author")
        .prefetch_related(
            "tags",
            Prefetch("related_codes", queryset=StatusCode.objects.published()),
            Prefetch("faqs", queryset=GuideFAQ.objects.published()),
        ),
        slug=slug,
    )
    links = get_catalogue().code_links
    article = render_article(guide.body, links)
    faqs = list(guide.faqs.all())
    # A draft or a guide scheduled for later: only editors get here (visible_guides).
    preview = get_library().get(guide.slug) is None
    context = {
        "guide": guide,
        "article": article,
        "article_ld": jsonld.article(guide, request.build_absolute_uri(request.path)),
        "faq_ld": jsonld.faq_page(faqs),
        "faqs": faqs,
        "related": list(guide.related_codes.all()),
        "preview": preview,
        "star": star_button(request, "guide", guide.slug, guide),
        "links": links,
    }
    response = render(request, "guides/detail.html", context)
    return mark_preview(response) if preview else response


@public_page(last_modified=last_modified_guides)
def tag_page(request: HttpRequest, slug: str):
    tag = get_object_or_404(Tag, slug=slug)
    guides = [g for g in get_library().guides if tag in g.tag_list]
    if not guides:
        return render(request, "guides/tag.html", {"tag": tag, "guides": []}, status=404)
    return render(request, "guides/tag.html", {"tag": tag, "guides": guides})


@read_only
def guide_card(request: HttpRequest, slug: str):
    """The guide's social card: 1200x630 PNG with its title and summary."""
    guide = get_object_or_404(Guide.objects.published(), slug=slug)
    png = card_png(guide.title, guide.summary, f"Guide · {guide.reading_time}", CLASS_COLOURS[3])
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response
