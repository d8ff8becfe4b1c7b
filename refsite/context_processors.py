"""Template context shared by every page."""

from functools import cache

from django.conf import settings
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse

from codes.models import CLASS_NAMES


@cache
def _site_links(script_prefix: str, static_url: str) -> dict:
    # Worked out once per script prefix rather than by a dozen {% url %} and
    # {% static %} tags on every page: the header and <head> are the same on all.
    links = {
        "css": static("css/site.css"),
        "theme_js": static("js/theme-init.js"),
        "htmx_js": static("js/vendor/htmx-2.0.11.min.js"),
        "site_js": static("js/site.js"),
        "favicon": static("img/favicon.svg"),
        "index": reverse("codes:index"),
        "class_url": {
            digit: reverse("codes:class", kwargs={"digit": digit, "suffix": "xx"})
            for digit in CLASS_NAMES
        },
        "guides": reverse("guides:list"),
        "choose": reverse("codes:choose"),
        "opensearch": reverse("codes:opensearch"),
        "feed": reverse("guides:feed"),
        "login": reverse("accounts:login"),
        "my_codes": reverse("accounts:my-codes"),
        "account": reverse("accounts:account"),
    }
    links["classes"] = list(links["class_url"].items())  # (digit, url) pairs for the nav
    return links


def site_links(request) -> dict:
    """The URLs of the site header and <head>: ``{{ site_links.guides }}``."""
    return {"site_links": _site_links(get_script_prefix(), settings.STATIC_URL)}
