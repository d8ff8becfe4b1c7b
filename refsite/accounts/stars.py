"""The star button's context, shared by code pages, guide pages and the star toggle."""

from urllib.parse import quote

from django.urls import reverse

from refsite.accounts.models import Star


def star_button(request, kind: str, key, target, starred: bool | None = None) -> dict:
    """What ``accounts/_star.html`` shows: a toggle when signed in, a sign-in link otherwise.

    The include is read by both template engines, so everything it shows is worked
    out here rather than with tags and filters.
    """
    next_path = request.get_full_path()
    if not request.user.is_authenticated:
        login = reverse("accounts:login")
        return {"signed_in": False, "login_url": f"{login}?next={quote(next_path, safe='/')}"}
    if starred is None:
        starred = Star.objects.of(target).filter(user=request.user).exists()
    return {
        "signed_in": True,
        "url": reverse("accounts:star", kwargs={"kind": kind, "key": key}),
        "starred": starred,
        "pressed": "true" if starred else "false",
        "next": next_path,
        "target": str(target),
    }
