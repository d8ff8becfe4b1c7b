"""Guide pages: the list that filters as you type, each article, and tag pages."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpRequest

from codes import structured_data
from codes.cards import CLASS_COLOURS, card_png
from codes.rendering import render_article
from codes.search import get_content_index, get_index
from codes.views import read_only
from guides.forms import GuideSearchForm
from guides.models import Guide, Tag, visible_guides
from refsite.accounts.stars import star_button
from refsite.htmx import page_or_partial
from refsite.http_cache import last_modified_guide, last_modified_guides, page_cache


@read_only
@condition(last_modified_func=last_modified_guides)
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
@page_cache
def guide_list(request: HttpRequest):
    form = GuideSearchForm(request.GET or None)
    valid = not request.GET or form.is_valid()
    query = form.cleaned_data.get("q", "") if form.is_bound and valid else ""
    content = get_content_index()
    if not valid:
        guides = []
    elif query:
        urls = [hit.url for hit in content.search(query, kinds=("guide",), limit=100)]
        by_url = {g.get_absolute_url(): g for g in content.guides}
        guides = [by_url[url] for url in urls if url in by_url]
    else:
        guides = content.guides
    context = {
        "form": form,
        "query": query,
        "guides": guides,
        "result_count": len(guides),
        "tags": Tag.objects.filter(guides__in=[g.pk for g in content.guides]).distinct(),
    }
    template = page_or_partial(request, "guides/list.html", "results")
    return render(request, template, context, status=200 if valid else 400)


@read_only
@condition(last_modified_func=last_modified_guide)
@page_cache
def guide_detail(request: HttpRequest, slug: str):
    guide = get_object_or_404(
        visible_guides(request.user)
        .select_related("author")
        .prefetch_related("tags", "related_codes", "faqs"),
        slug=slug,
    )
    article = render_article(guide.body, get_index().code_links)
    faqs = [faq for faq in guide.faqs.all() if faq.published]
    context = {
        "guide": guide,
        "article": article,
        "article_ld": structured_data.article(guide, request.build_absolute_uri(request.path)),
        "faq_ld": structured_data.faq_page(faqs),
        "faqs": faqs,
        "related": [code for code in guide.related_codes.all() if code.published],
        "preview": not guide.is_public,
        "star": star_button(request, "guide", guide.slug, guide),
        "links": get_index().code_links,
    }
    response = render(request, "guides/detail.html", context)
    if not guide.is_public:
        patch_cache_control(response, private=True, no_store=True)
        response["X-Robots-Tag"] = "noindex"
    return response


@read_only
@condition(last_modified_func=last_modified_guides)
@page_cache
def tag_page(request: HttpRequest, slug: str):
    tag = get_object_or_404(Tag, slug=slug)
    guides = [g for g in get_content_index().guides if tag in g.tags.all()]
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
