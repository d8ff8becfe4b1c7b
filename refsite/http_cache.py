"""HTTP caching done right: validators, Cache-Control, and a server-side page cache.

- ``last_modified_*`` functions give each page type a Last-Modified derived from
  the content it shows (or the deploy, whichever is newer), so
  ``@condition`` can answer If-Modified-Since with 304 before any rendering.
  ETags come from ConditionalGetMiddleware, which hashes the body.
- ``cache_control_middleware`` marks anonymous pages ``public`` with a short
  max-age and anything personal ``private``.
- ``page_cache_middleware`` keeps anonymous answers of the views marked with
  ``@page_cache`` (and of the JSON API) in the configured cache (Redis in
  production), keyed by the catalogue version: an editor's save bumps the
  version, so every process serves the new page on its next request. It sits
  near the top of the middleware stack and keeps the whole response, headers
  and ETag included, so a hit skips URL resolving, sessions, CSRF and the view.
"""

import hashlib
import os
from datetime import UTC, datetime
from functools import wraps

from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe

from codes.search import catalogue_version, get_content_index, get_index
from refsite.middleware import API_PREFIX

BOOT_TIME = datetime.now(UTC).replace(microsecond=0)
PAGE_MAX_AGE = int(os.environ.get("PAGE_MAX_AGE", 300))
NOT_FOUND_MAX_AGE = 60
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", 3600))


def _latest(*times):
    return max([BOOT_TIME, *[t for t in times if t is not None]])


def last_modified_catalogue(request, *args, **kwargs):
    """Index, class, choose and compare pages: the newest change to any published code."""
    return _latest(*(doc.row.updated_at for doc in get_index().docs))


def last_modified_code(request, code, *args, **kwargs):
    number = int(code)
    rows = [doc.row.updated_at for doc in get_index().docs if doc.code == number]
    if not rows:
        return None  # let the view answer 404
    guides = get_content_index().guides_by_code.get(number, [])
    return _latest(*rows, *(guide.updated_at for guide in guides))


def last_modified_guide(request, slug, *args, **kwargs):
    for guide in get_content_index().guides:
        if guide.slug == slug:
            return _latest(guide.updated_at)
    return None  # drafts and unknown slugs: no validator


def last_modified_guides(request, *args, **kwargs):
    return _latest(*(guide.updated_at for guide in get_content_index().guides))


def _is_anonymous(request) -> bool:
    """No session and no pending messages: the page is the same for everyone."""
    return not request.COOKIES.get("sessionid") and not request.COOKIES.get("messages")


def _page_key(request) -> str:
    variant = "|".join(
        [
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            request.headers.get("HX-Request", ""),
            request.headers.get("HX-History-Restore-Request", ""),
            request.headers.get("Accept", ""),
            request.headers.get("User-Agent", "")[:16].lower(),
        ]
    )
    digest = hashlib.sha256(variant.encode()).hexdigest()
    # "page2": entries hold (body, all headers); the old "page" entries held a
    # different tuple and must not be read after a deploy.
    return f"page2:{catalogue_version()}:{digest}"


def _shareable(request, response) -> bool:
    """A 200 for everyone: marked by its view (or from the API), public, no cookie."""
    return (
        (getattr(response, "page_cacheable", False) or request.path.startswith(API_PREFIX))
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "public" in response.get("Cache-Control", "")
    )


def _replay(request, stored) -> HttpResponse:
    """The stored response, or a 304 if the client already holds it."""
    content, headers = stored
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
        response=response,
    )


def page_cache(view):
    """Let ``page_cache_middleware`` keep this view's answers to anonymous GETs."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.page_cacheable = True
        return response

    return wrapper


def page_cache_middleware(get_response):
    """Serve anonymous GETs of cacheable pages from the shared cache; store on a miss."""

    def middleware(request):
        if request.method not in ("GET", "HEAD") or not _is_anonymous(request):
            return get_response(request)
        key = _page_key(request)
        stored = cache.get(key)
        if stored is not None:
            return _replay(request, stored)
        response = get_response(request)
        if _shareable(request, response):
            headers = [(name, value) for name, value in response.items()]
            cache.set(key, (response.content, headers), PAGE_CACHE_SECONDS)
        return response

    return middleware


def cache_control_middleware(get_response):
    """Public, short-lived caching for anonymous pages; private for anything personal."""

    def middleware(request):
        response = get_response(request)
        if request.method not in ("GET", "HEAD") or "Cache-Control" in response:
            return response
        personal = bool(response.cookies) or not _is_anonymous(request)
        if response.status_code in (200, 304):
            if personal:
                response["Cache-Control"] = "private, no-cache"
            else:
                response["Cache-Control"] = f"public, max-age={PAGE_MAX_AGE}"
        elif response.status_code in (404, 410) and not personal:
            response["Cache-Control"] = f"public, max-age={NOT_FOUND_MAX_AGE}"
        return response

    return middleware
