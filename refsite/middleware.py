"""Give bare error responses a styled body.

Django's method decorators answer a wrong method with an empty 405 that carries
the Allow header. This middleware fills such empty error responses with the
site's error page, keeping status and headers, so a person who lands on one
sees what happened and where to go.
"""

from django.template.loader import render_to_string


def error_pages_middleware(get_response):
    def middleware(request):
        response = get_response(request)
        if (
            response.status_code == 405
            and not response.streaming
            and not response.content
            and request.method != "HEAD"
        ):
            allowed = response.get("Allow", "")
            response.content = render_to_string(
                "405.html", {"allowed": allowed, "method": request.method}, request=request
            )
            response["Content-Type"] = "text/html; charset=utf-8"
        return response

    return middleware
