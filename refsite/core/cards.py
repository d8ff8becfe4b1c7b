"""Social card images (1200x630 PNG) for code and guide permalinks, drawn with Pillow.

Chats and social sites show these when a link is shared. A card depends only
on its text and colour, so the PNG bytes are cached under a hash of those.
"""

import hashlib
import io
import textwrap

from django.core.cache import cache
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
# Class colours: the same hues as the site, dark enough for white text.
CLASS_COLOURS = {
    1: "#5b21b6",
    2: "#166534",
    3: "#1e40af",
    4: "#9a3412",
    5: "#991b1b",
    None: "#374151",
}
CACHE_SECONDS = 60 * 60 * 24 * 7


def _font(size: int):
    return ImageFont.load_default(size=size)


def render_card(title: str, subtitle: str, label: str, colour: str) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), "#ffffff")
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, 36, HEIGHT], fill=colour)
    draw.rectangle([0, HEIGHT - 90, WIDTH, HEIGHT], fill="#f5f7fa")
    draw.text((90, 70), label, font=_font(40), fill=colour)
    y = 140
    for line in textwrap.wrap(title, width=22)[:3]:
        draw.text((90, y), line, font=_font(96), fill="#1b1f24")
        y += 110
    for line in textwrap.wrap(subtitle, width=60)[:2]:
        draw.text((90, y + 10), line, font=_font(34), fill="#374151")
        y += 44
    draw.text((90, HEIGHT - 65), "HTTP Status Reference", font=_font(34), fill="#1b1f24")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def card_png(title: str, subtitle: str, label: str, colour: str) -> bytes:
    """The card's PNG bytes, from the cache when the same card was drawn before."""
    digest = hashlib.sha256("\x1f".join([title, subtitle, label, colour]).encode()).hexdigest()
    key = f"card:{digest}"
    png = cache.get(key)
    if png is None:
        png = render_card(title, subtitle, label, colour)
        cache.set(key, png, CACHE_SECONDS)
    return png
