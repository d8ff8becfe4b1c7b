"""The JSON API's frame: its prefix, RFC 9457 problem details, and the NinjaAPI.

The apps bring their routers; ``refsite/urls.py`` adds them. django-ninja
generates the OpenAPI 3 schema (``/api/openapi.json``) from the routers' type
hints, so the schema cannot drift from the code.
"""

from django.http import Http404, HttpRequest, JsonResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

# Where the API lives; urls.py mounts it here and the middleware recognises it by it.
API_PREFIX = "/api/"
PROBLEM_TYPE = "about:blank"


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
        content_type="application/problem+json",
        json_dumps_params={"ensure_ascii": False},
    )


api = NinjaAPI(
    title="HTTP Status Reference API",
    version="1",
    description=(
        "Read-only JSON for every HTTP status code and guide on this site. No key needed; "
        "any origin may call it. Responses carry ETag and Cache-Control and answer "
        "If-None-Match with 304. Errors are RFC 9457 problem details."
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
    titles = {400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed"}
    return problem(request, exc.status_code, titles.get(exc.status_code, "Error"), str(exc))
