"""HTTP caching in two layers, stated once.

1. **HTTP semantics**, for browsers and proxies. ``@public_page`` gives a view
   a Last-Modified, the time of the last content change (``@condition``
   answers If-Modified-Since with 304 before any rendering); ConditionalGetMiddleware
   adds a body ETag and answers If-None-Match; ``cache_control_middleware``
   marks anonymous answers ``public, max-age=PAGE_MAX_AGE`` and anything
   personal ``private``.
2. **One server-side page cache** (the ``pages`` cache alias), in
   ``page_cache_middleware`` near the top of the stack. It keeps whole
   anonymous 200s of ``@public_page`` views and of the API, headers and ETag
   included, so a hit skips sessions, CSRF, URL resolving and the view. Keys
   carry the content version (``refsite.core.content_version``), the path and
   query, and the *negotiated* variant: the format (html, json or text) and
   whether htmx asked. Never a raw Accept or User-Agent string, so two browser
   brands share one entry. An edit bumps the version, so no process can serve
   a page from before it. Only *canonical* requests are stored (see
   ``canonical_query``) and an empty search result is not, so random query
   strings cannot fill the cache; ``PAGE_CACHE_MAX_BYTES`` caps one entry and
   the cache's own bound (``MAX_ENTRIES``, Redis ``maxmemory``) caps the whole.

Nothing here imports an app: views hand ``@public_page`` the function that
dates their content.
"""

import hashlib
from datetime import UTC, datetime
from functools import lru_cache, wraps
from urllib.parse import parse_qsl, quote, urlencode

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.test.utils import override_settings
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import parse_http_date_safe
from django.utils.module_loading import import_string
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import condition, require_safe
from django.views.decorators.vary import vary_on_headers

from refsite.core import content_version
from refsite.core.api import API_PREFIX

# Templates and code change only with a deploy: no page is older than the process.
BOOT_TIME = datetime.now(UTC).replace(microsecond=0)

FORMATS = {"text/html": "html", "application/json": "json", "text/plain": "text"}
TEXT_CLIENTS = ("curl/", "wget/", "httpie/", "xh/")
HTMX_VARY = ("HX-Request", "HX-History-Restore-Request")
NEGOTIATED_VARY = ("Accept", "User-Agent")


def negotiated_format(request) -> str | None:
    """The representation a client wants: html, json, text, or None if none fits.

    Command-line clients that send no particular Accept get text; everything
    else follows the Accept header, with html for "anything".
    """
    accept = request.META.get("HTTP_ACCEPT", "").strip()
    if accept in ("", "*/*") and request.META.get("HTTP_USER_AGENT", "").lower().startswith(
        TEXT_CLIENTS
    ):
        return "text"
    if len(accept) > 256:  # real clients send short ones; keep odd ones out of the memo
        return _format_for.__wrapped__(accept)
    return _format_for(accept)


@lru_cache(maxsize=1024)
def _format_for(accept: str) -> str | None:
    """Accept header to format; browsers send a handful of distinct strings."""
    if not accept:
        return "html"
    probe = HttpRequest()
    probe.META["HTTP_ACCEPT"] = accept
    return FORMATS.get(probe.get_preferred_type(list(FORMATS)))


def newest(*times) -> datetime:
    """The Last-Modified of a page: its newest content change, or the deploy."""
    return max([BOOT_TIME, *(t for t in times if t is not None)])


def content_changed(request=None, *args, **kwargs) -> datetime:
    """The Last-Modified of every public page: the last content change, or the deploy.

    One date for all pages, from the content version, so no edit of any model
    can leave a page with an old date (and a client with a wrong 304).
    """
    return newest(content_version.current().changed_at)


def read_only(view):
    """GET and HEAD only; other methods get 405 with an Allow header.

    Read-only pages change no state, so they skip the CSRF check: a stray POST
    is told 405 Method Not Allowed rather than 403.
    """
    return csrf_exempt(require_safe(view))


def public_page(*, last_modified=content_changed, vary=(), params=()):
    """The one decorator for a public, read-only page that anyone may cache.

    ``last_modified(request, *args, **kwargs)`` dates the content (None for
    "no such page", which then gets no validator); ``vary`` names the request
    headers the answer depends on (``HTMX_VARY`` for views that serve a
    partial, ``NEGOTIATED_VARY`` for content negotiation). The page cache keys
    on the normalised form of both. ``params`` names the query parameters the
    view reads, in the order its form sends them: a request with any other is
    answered but never stored (``canonical_query``).
    """

    def decorator(view):
        @wraps(view)
        def marked(request, *args, **kwargs):
            declare_params(request, *params)
            response = view(request, *args, **kwargs)
            # A view that marked its answer (mark_preview) keeps its mark.
            response.page_cacheable = getattr(response, "page_cacheable", True)
            return response

        wrapped = vary_on_headers(*vary)(marked) if vary else marked
        return read_only(condition(last_modified_func=last_modified)(wrapped))

    return decorator


def mark_preview(response: HttpResponse) -> HttpResponse:
    """An editor's preview (a draft guide, an unsaved code page): no browser, proxy or
    page cache keeps it, and no search engine indexes it. Templates add
    ``<meta name="robots" content="noindex">`` when their context has ``preview``."""
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex"
    response.page_cacheable = False
    return response


def declare_params(request, *names: str) -> None:
    """Name the query parameters this answer depends on (``public_page`` does it for pages;
    API views call it). With none declared, any query string keeps the answer out."""
    request.page_params = names


def not_worth_storing(request) -> None:
    """Keep this answer out of the page cache: an empty search, say, which anyone can
    vary at will and no second reader is likely to ask for."""
    request.page_params = None


def _normalised(value: str) -> bool:
    return " ".join(value.split()) == value


def canonical_query(request) -> bool:
    """The query string holds only declared parameters, once each, in declared order,
    with normalised values (no stray or doubled spaces), spelled as a browser's form
    (``+`` for spaces) or JavaScript's encodeURIComponent (``%20``) spells it.

    Each distinct search then has at most two spellings in the cache, instead of one
    per parameter an attacker makes up or per way of percent-encoding a letter.
    """
    params = getattr(request, "page_params", ())
    raw = request.META.get("QUERY_STRING", "")
    if params is None:
        return False
    if not raw:
        return True
    pairs = parse_qsl(raw, keep_blank_values=True)
    names = [name for name, _ in pairs]
    if any(name not in params for name in names) or len(set(names)) != len(names):
        return False
    if names != sorted(names, key=params.index) or not all(_normalised(v) for _, v in pairs):
        return False
    return raw in (urlencode(pairs, safe="*"), urlencode(pairs, quote_via=quote, safe="!*'()"))


@lru_cache(maxsize=8)
def _cookie_names(session_cookie: str, message_storage: str) -> tuple[str, ...]:
    """The cookies that make a request personal: the session and pending messages."""
    names = [session_cookie]
    if cookie := getattr(import_string(message_storage), "cookie_name", None):
        names.append(cookie)
    return tuple(names)


def is_anonymous(request) -> bool:
    """No session and no pending messages: the page is the same for everyone."""
    names = _cookie_names(settings.SESSION_COOKIE_NAME, settings.MESSAGE_STORAGE)
    return not any(request.COOKIES.get(name) for name in names)


def page_key(request, version: str) -> str:
    """Path, query and the negotiated variant; never raw Accept or User-Agent strings."""
    variant = "|".join(
        [
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            negotiated_format(request) or "none",
            "htmx" if request.META.get("HTTP_HX_REQUEST") == "true" else "",
            "restore" if request.META.get("HTTP_HX_HISTORY_RESTORE_REQUEST") == "true" else "",
        ]
    )
    return f"page:{version}:{hashlib.sha256(variant.encode()).hexdigest()}"


def _shareable(request, response) -> bool:
    """A 200 for everyone: marked by its view (or from the API), public, no cookie,
    asked for canonically, and small enough to keep."""
    return (
        (getattr(response, "page_cacheable", False) or request.path.startswith(API_PREFIX))
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "public" in response.get("Cache-Control", "")
        and len(response.content) <= settings.PAGE_CACHE_MAX_BYTES
        and canonical_query(request)
    )


def _storable(response) -> HttpResponse:
    """A plain copy of the response to keep: body and every header, nothing else."""
    return HttpResponse(response.content, headers=dict(response.items()))


def _replay(request, response: HttpResponse) -> HttpResponse:
    """The stored response, or a 304 if the client already holds it."""
    return get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
        response=response,
    )


def bypassing_page_cache():
    """Settings under which the page cache keeps nothing: to measure real renders."""
    return override_settings(
        CACHES={
            **settings.CACHES,
            "pages": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
        }
    )


def page_cache_middleware(get_response):
    """Serve anonymous GETs of public pages from the ``pages`` cache; store on a miss."""

    def middleware(request):
        if request.method not in ("GET", "HEAD") or not is_anonymous(request):
            return get_response(request)
        try:
            version = content_version.current().token
        except DatabaseError:  # no database: let the view answer (a 503)
            return get_response(request)
        pages = caches["pages"]
        key = page_key(request, version)
        stored = pages.get(key)
        if stored is not None:
            return _replay(request, stored)
        response = get_response(request)
        if _shareable(request, response):
            pages.set(key, _storable(response), settings.PAGE_CACHE_SECONDS)
        return response

    return middleware


def cache_control_middleware(get_response):
    """Public, short-lived caching for anonymous pages; private for anything personal."""

    def middleware(request):
        response = get_response(request)
        if request.method not in ("GET", "HEAD") or "Cache-Control" in response:
            return response
        personal = bool(response.cookies) or not is_anonymous(request)
        if response.status_code in (200, 304):
            if personal:
                response["Cache-Control"] = "private, no-cache"
            else:
                response["Cache-Control"] = f"public, max-age={settings.PAGE_MAX_AGE}"
        elif response.status_code in (404, 410) and not personal:
            response["Cache-Control"] = f"public, max-age={settings.NOT_FOUND_MAX_AGE}"
        return response

    return middleware
