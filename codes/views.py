"""Pages of the catalogue: the index with its live filter, class pages and code pages."""

from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import condition, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpRequest

from codes import structured_data
from codes.api import code_record
from codes.cards import CLASS_COLOURS, card_png
from codes.classes import NONSTANDARD_INTRO, class_info
from codes.forms import SearchForm
from codes.models import CLASS_NAMES, StatusCode
from codes.search import code_number, get_content_index, get_index
from codes.snippets import problem_details, raw_response, snippets
from refsite.accounts.stars import star_button
from refsite.htmx import page_or_partial
from refsite.http_cache import last_modified_catalogue, last_modified_code, page_cache


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
@condition(last_modified_func=last_modified_catalogue)
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
@page_cache
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
    template = page_or_partial(request, "codes/index.html", "results")
    return render(request, template, context, status=200 if valid else 400)


@read_only
@condition(last_modified_func=last_modified_catalogue)
@page_cache
def class_page(request: HttpRequest, digit: str, suffix: str):
    digit = int(digit)
    canonical = reverse("codes:class", kwargs={"digit": digit, "suffix": "xx"})
    if redirect := _canonical_redirect(request, canonical):
        return redirect
    rows = [doc.row for doc in get_index().docs if doc.row.class_digit == digit]
    context = {
        "info": class_info(digit),
        "codes": rows,
        "other_classes": [class_info(d) for d in CLASS_NAMES if d != digit],
    }
    return render(request, "codes/class.html", context)


PAGE_TYPES = ["text/html", "application/json", "text/plain"]
TEXT_CLIENTS = ("curl/", "wget/", "httpie/", "xh/")


def _negotiate(request) -> str | None:
    """The representation a client wants: html, json, text, or None if none fits."""
    accept = request.headers.get("Accept", "").strip()
    agent = request.headers.get("User-Agent", "").lower()
    if accept in ("", "*/*") and agent.startswith(TEXT_CLIENTS):
        return "text"
    preferred = request.get_preferred_type(PAGE_TYPES) if accept else "text/html"
    return {"text/html": "html", "application/json": "json", "text/plain": "text"}.get(preferred)


@read_only
@condition(last_modified_func=last_modified_code)
@vary_on_headers("Accept", "User-Agent")
@page_cache
def detail(request: HttpRequest, code: str):
    """A code's permalink page; JSON or plain text for clients that ask for them."""
    number = int(code)
    if not 100 <= number <= 999:
        raise Http404(f"{number} is not a three-digit status code")
    canonical = reverse("codes:detail", kwargs={"code": number})
    if redirect_response := _canonical_redirect(request, canonical):
        return redirect_response
    fmt = _negotiate(request)
    if fmt is None:
        return HttpResponse(
            "Not Acceptable. This page is available as text/html, application/json "
            "and text/plain.\n",
            status=406,
            content_type="text/plain; charset=utf-8",
        )
    if fmt != "html":
        return _detail_as(request, number, fmt, canonical=True)
    index = get_index()
    meanings = index.meanings(number)
    if not meanings:
        raise Http404(f"No status code {number}")
    previous, following = index.neighbours(number)
    content = get_content_index()
    primary = meanings[0]
    faqs = [faq for m in meanings for faq in m.faqs.all()]
    context = {
        "page_url": request.build_absolute_uri(canonical),
        "card_url": request.build_absolute_uri(primary.page_urls["card"]),
        "links": index.links_except(number),
        "guides": content.guides_by_code.get(number, []),
        "comparisons": content.comparisons_by_code.get(number, []),
        "star": star_button(request, "code", number, primary),
        "faq_ld": structured_data.faq_page(faqs),
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
    return render(request, "codes/detail.html", context)


@read_only
@condition(last_modified_func=last_modified_code)
@page_cache
def detail_format(request: HttpRequest, code: str, fmt: str):
    """``/404.json`` and ``/404.txt`` for people who cannot set an Accept header."""
    return _detail_as(request, int(code), "json" if fmt == "json" else "text", canonical=False)


def _detail_as(request, number: int, fmt: str, *, canonical: bool):
    record = code_record(number, request)  # 404s for unknown codes
    if fmt == "json":
        response = JsonResponse(record, json_dumps_params={"ensure_ascii": False, "indent": 2})
    else:
        body = render_to_string(
            "codes/detail.txt", {"r": record, "others": record["other_meanings"]}
        )
        response = HttpResponse(body, content_type="text/plain; charset=utf-8")
    page = request.build_absolute_uri(reverse("codes:detail", kwargs={"code": number}))
    response["Link"] = f'<{page}>; rel="canonical"'
    return response


@read_only
def card(request: HttpRequest, code: str):
    """The code's social card: 1200x630 PNG with code, phrase and class colour."""
    number = int(code)
    row = StatusCode.objects.published().for_number(number).first()
    if row is None:
        raise Http404(f"No status code {number}")
    label = f"{row.class_label} {row.class_name}" if row.class_digit else "Outside 1xx-5xx"
    if row.is_unofficial:
        label += f" · unofficial ({row.vendor})"
    png = card_png(row.heading, row.summary, label, CLASS_COLOURS[row.class_digit])
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@read_only
def short_link(request: HttpRequest, code: str):
    """``/s/404`` and friends: a short form that redirects to the permalink."""
    number = int(code)
    if not StatusCode.objects.published().filter(code=number).exists():
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
