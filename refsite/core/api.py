"""The JSON API's frame: its prefix, RFC 9457 problem details, and the NinjaAPI.

The apps bring their routers; ``refsite/urls.py`` adds them. django-ninja
generates the OpenAPI 3 schema (``/api/openapi.json``) from the routers' type
hints, so the schema cannot drift from the code; ``ReferenceAPI`` adds the
problem answers that the frame gives every operation (400, 404, 406, 429, 503),
so clients and schemathesis know every status they can meet.
"""

from http import HTTPStatus

from django.conf import settings
from django.http import Http404, HttpRequest, JsonResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

# Where the API lives; urls.py mounts it here and the middleware recognises it by it.
API_PREFIX = "/api/"
PROBLEM_TYPE = "about:blank"
PROBLEM_MEDIA_TYPE = "application/problem+json"
# What the API can answer besides application/json; anything else in Accept is 406.
API_MEDIA_TYPES = ("application/json", PROBLEM_MEDIA_TYPE)

# RFC 9457 problem details, as ``problem()`` writes them.
PROBLEM_SCHEMA = {
    "title": "Problem",
    "type": "object",
    "description": "RFC 9457 problem details.",
    "properties": {
        "type": {"type": "string", "description": "Always about:blank: the status says it all."},
        "title": {"type": "string", "description": "The status code's phrase."},
        "status": {"type": "integer", "minimum": 100, "maximum": 599},
        "detail": {"type": "string", "description": "What went wrong, for a person."},
        "instance": {"type": "string", "description": "The path and query that were asked."},
        "errors": {
            "type": "array",
            "description": "On 400: each parameter that is not valid.",
            "items": {
                "type": "object",
                "properties": {"location": {"type": "string"}, "message": {"type": "string"}},
                "required": ["location", "message"],
            },
        },
    },
    "required": ["type", "title", "status", "detail", "instance"],
}
RETRY_AFTER_HEADER = {
    "description": "Seconds to wait before asking again.",
    "required": True,
    "schema": {"type": "integer", "minimum": 0},
}
# The answers the frame can give any operation, and the ones that need parameters.
PROBLEM_ANSWERS = {
    406: "Not Acceptable: the Accept header allows neither application/json nor "
    "application/problem+json.",
    429: "Too Many Requests: this address has used up its API requests for the minute.",
    503: "Service Unavailable: the database cannot be reached just now.",
}
# Answered by the HTTP server in front (gunicorn reads a request line of at most
# 4094 bytes, nginx 8 KiB) before the API sees the request: no problem details.
URI_TOO_LONG = "URI Too Long: the request line is longer than the HTTP server reads."
PARAMETER_PROBLEM = "Bad Request: a parameter is not valid; `errors` names each one."
PATH_PROBLEM = "Not Found: nothing is known at this address."
RETRY_AFTER_STATUSES = (429, 503)


def problem(request: HttpRequest, status: int, title: str, detail: str, **extra) -> JsonResponse:
    """An RFC 9457 problem details response."""
    body = {
        "type": PROBLEM_TYPE,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.get_full_path(),
        **extra,
    }
    return JsonResponse(
        body,
        status=status,
        content_type=PROBLEM_MEDIA_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )


def document_problems(schema: dict) -> dict:
    """Add the problem answers to every operation of an OpenAPI document.

    400 wherever an operation takes parameters, 404 wherever one is in the path,
    and 406, 429 and 503 everywhere, all application/problem+json; and the HTTP
    server's 414, which can meet any request.
    """
    schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    content = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for operations in schema["paths"].values():
        for operation in operations.values():
            parameters = operation.get("parameters", [])
            answers = dict(PROBLEM_ANSWERS)
            if parameters:
                answers[400] = PARAMETER_PROBLEM
            if any(p["in"] == "path" for p in parameters):
                answers[404] = PATH_PROBLEM
            responses = operation.setdefault("responses", {})
            for status in sorted(answers):
                answer = {"description": answers[status], "content": content}
                if status in RETRY_AFTER_STATUSES:
                    answer["headers"] = {"Retry-After": RETRY_AFTER_HEADER}
                responses[status] = answer
            responses[414] = {"description": URI_TOO_LONG}
    return schema


class ReferenceAPI(NinjaAPI):
    """django-ninja's API, whose OpenAPI document also lists the problem answers."""

    def get_openapi_schema(self, **kwargs):
        return document_problems(super().get_openapi_schema(**kwargs))


api = ReferenceAPI(
    title="HTTP Status Reference API",
    version="1",
    description=(
        "Read-only JSON for every HTTP status code and guide on this site. No key needed; "
        "any origin may call it with GET or HEAD. Responses carry ETag and Cache-Control "
        "and answer If-None-Match with 304. Each client address may make "
        f"{settings.API_RATE_LIMIT} requests a minute, then gets 429 with Retry-After. "
        "Errors are RFC 9457 problem details (application/problem+json); an Accept header "
        "that allows no JSON gets 406."
    ),
    urls_namespace="api",
    docs_url=None,
    openapi_url="/openapi.json",
)


@api.exception_handler(Http404)
def not_found(request, exc):
    return problem(request, 404, "Not Found", str(exc) or "Nothing is known at this address.")


@api.exception_handler(ValidationError)
def bad_parameters(request, exc):
    errors = [
        {"location": ".".join(str(p) for p in error.get("loc", [])), "message": error.get("msg")}
        for error in exc.errors
    ]
    return problem(request, 400, "Bad Request", "Some parameters are not valid.", errors=errors)


@api.exception_handler(HttpError)
def http_error(request, exc):
    return problem(request, exc.status_code, phrase(exc.status_code), str(exc))


def phrase(status: int) -> str:
    """The reason phrase of a status code, for a problem's title."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
