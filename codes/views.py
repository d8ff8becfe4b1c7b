"""Pages of the catalogue: the index with its live filter, class pages and code pages."""

from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpRequest

from codes import structured_data
from codes.classes import NONSTANDARD_INTRO, class_info
from codes.forms import SearchForm
from codes.models import CLASS_NAMES, StatusCode
from codes.search import code_number, get_content_index, get_index


def read_only(view):
    """GET and HEAD only; other methods get 405 with an Allow header.

    Read-only pages change no state, so they skip the CSRF check: a stray POST
    is told 405 Method Not Allowed rather than 403.
    """
    return csrf_exempt(require_safe(view))


def _canonical_redirect(request, canonical_path):
    """301 to the canonical URL when the request used another spelling of it."""
    if request.path == canonical_path:
        return None
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(canonical_path + (f"?{query}" if query else ""))


def _group_by_class(rows):
    """Split listing rows into the five classes plus the nonstandard range."""
    groups = {digit: [] for digit in CLASS_NAMES}
    other = []
    for row in rows:
        digit = row.class_digit
        (groups[digit] if digit else other).append(row)
    sections = [dict(class_info(d), codes=codes) for d, codes in groups.items() if codes]
    if other:
        sections.append(
            {
                "digit": None,
                "label": "other",
                "name": "Outside the standard range",
                "intro": NONSTANDARD_INTRO,
                "codes": other,
            }
        )
    return sections


@read_only
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def index(request: HttpRequest):
    form = SearchForm(request.GET or None)
    valid = not request.GET or form.is_valid()
    query = form.cleaned_data.get("q", "") if form.is_bound and valid else ""
    index = get_index()
    number = code_number(query)
    if not request.htmx and number is not None and index.has_number(number):
        # A plain submit of an exact code number goes straight to its page.
        return redirect("codes:detail", code=number)
    docs = form.filter_docs(index.docs) if valid else []
    matches = index.search(query, docs) if query else []
    rows = [m.row for m in matches] if query else [doc.row for doc in docs]
    context = {
        "form": form,
        "query": query,
        "matches": matches,
        "content_hits": get_content_index().search(query, limit=8) if query else [],
        "results": rows,
        "sections": [] if query else _group_by_class(rows),
        "result_count": len(rows),
        "filtered": valid and form.is_bound and form.has_filters(),
    }
    template = "codes/index.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#results"
    return render(request, template, context, status=200 if valid else 400)


@read_only
def class_page(request: HttpRequest, digit: str, suffix: str):
    digit = int(digit)
    canonical = reverse("codes:class", kwargs={"digit": digit, "suffix": "xx"})
    if redirect := _canonical_redirect(request, canonical):
        return redirect
    rows = StatusCode.objects.published().in_class(digit).for_listing()
    context = {
        "info": class_info(digit),
        "codes": rows,
        "other_classes": [class_info(d) for d in CLASS_NAMES if d != digit],
    }
    return render(request, "codes/class.html", context)


@read_only
def detail(request: HttpRequest, code: str):
    number = int(code)
    meanings = list(
        StatusCode.objects.published()
        .for_number(number)
        .prefetch_related("headers", "constants", "faqs", "related")
    )
    if not meanings:
        raise Http404(f"No status code {number}")
    canonical = reverse("codes:detail", kwargs={"code": number})
    if redirect := _canonical_redirect(request, canonical):
        return redirect
    published = StatusCode.objects.published()
    previous = published.filter(code__lt=number).order_by("-code").first()
    following = published.filter(code__gt=number).order_by("code").first()
    primary = meanings[0]
    faqs = [faq for m in meanings for faq in m.faqs.all()]
    context = {
        "links": get_index().links_except(number),
        "guides": get_content_index().guides_by_code.get(number, []),
        "faq_ld": structured_data.faq_page(faqs),
        "primary": primary,
        "meanings": meanings,
        "previous": previous,
        "next": following,
        "info": class_info(primary.class_digit) if primary.class_digit else None,
    }
    return render(request, "codes/detail.html", context)


@read_only
def opensearch(request: HttpRequest):
    """The OpenSearch description that lets browsers add the site as a search engine."""
    return render(
        request,
        "codes/opensearch.xml",
        {"origin": f"{request.scheme}://{request.get_host()}"},
        content_type="application/opensearchdescription+xml; charset=utf-8",
    )
