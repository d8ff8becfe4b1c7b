"""What each class of status codes means, shown on the index and class pages."""

from codes.models import CLASS_NAMES

CLASS_INTROS = {
    1: (
        "Interim answers sent before the final response. The request is still in "
        "progress: keep going, switch protocols or start fetching hinted resources."
    ),
    2: (
        "The request worked. The exact code says how: a body came back, something was "
        "created, the work was queued, or there is nothing to send."
    ),
    3: (
        "The client has to do something else to finish: follow a redirect to another "
        "URL, or reuse the copy it already has in its cache."
    ),
    4: (
        "The request has a problem the client can fix: bad syntax, missing credentials, "
        "no permission, a resource that is not there, or too many requests."
    ),
    5: (
        "The server or something behind it failed on a request that looked valid. "
        "The client did nothing wrong and may retry later."
    ),
}

NONSTANDARD_INTRO = (
    "Numbers outside 100 to 599 that some vendors send anyway. HTTP clients are not "
    "required to understand them; treat them by their first digit at best."
)


def class_info(digit: int) -> dict:
    return {
        "digit": digit,
        "label": f"{digit}xx",
        "name": CLASS_NAMES[digit],
        "intro": CLASS_INTROS[digit],
    }
