"""Site-wide pages that belong to no app: robots.txt, /healthz, the API page, 400/413, 500, 503.

The 404 page suggests nearby codes, so it lives with them (``codes.views.not_found``).
"""

import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template.loader import get_template
from django.urls import reverse
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe

from refsite.core.api import API_PREFIX, api, problem


@require_safe
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", f"Disallow: {reverse('admin:index')}", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


DATABASE_DOWN = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


@requires_csrf_token
def server_error(request):
    """The 500 page, or a 503 with Retry-After when the database is the problem.

    Under the API both are RFC 9457 problem details, like its other errors.

    No database, no context processors: this must render even when they are down.
    """
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_DOWN):
        return service_unavailable(request)
    if request.path.startswith(API_PREFIX):
        response = problem(
            request, 500, "Internal Server Error", "Something failed on our side; it is logged."
        )
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponseServerError(get_template("500.html").render())


# What Django raises when a body is over DATA_UPLOAD_MAX_MEMORY_SIZE or has more
# fields or files than DATA_UPLOAD_MAX_NUMBER_FIELDS / _FILES allow.
TOO_LARGE = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)


@requires_csrf_token
def bad_request(request, exception):
    """400, or 413 Content Too Large when the body was over one of the caps.

    Django raises those as "suspicious" requests and answers 400 by default, but
    nothing is wrong with the request's form: its content is more than this site
    accepts, which is what 413 says. Rendered without the request's context, as
    the body may be half read.
    """
    if not isinstance(exception, TOO_LARGE):
        return defaults.bad_request(request, exception)
    limits = {
        "max_size": settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
        "max_files": settings.DATA_UPLOAD_MAX_NUMBER_FILES,
    }
    response = HttpResponse(get_template("413.html").render(limits), status=413)
    response["Cache-Control"] = "no-store"
    return response


def service_unavailable(request):
    """503 with Retry-After: problem details under the API, the 503 page elsewhere."""
    if request.path.startswith(API_PREFIX):
        response = problem(
            request, 503, "Service Unavailable", "The database cannot be reached just now."
        )
    else:
        response = HttpResponse(get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def healthz(request):
    """200 when the database answers, 503 otherwise; for load balancers and monitors."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        response = HttpResponse(
            "database: unavailable\n", status=503, content_type="text/plain; charset=utf-8"
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    else:
        response = HttpResponse("database: ok\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def api_docs(request):
    """A human page for the API, generated from the same OpenAPI schema machines read."""
    schema = api.get_openapi_schema()
    endpoints = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            endpoints.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {
                            "name": p["name"],
                            "in": p["in"],
                            "required": p.get("required", False),
                            "about": p.get("description")
                            or p.get("schema", {}).get("description", ""),
                        }
                        for p in operation.get("parameters", [])
                    ],
                }
            )
    return render(request, "api_docs.html", {"schema": schema, "endpoints": endpoints})
