"""One view serves a page and its htmx partial; this picks which template to render."""


def page_or_partial(request, template: str, partial: str) -> str:
    """``template#partial`` for an htmx swap, the whole page otherwise.

    A history-restore request (htmx lost its snapshot after back/forward) wants
    the whole page, even though it carries HX-Request.
    """
    if request.htmx and not request.htmx.history_restore_request:
        return f"{template}#{partial}"
    return template
