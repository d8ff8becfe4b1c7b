"""One view serves a page and its htmx partial; these pick which template to render."""

from django.shortcuts import render


def page_or_partial(request, template: str, partial: str) -> str:
    """``template#partial`` for an htmx swap, the whole page otherwise.

    A history-restore request (htmx lost its snapshot after back/forward) wants
    the whole page, even though it carries HX-Request.
    """
    if request.htmx and not request.htmx.history_restore_request:
        return f"{template}#{partial}"
    return template


def form_response(request, template: str, context: dict, *, valid: bool, partial: str = "form"):
    """The one "invalid form answers 422" rule: the page, or just its form partial for htmx.

    A form page that is shown fresh (or re-shown after a valid step) answers 200
    with the whole page.
    """
    if valid:
        return render(request, template, context)
    return render(request, page_or_partial(request, template, partial), context, status=422)
