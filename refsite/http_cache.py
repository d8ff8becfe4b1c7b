"""HTTP caching done right: validators, Cache-Control, and a server-side page cache.

- ``last_modified_*`` functions give each page type a Last-Modified derived from
  the content it shows (or the deploy, whichever is newer), so
  ``@condition`` can answer If-Modified-Since with 304 before any rendering.
  ETags come from ConditionalGetMiddleware, which hashes the body.
- ``cache_control_middleware`` marks anonymous pages ``public`` with a short
  max-age and anything personal ``private``.
- ``page_cache`` keeps rendered anonymous pages in the configured cache (Redis
  in production), keyed by the catalogue version: an editor's save bumps the
  version, so every process serves the new page on its next request.
"""

import hashlib
import os
from datetime import UTC, datetime
from functools import wraps

from django.core.cache import cache
from django.http import HttpResponse

from codes.search import catalogue_version, get_content_index, get_index

BOOT_TIME = datetime.now(UTC).replace(microsecond=0)
PAGE_MAX_AGE = int(os.environ.get("PAGE_MAX_AGE", 300))
NOT_FOUND_MAX_AGE = 60
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", 3600))
CACHED_HEADERS = ("Content-Type", "Vary", "Link", "X-Robots-Tag", "Cache-Control", "Last-Modified")


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
    return f"page:{catalogue_version()}:{digest}"


def _cached(key: str):
    stored = cache.get(key)
    if stored is None:
        return None
    status, content, headers = stored
    response = HttpResponse(content, status=status)
    for name, value in headers.items():
        response[name] = value
    return response


def _store(key: str, response) -> None:
    if response.status_code == 200 and not response.streaming and not response.cookies:
        headers = {h: response[h] for h in CACHED_HEADERS if h in response}
        cache.set(key, (200, response.content, headers), PAGE_CACHE_SECONDS)


def page_cache(view):
    """Serve anonymous GETs from the shared cache; render and store on a miss."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or not _is_anonymous(request):
            return view(request, *args, **kwargs)
        key = _page_key(request)
        response = _cached(key)
        if response is None:
            response = view(request, *args, **kwargs)
            _store(key, response)
        return response

    return wrapper


def api_page_cache_middleware(get_response):
    """The same page cache for the JSON API, whose views django-ninja builds."""

    def middleware(request):
        if not request.path.startswith("/api/") or request.method not in ("GET", "HEAD"):
            return get_response(request)
        key = _page_key(request)
        response = _cached(key)
        if response is None:
            response = get_response(request)
            _store(key, response)
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
