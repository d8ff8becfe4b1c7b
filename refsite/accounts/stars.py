"""The star button's context, shared by code pages, guide pages and the star toggle."""

from refsite.accounts.models import Star


def star_button(request, kind: str, key, target, starred: bool | None = None) -> dict:
    """What ``accounts/_star.html`` shows: a toggle when signed in, a sign-in link otherwise.

    ``starred`` is looked up unless the caller knows it (the toggle view just set it).
    """
    if not request.user.is_authenticated:
        return {"signed_in": False}
    if starred is None:
        starred = Star.objects.of(target).filter(user=request.user).exists()
    return {"signed_in": True, "kind": kind, "key": key, "starred": starred, "target": target}
