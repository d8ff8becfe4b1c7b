"""Help choosing: the step-by-step /choose/ guide and the /compare/ pages."""

from django.db.models import Prefetch
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django_htmx.http import HttpRequest

from codes.catalogue import get_catalogue
from codes.choosing import (
    ComparedCode,
    canonical_slug,
    comparison_for,
    parse_codes,
    retry_advice,
)
from codes.models import DecisionAlternative, DecisionAnswer, DecisionQuestion, StatusCode
from refsite.core.htmx import page_or_partial
from refsite.core.http_cache import HTMX_VARY, public_page


@public_page(vary=HTMX_VARY)
def choose(request: HttpRequest, slug: str = DecisionQuestion.START):
    """One question of the guide; its answers are plain links to the next step."""
    if slug == DecisionQuestion.START and request.resolver_match.url_name == "choose-step":
        return HttpResponsePermanentRedirect(reverse("codes:choose"))
    question = get_object_or_404(DecisionQuestion, slug=slug)
    answers = question.answers.select_related("next_question", "result")
    context = {"question": question, "answers": answers, "is_start": slug == DecisionQuestion.START}
    return render(request, page_or_partial(request, "codes/choose.html", "step"), context)


@public_page()
def choose_result_by_id(request: HttpRequest, slug: str, answer_id: int):
    """A result URL from before answers had slugs (``/choose/<question>/<id>/``): 301 onward."""
    chosen = get_object_or_404(
        DecisionAnswer.objects.select_related("question"),
        pk=answer_id,
        question__slug=slug,
        result__isnull=False,
    )
    return HttpResponsePermanentRedirect(chosen.get_absolute_url())


@public_page(vary=HTMX_VARY)
def choose_result(request: HttpRequest, slug: str, answer: str):
    """Where an answer ends: the recommended code, headers to send, and close alternatives."""
    published = StatusCode.objects.published()
    alternatives = DecisionAlternative.objects.filter(code__in=published).select_related("code")
    chosen = get_object_or_404(
        DecisionAnswer.objects.select_related("question", "result").prefetch_related(
            Prefetch("alternatives", queryset=alternatives), "result__headers"
        ),
        slug=answer,
        question__slug=slug,
        result__in=published,
    )
    context = {
        "answer": chosen,
        "question": chosen.question,
        "code": chosen.result,
        "alternatives": [
            (
                alt,
                reverse(
                    "codes:compare",
                    kwargs={"codes": canonical_slug([chosen.result.code, alt.code.code])},
                ),
            )
            for alt in chosen.alternatives.all()
        ],
        "links": get_catalogue().links_except(chosen.result.code),
    }
    return render(request, page_or_partial(request, "codes/choose.html", "step"), context)


@public_page()
def compare(request: HttpRequest, codes: str):
    """Two or three codes side by side; other orders redirect to the canonical one."""
    numbers = parse_codes(codes)
    if numbers is None or len(set(numbers)) != len(numbers):
        raise Http404("Compare two or three different codes, e.g. /compare/401-vs-403/.")
    rows = {
        row.code: row
        for row in StatusCode.objects.published()
        .filter(code__in=numbers, slug="")
        .prefetch_related("headers")
    }
    if len(rows) != len(numbers):
        missing = sorted(set(numbers) - set(rows))
        raise Http404(f"No registered status code {', '.join(map(str, missing))}.")
    canonical = canonical_slug(numbers)
    if canonical != codes:
        return HttpResponsePermanentRedirect(reverse("codes:compare", kwargs={"codes": canonical}))
    compared = [ComparedCode(rows[n], retry_advice(rows[n])) for n in sorted(numbers)]
    context = {
        "compared": compared,
        "comparison": comparison_for(numbers),
        "title": " vs ".join(str(n) for n in sorted(numbers)),
        "links": get_catalogue().code_links,
    }
    return render(request, "codes/compare.html", context)
