"""``/status/<code>/``: answer with any status, for testing clients, like httpstat.us.

Careful by design: the only redirect target is this site (never an open
redirect), sleeps are capped, responses are never cached, each address is
throttled, and 1xx or unknown numbers are refused with a 400 that explains why.
Every echo of the request is escaped in HTML, and only ASCII digits and header
names are read, so no input answers 500.

A sleep holds a thread, never more: each process lets ``settings.STATUS_SLEEPERS``
requests sleep at once (fewer than its threads, so ordinary pages always find one
free) and answers the rest 503 with ``Retry-After`` at once, without sleeping.
"""

import json
import random
import re
import threading
from http import HTTPStatus
from time import sleep as pause  # tests replace this one name, not time.sleep for every thread

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.csrf import csrf_exempt

from codes.catalogue import get_catalogue
from refsite.core import throttle
from refsite.core.validators import has_control_characters

MAX_SLEEP_MS = 10_000
MAX_CHOICES = 10
# Response headers a caller may add with ?header=Name:value.
EXTRA_HEADERS = {
    "cache-control", "etag", "last-modified", "expires", "vary", "link",
    "x-request-id", "x-correlation-id", "ratelimit", "ratelimit-policy",
    "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset",
}  # fmt: skip
# ASCII digits only: "\d" would take "２００", and str.isdigit() takes "²", which int() refuses.
_CHOICE = re.compile(r"^([0-9]{1,3})(?::([0-9]+(?:\.[0-9]+)?))?$")
_HEADER_NAME = re.compile(r"[A-Za-z0-9-]{1,40}")  # ASCII, so "lin\u212a" is no "link"
MAX_HEADER_VALUE = 200
# Sleeping slots in this process; a thread takes one for the length of its sleep.
_sleepers = threading.BoundedSemaphore(settings.STATUS_SLEEPERS)


class BadRequest(ValueError):
    pass


def _phrase(code: int) -> str:
    try:
        return HTTPStatus(code).phrase
    except ValueError:
        rows = [row for row in get_catalogue().meanings(code) if row.phrase]
        return rows[0].phrase if rows else ""


def _choose(spec: str) -> int:
    """``200`` or a weighted choice such as ``200,500:0.1`` (weight 1 by default)."""
    parts = spec.split(",")
    if len(parts) > MAX_CHOICES:
        raise BadRequest(f"At most {MAX_CHOICES} codes can be given.")
    codes, weights = [], []
    for part in parts:
        match = _CHOICE.match(part.strip())
        if not match:
            raise BadRequest(f"{part.strip()!r} is not a status code or code:weight pair.")
        code, weight = int(match.group(1)), float(match.group(2) or 1)
        if code < 200 or code > 599:
            raise BadRequest(
                f"{code} cannot be sent: this endpoint sends final responses from 200 to 599 "
                "(1xx are interim responses that a server sends before a final one)."
            )
        codes.append(code)
        weights.append(weight)
    if sum(weights) <= 0:
        raise BadRequest("The weights add up to zero.")
    return random.choices(codes, weights=weights)[0]


def _sleep_ms(value: str | None) -> int:
    if value is None or value == "":
        return 0
    if not (value.isascii() and value.isdigit()):
        raise BadRequest("sleep must be a whole number of milliseconds.")
    sleep = int(value)
    if sleep > MAX_SLEEP_MS:
        raise BadRequest(f"sleep is capped at {MAX_SLEEP_MS} ms (10 seconds).")
    return sleep


def _extra_headers(values: list[str]) -> list[tuple[str, str]]:
    headers = []
    for value in values[:10]:
        name, _, content = value.partition(":")
        name, content = name.strip(" \t"), content.strip(" \t")
        if not _HEADER_NAME.fullmatch(name) or name.lower() not in EXTRA_HEADERS:
            allowed = ", ".join(sorted(EXTRA_HEADERS))
            raise BadRequest(f"Header {name!r} is not on the allow-list ({allowed}).")
        printable_ascii = content.isascii() and not has_control_characters(content)
        if len(content) > MAX_HEADER_VALUE or not printable_ascii:
            raise BadRequest(
                f"The value for {name} must be printable ASCII, "
                f"{MAX_HEADER_VALUE} characters at most."
            )
        headers.append((name, content))
    return headers


def _wants(request) -> str:
    preferred = request.get_preferred_type(["application/json", "text/plain", "text/html"])
    return preferred or "text/plain"


def _respond(request, code: int, message: str, extra: list[tuple[str, str]] = ()) -> HttpResponse:
    phrase = _phrase(code)
    kind = _wants(request)
    response = HttpResponse(status=code)
    if phrase:
        response.reason_phrase = phrase
    if code not in (204, 304) and request.method != "HEAD":
        if kind == "application/json":
            body = json.dumps({"code": code, "description": phrase, "message": message})
        elif kind == "text/html":
            body = format_html(
                "<!doctype html><title>{} {}</title><p>{} {}. {}</p>",
                code, phrase, code, phrase, message,
            )  # fmt: skip
        else:
            body = f"{code} {phrase}\n{message}\n"
        if code == 206:
            body = body[:16]
            response["Content-Range"] = (
                f"bytes 0-{len(body.encode()) - 1}/{len(body.encode()) + 64}"
            )
        response.content = body.encode()
        response["Content-Type"] = f"{kind}; charset=utf-8"
    home = reverse("codes:status", kwargs={"spec": "200"})
    if 300 <= code < 400 and code != 304:
        response["Location"] = home  # only ever this site
    if code in (429, 503):
        response.setdefault("Retry-After", "5")
    if code == 401:
        response["WWW-Authenticate"] = 'Bearer realm="status-test"'
    if code == 407:
        response["Proxy-Authenticate"] = 'Basic realm="status-test"'
    if code == 405:
        response["Allow"] = "GET, HEAD"
    if code == 416:
        response["Content-Range"] = "bytes */64"
    for name, value in extra:
        response[name] = value
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
def status(request, spec: str):
    """Answer any method with the requested status (see the module docstring)."""
    address = throttle.client_address(request)
    if wait := throttle.check((throttle.STATUS_PER_ADDRESS, address)):
        response = _respond(request, 429, "Too many requests from your address; slow down.")
        response["Retry-After"] = str(wait)
        return response
    try:
        code = _choose(spec)
        sleep = _sleep_ms(request.GET.get("sleep"))
        extra = _extra_headers(request.GET.getlist("header"))
    except BadRequest as error:
        return _respond(request, 400, str(error))
    if sleep:
        if not _sleepers.acquire(blocking=False):
            message = "Every sleeping slot here is taken; try again shortly, or without sleep."
            response = _respond(request, 503, message)
            response["Retry-After"] = str(MAX_SLEEP_MS // 1000)  # the longest a slot is held
            return response
        try:
            pause(sleep / 1000)
        finally:
            _sleepers.release()
    return _respond(request, code, "This is a test response from /status/.", extra)
