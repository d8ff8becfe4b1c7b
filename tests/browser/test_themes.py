"""Light and dark themes: the system setting, the header's toggle (remembered, no flash),
code highlighting, no inline script or style under a strict CSP, and printing."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import visit

LIGHT_BG = "rgb(255, 255, 255)"
DARK_BG = "rgb(17, 20, 24)"

# Records, for the test, the theme at the moment the stylesheet link enters the DOM,
# i.e. before anything can be painted with it.
RECORD_THEME_BEFORE_STYLES = """
new MutationObserver((records, observer) => {
  for (const record of records) for (const node of record.addedNodes) {
    if (node.nodeName === "LINK" && node.rel === "stylesheet" && !("__themeAtStyles" in window)) {
      window.__themeAtStyles = document.documentElement.dataset.theme || "";
      observer.disconnect();
    }
  }
}).observe(document, {childList: true, subtree: true});
"""


def background(page) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def toggle(page):
    return page.get_by_role("button", name="Dark theme")


def test_follows_the_system_setting_until_the_visitor_chooses(page):
    page.emulate_media(color_scheme="dark")
    page.goto("/")
    assert background(page) == DARK_BG
    expect(toggle(page)).to_have_attribute("aria-pressed", "true")
    page.emulate_media(color_scheme="light")
    assert background(page) == LIGHT_BG
    expect(toggle(page)).to_have_attribute("aria-pressed", "false")


def test_the_toggle_is_remembered_and_applied_before_the_first_paint(page, screenshot_dir):
    page.add_init_script(RECORD_THEME_BEFORE_STYLES)
    page.emulate_media(color_scheme="light")
    page.goto("/404/")
    order = page.evaluate(
        """() => Array.from(document.head.querySelectorAll("script[src], link[rel=stylesheet]"))
            .map(el => (el.src || el.href).split("/").pop())"""
    )
    assert order.index("theme-init.js") < order.index("site.css"), order
    button = toggle(page)
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-pressed", "false")
    assert page.evaluate("window.__themeAtStyles") == ""

    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    assert background(page) == DARK_BG
    assert page.evaluate("localStorage.getItem('theme')") == "dark"

    # Another page: dark from the start, though the system says light.
    page.goto("/4xx/")
    assert page.evaluate("window.__themeAtStyles") == "dark"
    assert background(page) == DARK_BG
    expect(toggle(page)).to_have_attribute("aria-pressed", "true")
    page.screenshot(path=screenshot_dir / "dark-class-4xx-1280.png", full_page=True)

    # The choice also wins over a dark system setting.
    page.emulate_media(color_scheme="dark")
    toggle(page).click()
    expect(toggle(page)).to_have_attribute("aria-pressed", "false")
    assert background(page) == LIGHT_BG
    page.reload()
    assert page.evaluate("window.__themeAtStyles") == "light"
    assert background(page) == LIGHT_BG


def test_code_highlighting_follows_the_chosen_theme(page, screenshot_dir):
    page.emulate_media(color_scheme="light")
    page.goto("/guides/401-vs-403/")
    keyword = page.locator(".highlight .kr").first
    expect(keyword).to_have_css("color", "rgb(0, 0, 255)")
    toggle(page).click()
    expect(keyword).to_have_css("color", "rgb(255, 123, 114)")
    expect(page.locator(".highlight pre").first).to_have_css("background-color", "rgb(26, 31, 38)")
    page.screenshot(path=screenshot_dir / "dark-guide-1280.png", full_page=True)


def test_without_javascript_there_is_no_toggle_and_the_system_setting_applies(new_context):
    page = new_context(java_script_enabled=False, color_scheme="dark").new_page()
    page.goto("/")
    expect(page.locator(".theme-toggle")).to_be_hidden()
    expect(page.locator("body")).to_have_css("background-color", DARK_BG)


# A strict policy, the one refsite.settings sends: any inline script, inline style or
# foreign request would show up as a violation.
STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'"
)
RECORD_CSP_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", e =>
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


@pytest.fixture
def strict_page(page):
    """Every page under STRICT_CSP, whatever the settings send, recording violations."""

    def add_policy(route):
        if route.request.resource_type != "document":
            route.continue_()
            return
        response = route.fetch()
        headers = {k: v for k, v in response.headers.items() if "content-security" not in k}
        route.fulfill(response=response, headers={**headers, "content-security-policy": STRICT_CSP})

    page.route("**/*", add_policy)
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    return page


def test_no_inline_script_or_style_anywhere(strict_page):
    page = strict_page
    seen = {}
    page.goto("/")
    page.locator("#id_q").fill("rate limit")
    expect(page.locator("#results .code-link").first).to_contain_text("429")
    toggle(page).click()
    seen["/"] = page.evaluate("window.__csp")
    for path in ("/404/", "/guides/401-vs-403/", "/compare/401-vs-403/", "/guides/"):
        visit(page, path)
        seen[path] = page.evaluate("window.__csp")
    page.goto("/choose/")
    page.locator("#step .answer").first.click()
    expect(page.locator("#step h2[tabindex]")).to_be_focused()
    seen["/choose/"] = page.evaluate("window.__csp")
    assert {path: v for path, v in seen.items() if v} == {}


@pytest.mark.parametrize("path", ["/404/", "/"])
def test_print_shows_the_content_in_black_on_white(page, path, screenshot_dir):
    page.emulate_media(color_scheme="dark")
    page.goto(path)
    toggle(page).click()  # even with the dark theme chosen
    page.emulate_media(media="print")
    expect(page.locator("body")).to_have_css("background-color", LIGHT_BG)
    expect(page.locator("body")).to_have_css("color", "rgb(0, 0, 0)")
    expect(page.locator("main a").first).to_have_css("color", "rgb(0, 0, 0)")
    for hidden in (".site-header nav", ".theme-toggle", ".skip-link"):
        expect(page.locator(hidden)).to_be_hidden()
    for form in page.locator(".search-form, .header-search").all():
        expect(form).to_be_hidden()
    visible_buttons = [b for b in page.locator("button").all() if b.is_visible()]
    assert visible_buttons == []
    expect(page.locator("h1")).to_be_visible()
    if path == "/404/":
        # Every answer is printed, open or not.
        for answer in page.locator("details.faq > :not(summary)").all():
            expect(answer).to_be_visible()
    page.screenshot(path=screenshot_dir / f"print-{path.strip('/') or 'index'}.png", full_page=True)
