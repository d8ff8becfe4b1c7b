"""Template helpers for catalogue pages."""

from django import template

from codes.rendering import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render editor Markdown as sanitised HTML: ``{{ code.description|markdown }}``."""
    return render_markdown(text or "")
