"""Phone and desktop widths: no sideways scrolling at 360 px, a comfortable line length
at 1280 px, and screenshots of both in test-artifacts/screenshots/ for people to look at."""

from tests.browser.support import MAIN_PAGES, visit

PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}

# Widest text paragraph in <main>, in ch of its own font.
WIDEST_PARAGRAPH = """() => {
  let widest = 0;
  for (const p of document.querySelectorAll("main p")) {
    if (!p.offsetParent || p.textContent.trim().length < 80) continue;
    const probe = document.createElement("span");
    probe.textContent = "0".repeat(50);
    probe.className = "visually-hidden";
    p.append(probe);
    const ch = probe.scrollWidth / 50;
    probe.remove();
    widest = Math.max(widest, p.getBoundingClientRect().width / ch);
  }
  return widest;
}"""


def shoot(page, screenshot_dir, name, width):
    page.screenshot(path=screenshot_dir / f"{name}-{width}.png", full_page=True)


def test_no_horizontal_scrolling_at_360_px(page, screenshot_dir):
    page.set_viewport_size(PHONE)
    too_wide = {}
    for name, path in MAIN_PAGES.items():
        visit(page, path)
        scroll_width, inner_width = page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        if scroll_width > inner_width:
            too_wide[path] = page.evaluate(
                """() => Array.from(document.querySelectorAll("body *"))
                    .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
                    .slice(0, 5).map(el => el.tagName.toLowerCase() + "." + el.className)"""
            )
        shoot(page, screenshot_dir, name, PHONE["width"])
    assert too_wide == {}, "pages wider than the screen, and what sticks out"


def test_comfortable_reading_width_at_1280_px(page, screenshot_dir):
    page.set_viewport_size(DESKTOP)
    measures = {}
    for name, path in MAIN_PAGES.items():
        visit(page, path)
        measures[path] = page.evaluate(WIDEST_PARAGRAPH)
        shoot(page, screenshot_dir, name, DESKTOP["width"])
    assert {path: m for path, m in measures.items() if m > 75} == {}, "lines over 75ch"
    # And the text does use the room: the long paragraphs are not squeezed.
    assert max(measures.values()) > 55, measures


def test_the_header_fits_a_phone(page):
    page.set_viewport_size(PHONE)
    page.goto("/404/")
    for selector in ("#site-q", ".theme-toggle", ".class-nav a[href='/5xx/']"):
        box = page.locator(selector).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], selector
