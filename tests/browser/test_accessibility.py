"""axe-core on every main page, in the light and the dark theme, plus what axe cannot see:
the skip link, one h1, visible focus and results announced to screen readers."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import (
    BLOCKING,
    MAIN_PAGES,
    axe_violations,
    describe,
    named_pages,
    visit,
)

AXE_PAGES = {**MAIN_PAGES, **named_pages("accounts:login", "accounts:signup")}


@pytest.fixture
def axe_page(new_context):
    """A page that may inject axe-core: the site's Content-Security-Policy forbids
    inline scripts, which is what page.add_script_tag() adds."""
    page = new_context(bypass_csp=True).new_page()
    page.set_default_timeout(5_000)
    return page


@pytest.mark.parametrize("path", AXE_PAGES.values(), ids=AXE_PAGES.keys())
def test_axe_light_and_dark_one_h1_and_landmarks(axe_page, path):
    page = axe_page
    visit(page, path)
    problems = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        background = "rgb(255, 255, 255)" if scheme == "light" else "rgb(17, 20, 24)"
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == background
        violations = axe_violations(page)
        blocking = [v for v in violations if v["impact"] in BLOCKING]
        if blocking:
            problems[scheme] = describe(blocking)
        if other := [v for v in violations if v["impact"] not in BLOCKING]:
            print(f"\n{path} ({scheme}), not blocking:\n{describe(other)}")
    assert not problems, "\n".join(f"{scheme}:\n{text}" for scheme, text in problems.items())
    # What axe does not insist on: exactly one h1, and the page's landmarks.
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("h1")).to_be_visible()
    expect(page.get_by_role("banner")).to_have_count(1)
    expect(page.get_by_role("main")).to_have_count(1)
    expect(page.get_by_role("contentinfo")).to_have_count(1)
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_skip_link_is_the_first_stop_and_moves_focus_to_main(page):
    page.goto("/404/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box and box["y"] >= 0 and box["height"] > 0, "the skip link shows when focused"
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    assert page.url.endswith("#main")


def test_keyboard_focus_is_visible(page):
    page.goto("/")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the site's name
    focused = page.evaluate(
        """() => {
            const s = getComputedStyle(document.activeElement);
            return {tag: document.activeElement.tagName, style: s.outlineStyle,
                    width: parseFloat(s.outlineWidth)};
        }"""
    )
    assert focused["tag"] == "A"
    assert focused["style"] != "none" and focused["width"] >= 2, focused


def test_every_control_has_a_label_and_results_are_announced(page):
    for path in ("/", "/404/", "/guides/"):
        visit(page, path)
        unlabelled = page.evaluate(
            """() => Array.from(document.querySelectorAll("input, select, textarea, button"))
                .filter(el => el.type !== "hidden" && !el.hidden)
                .filter(el => !(el.labels && el.labels.length) && !el.getAttribute("aria-label")
                              && !el.getAttribute("aria-labelledby") && !el.textContent.trim())
                .map(el => el.outerHTML)"""
        )
        assert unlabelled == [], path
    # And the index's results are announced: the count is a live region that htmx updates.
    page.goto("/")
    status = page.get_by_role("status").filter(has_text="status codes")
    expect(status).to_have_attribute("id", "result-count")
    page.locator("#id_q").fill("rate limit")
    expect(page.locator("#result-count")).to_contain_text("match “rate limit”")


SIGNED_IN_PAGES = ["/accounts/", "/accounts/my-codes/", "/accounts/suggest/code/404/"]


def test_axe_on_signed_in_pages(axe_page, django_user_model):
    """The account page, the cheat sheet and the suggestion form, after a real sign-in."""
    django_user_model.objects.create_user("reader", "reader@example.com", "a-long-Passw0rd!")
    page = axe_page
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("reader")
    page.get_by_label("Password").fill("a-long-Passw0rd!")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/")
    page.goto("/404/")
    page.get_by_role("button", name="Star").click()
    expect(page.locator(".star-button")).to_have_attribute("aria-pressed", "true")
    problems = {}
    for path in SIGNED_IN_PAGES:
        visit(page, path)
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING]
            if blocking:
                problems[f"{path} ({scheme})"] = describe(blocking)
        expect(page.locator("h1")).to_have_count(1)
    assert not problems, "\n".join(f"{where}:\n{text}" for where, text in problems.items())
