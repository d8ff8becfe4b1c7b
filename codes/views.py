"""Pages of the catalogue: the index with its live filter, class pages, code pages, the 404."""

import re

from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.csrf import requires_csrf_token
from django_htmx.http import HttpRequest

from codes import extensions
from codes.api import code_record
from codes.catalogue import get_catalogue
from codes.classes import NONSTANDARD_INTRO, class_info
from codes.forms import SearchForm
from codes.models import CLASS_NAMES, NOT_EXPLAINED, StatusCode
from codes.search import code_number
from codes.snippets import problem_details, raw_response, snippets
from refsite.accounts.stars import star_button
from refsite.core import jsonld
from refsite.core.api import API_PREFIX, problem
from refsite.core.cards import CLASS_COLOURS, card_png
from refsite.core.htmx import page_or_partial
from refsite.core.http_cache import (
    HTMX_VARY,
    NEGOTIATED_VARY,
    content_changed,
    negotiated_format,
    not_worth_storing,
    public_page,
    read_only,
)


def last_modified_code(request, code, *args, **kwargs):
    """A code page's date; none for a number with no page, which answers 404."""
    return content_changed() if get_catalogue().has_number(int(code)) else None


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


@public_page(vary=HTMX_VARY, params=("q", "cls", "unofficial"))
def index(request: HttpRequest):
    form = SearchForm(request.GET or None)
    valid = not request.GET or form.is_valid()
    query = form.cleaned_data.get("q", "") if form.is_bound and valid else ""
    catalogue = get_catalogue()
    number = code_number(query)
    if not request.htmx and number is not None and catalogue.has_number(number):
        # A plain submit of an exact code number goes straight to its page.
        return redirect("codes:detail", code=number)
    docs = form.filter_docs(catalogue.search.docs) if valid else []
    matches = catalogue.search.search(query, docs) if query else []
    rows = [m.row for m in matches] if query else [doc.row for doc in docs]
    if not rows:
        not_worth_storing(request)
    context = {
        "form": form,
        "query": query,
        "matches": matches,
        "content_hits": extensions.more_search_hits(query, 8) if query else [],
        "results": rows,
        "sections": [] if query else _group_by_class(rows),
        "result_count": len(rows),
        "filtered": valid and form.is_bound and form.has_filters(),
    }
    template = page_or_partial(request, "codes/index.html", "results")
    return render(request, template, context, status=200 if valid else 400)


@public_page()
def class_page(request: HttpRequest, digit: str, suffix: str):
    digit = int(digit)
    canonical = reverse("codes:class", kwargs={"digit": digit, "suffix": "xx"})
    if redirect := _canonical_redirect(request, canonical):
        return redirect
    rows = get_catalogue().in_class(digit)
    context = {
        "info": class_info(digit),
        "codes": rows,
        "other_classes": [class_info(d) for d in CLASS_NAMES if d != digit],
    }
    return render(request, "codes/class.html", context)


@public_page(last_modified=last_modified_code, vary=NEGOTIATED_VARY)
def detail(request: HttpRequest, code: str):
    """A code's permalink page; JSON or plain text for clients that ask for them."""
    number = int(code)
    if not 100 <= number <= 999:
        raise Http404(f"{number} is not a three-digit status code")
    canonical = reverse("codes:detail", kwargs={"code": number})
    if redirect_response := _canonical_redirect(request, canonical):
        return redirect_response
    fmt = negotiated_format(request)
    if fmt is None:
        return HttpResponse(
            "Not Acceptable. This page is available as text/html, application/json "
            "and text/plain.\n",
            status=406,
            content_type="text/plain; charset=utf-8",
        )
    if fmt != "html":
        return _detail_as(request, number, fmt, canonical=True)
    meanings = get_catalogue().meanings(number)
    if not meanings:
        raise Http404(f"No status code {number}")
    context = code_page_context(request, meanings)
    return render(request, "codes/detail.html", context)


def code_page_context(request: HttpRequest, meanings: list[StatusCode]) -> dict:
    """What ``codes/detail.html`` shows about one number's meanings, the primary first.

    The code page and the editors' preview of an unsaved change (codes/admin.py)
    both build their context here, so a preview is the page as it will look.
    """
    catalogue = get_catalogue()
    primary = meanings[0]
    number = primary.code
    canonical = reverse("codes:detail", kwargs={"code": number})
    previous, following = catalogue.neighbours(number)
    faqs = [faq for m in meanings for faq in m.faqs.all()]
    return {
        "page_url": request.build_absolute_uri(canonical),
        "card_url": request.build_absolute_uri(primary.page_urls["card"]),
        "links": catalogue.links_except(number),
        "guides": extensions.covering(number),
        "comparisons": catalogue.comparisons_by_code.get(number, []),
        "star": star_button(request, "code", number, primary),
        "faq_ld": jsonld.faq_page(faqs),
        "primary": primary,
        "meanings": meanings,
        "snippets": snippets(primary),
        "raw_response": raw_response(primary),
        "problem_example": problem_details(primary, request.get_host())
        if primary.class_digit in (4, 5)
        else "",
        "previous": previous,
        "next": following,
        "info": class_info(primary.class_digit) if primary.class_digit else None,
    }


@public_page(last_modified=last_modified_code)
def detail_format(request: HttpRequest, code: str, fmt: str):
    """``/404.json`` and ``/404.txt`` for people who cannot set an Accept header."""
    return _detail_as(request, int(code), "json" if fmt == "json" else "text", canonical=False)


def _detail_as(request, number: int, fmt: str, *, canonical: bool):
    record = code_record(number, request)  # 404s for unknown codes
    if fmt == "json":
        response = JsonResponse(record, json_dumps_params={"ensure_ascii": False, "indent": 2})
    else:
        body = render_to_string(
            "codes/detail.txt",
            {"r": record, "others": record["other_meanings"], "not_explained": NOT_EXPLAINED},
        )
        response = HttpResponse(body, content_type="text/plain; charset=utf-8")
    page = request.build_absolute_uri(reverse("codes:detail", kwargs={"code": number}))
    response["Link"] = f'<{page}>; rel="canonical"'
    return response


@read_only
def card(request: HttpRequest, code: str):
    """The code's social card: 1200x630 PNG with code, phrase and class colour."""
    number = int(code)
    meanings = get_catalogue().meanings(number)
    if not meanings:
        raise Http404(f"No status code {number}")
    row = meanings[0]
    label = f"{row.class_label} {row.class_name}" if row.class_digit else "Outside 1xx-5xx"
    if row.is_unofficial:
        label += f" · unofficial ({row.vendor})"
    png = card_png(row.heading, row.summary_or_note, label, CLASS_COLOURS[row.class_digit])
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@read_only
def short_link(request: HttpRequest, code: str):
    """``/s/404`` and friends: a short form that redirects to the permalink."""
    number = int(code)
    if not get_catalogue().has_number(number):
        raise Http404(f"No status code {number}")
    return HttpResponsePermanentRedirect(reverse("codes:detail", kwargs={"code": number}))


@read_only
def opensearch(request: HttpRequest):
    """The OpenSearch description that lets browsers add the site as a search engine."""
    return render(
        request,
        "codes/opensearch.xml",
        {"origin": f"{request.scheme}://{request.get_host()}"},
        content_type="application/opensearchdescription+xml; charset=utf-8",
    )


_NUMBER_IN_PATH = re.compile(r"^/0*([0-9]{1,6})/?$")


def nearest_codes(number: int, per_side: int = 3) -> list[StatusCode]:
    """The first meanings of the published numbers just below and above one nobody uses."""
    catalogue = get_catalogue()
    below = [n for n in catalogue.numbers if n < number][-per_side:]
    above = [n for n in catalogue.numbers if n > number][:per_side]
    return [catalogue.meanings(n)[0] for n in [*below, *above]]


@requires_csrf_token
def not_found(request, exception=None):
    """The site's 404: problem details under the API, nearby codes everywhere else."""
    if request.path.startswith(API_PREFIX):
        return problem(request, 404, "Not Found", "No API endpoint at this address.")
    match = _NUMBER_IN_PATH.match(request.path)
    number = int(match.group(1)) if match else None
    context = {
        "number": number,
        "nearest": nearest_codes(number) if number is not None and number < 10_000 else [],
        "form": SearchForm(),
    }
    return render(request, "404.html", context, status=404)
