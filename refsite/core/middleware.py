"""Error bodies for bare 405s, and the JSON API's HTTP: CORS, HEAD, 406, 429, validators.

Django's method decorators answer a wrong method with an empty 405 that carries
the Allow header. ``error_pages_middleware`` fills such empty error responses
with the site's error page, keeping status and headers, so a person who lands
on one sees what happened and where to go.
"""

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import http_date

from refsite.core import throttle
from refsite.core.api import API_MEDIA_TYPES, API_PREFIX, PROBLEM_MEDIA_TYPE, problem
from refsite.core.http_cache import content_changed

NUL = "\x00"
NUL_DETAIL = "Addresses and query strings may not contain NUL (%00) characters."


def reject_nul_middleware(get_response):
    """A NUL in the path or the query is a 400; a cookie with one is ignored.

    PostgreSQL refuses NUL in text, so any such value that reaches a lookup (a
    slug, a share token, an admin filter, a session key) answered 500. No
    address or parameter of this site can contain one, so one rule here covers
    every path converter, form and admin filter there is and will be.
    """

    def middleware(request):
        query = request.GET.lists()
        if NUL in request.path or any(
            NUL in name or any(NUL in value for value in values) for name, values in query
        ):
            if request.path.startswith(API_PREFIX):
                response = problem(request, 400, "Bad Request", NUL_DETAIL)
            else:
                response = HttpResponse(
                    f"400 Bad Request\n{NUL_DETAIL}\n",
                    status=400,
                    content_type="text/plain; charset=utf-8",
                )
            response["Cache-Control"] = "no-store"
            return response
        if any(NUL in name or NUL in value for name, value in request.COOKIES.items()):
            request.COOKIES = {
                name: value
                for name, value in request.COOKIES.items()
                if NUL not in name and NUL not in value
            }
        return get_response(request)

    return middleware


def error_pages_middleware(get_response):
    def middleware(request):
        response = get_response(request)
        if response.status_code != 405 or response.streaming or request.method == "HEAD":
            return response
        if request.path.startswith(API_PREFIX):
            if response.get("Content-Type") != PROBLEM_MEDIA_TYPE:
                _allow_head(response)
                allowed = response.get("Allow", "")
                detail = f"{request.method} is not allowed here. Allowed: {allowed}."
                body = problem(request, 405, "Method Not Allowed", detail)
                response.content = body.content
                response["Content-Type"] = PROBLEM_MEDIA_TYPE
            return response
        allowed = response.get("Allow", "")
        if not response.content:
            response.content = render_to_string(
                "405.html", {"allowed": allowed, "method": request.method}, request=request
            )
            response["Content-Type"] = "text/html; charset=utf-8"
        return response

    return middleware


API_CACHE_CONTROL = "public, max-age=300"


def _allow_head(response) -> None:
    """Wherever GET is allowed, so is HEAD: say so in Allow."""
    allowed = [m.strip() for m in response.get("Allow", "").split(",") if m.strip()]
    if "GET" in allowed and "HEAD" not in allowed:
        response["Allow"] = ", ".join([*allowed, "HEAD"])


def api_head_middleware(get_response):
    """HEAD wherever GET works under the API: the GET answer's status and headers, no body.

    django-ninja routes only the methods an operation declares, so HEAD would be
    405. Below here the request runs as a GET, so the page cache, the validators
    and the limits treat both alike (RFC 9110, section 9.3.2).
    """

    def middleware(request):
        if not request.path.startswith(API_PREFIX):
            return get_response(request)
        if request.method != "HEAD":
            response = get_response(request)
            _allow_head(response)
            return response
        request.method = "GET"
        try:
            response = get_response(request)
        finally:
            request.method = "HEAD"
        _allow_head(response)
        if not response.streaming:
            length = str(len(response.content))
            response.content = b""
            response["Content-Length"] = length
        return response

    return middleware


def api_admission_middleware(get_response):
    """429 past the API's per-address limit, 406 for an Accept that allows no JSON.

    Above the page cache, so a stored answer is limited and negotiated like a
    fresh one. The human page at ``/api/`` itself is HTML and is left alone.
    """

    def middleware(request):
        if not request.path.startswith(API_PREFIX) or request.path == API_PREFIX:
            return get_response(request)
        limit = throttle.api_per_address()
        if wait := throttle.check((limit, throttle.client_address(request))):
            response = problem(
                request,
                429,
                "Too Many Requests",
                f"This address has made {limit.limit} API requests this minute; "
                f"try again in {wait} seconds.",
            )
            response["Retry-After"] = str(wait)
            response["Cache-Control"] = "no-store"
            return response
        accept = request.META.get("HTTP_ACCEPT", "").strip()
        if accept and not any(request.accepts(media) for media in API_MEDIA_TYPES):
            return problem(
                request,
                406,
                "Not Acceptable",
                "The API answers in application/json (errors in application/problem+json); "
                "the Accept header allows neither.",
            )
        return get_response(request)

    return middleware


def api_headers_middleware(get_response):
    """CORS for any origin and a short public cache on the read-only JSON API.

    Sits outside ConditionalGetMiddleware so a 304 carries the same headers;
    ``api_validators_middleware`` (inside it) adds Cache-Control and Last-Modified.
    Preflight requests are answered here; only safe methods are offered.
    """

    def middleware(request):
        if not request.path.startswith(API_PREFIX):
            return get_response(request)
        if request.method == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META:
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Access-Control-Allow-Headers"] = "Accept, If-None-Match, If-Modified-Since"
            response["Access-Control-Max-Age"] = "86400"
        else:
            response = get_response(request)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = "ETag, Retry-After"
        return response

    return middleware


def api_validators_middleware(get_response):
    """Cache-Control and a Last-Modified on API answers: the last content change.

    Sits inside ConditionalGetMiddleware, which then answers If-None-Match and
    If-Modified-Since with 304.
    """

    def middleware(request):
        response = get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and request.method in ("GET", "HEAD")
            and response.status_code == 200
        ):
            response.setdefault("Cache-Control", API_CACHE_CONTROL)
            response.setdefault("Last-Modified", http_date(content_changed().timestamp()))
        return response

    return middleware
