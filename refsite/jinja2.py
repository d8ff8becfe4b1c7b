"""The Jinja2 environment for the code page, the one page with a hard CPU budget.

Django's template language is the site's engine: forms, partials and the
admin use it. A code page, though, must render in under 2 ms of CPU without any
cache (docs/benchmarks.md), and the same page costs about 3 ms in the Django
language against about 1.5 ms in Jinja2, which compiles templates to Python.
So the code page alone is a Jinja2 template (``templates/jinja2/``).

It extends the same ``base.html`` as every other page. That file, and the
includes the code page shares (``guides/_guide_list.html``,
``accounts/_star.html``), are written in the syntax both engines read: blocks,
``{{ variable.attribute }}``, ``{% if %}`` and ``{% for %}``, no filters or tags;
``tests/test_templates.py`` renders them through both.
"""

from django.templatetags.static import static
from django.urls import reverse
from django.utils.text import slugify
from jinja2 import Environment

from codes.listing import badge_html
from codes.templatetags.catalogue import jsonld, markdown_filter


def url(name: str, *args, **kwargs) -> str:
    """``{{ url("codes:class", digit=4, suffix="xx") }}``, the ``{% url %}`` tag."""
    return reverse(name, args=args or None, kwargs=kwargs or None)


def environment(**options) -> Environment:
    env = Environment(**options)
    env.globals.update(url=url, static=static)
    env.filters.update(markdown=markdown_filter, jsonld=jsonld, badge=badge_html, slugify=slugify)
    return env
