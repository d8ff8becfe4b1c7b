"""Finding a code on the index: live filtering, history, keyboard, shared links, and the
same journeys with JavaScript off, through plain forms."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(url).query)


def first_result(page):
    return page.locator("#results .code-link").first


def test_typing_filters_in_place_and_updates_the_url(page):
    page.goto("/")
    page.evaluate("window.__sameDocument = true")
    page.locator("#id_q").press_sequentially("rate limit")
    page.wait_for_url(lambda url: query_of(url).get("q") == ["rate limit"])
    expect(first_result(page)).to_contain_text("429")
    expect(page.locator("#result-count")).to_contain_text("“rate limit”")
    expect(page).to_have_title(re.compile("HTTP status codes"))
    assert page.evaluate("window.__sameDocument === true"), "the page was reloaded"


def test_class_filter_updates_the_list_in_place(page):
    page.goto("/")
    page.evaluate("window.__sameDocument = true")
    page.locator("#id_cls").select_option("5")
    page.wait_for_url(lambda url: query_of(url).get("cls") == ["5"])
    expect(page.locator("#results .code-num").first).to_have_text(re.compile(r"^5"))
    numbers = page.locator("#results .code-num").all_inner_texts()
    assert numbers and all(n.startswith("5") for n in numbers)
    assert page.evaluate("window.__sameDocument === true")
    page.go_back()
    page.wait_for_url(lambda url: not urlparse(url).query)
    expect(page.locator("#id_cls")).to_have_value("")
    expect(page.locator("#class-1xx")).to_be_visible()


def test_back_and_forward_restore_earlier_filters(page):
    page.goto("/")
    box = page.locator("#id_q")
    box.fill("rate limit")
    page.wait_for_url(lambda url: query_of(url).get("q") == ["rate limit"])
    expect(first_result(page)).to_contain_text("429")
    box.fill("gateway timeout")
    page.wait_for_url(lambda url: query_of(url).get("q") == ["gateway timeout"])
    expect(first_result(page)).to_contain_text("504")

    page.go_back()
    page.wait_for_url(lambda url: query_of(url).get("q") == ["rate limit"])
    expect(first_result(page)).to_contain_text("429")
    expect(box).to_have_value("rate limit")

    page.go_forward()
    page.wait_for_url(lambda url: query_of(url).get("q") == ["gateway timeout"])
    expect(first_result(page)).to_contain_text("504")
    expect(box).to_have_value("gateway timeout")

    page.go_back()
    page.go_back()
    page.wait_for_url(lambda url: not urlparse(url).query)
    expect(box).to_have_value("")
    expect(page.locator("#class-1xx")).to_be_visible()  # the full list, by class

    # The page htmx put back still works: the header's theme button, for one.
    page.get_by_role("button", name="Dark theme").click()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")


def test_slash_focuses_the_search_box(page):
    for path, box_id in (("/", "id_q"), ("/404/", "site-q")):
        page.goto(path)
        page.locator("h1").click()
        page.keyboard.press("/")
        expect(page.locator(f"#{box_id}")).to_be_focused()
        expect(page.locator(f"#{box_id}")).to_have_value("")  # "/" itself is not typed


def test_arrow_keys_and_enter_open_a_result(page):
    page.goto("/?q=timeout")
    links = page.locator("#results .code-link")
    page.locator("#id_q").focus()
    page.keyboard.press("ArrowDown")
    expect(links.nth(0)).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(links.nth(1)).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(links.nth(0)).to_be_focused()
    href = links.nth(0).get_attribute("href")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{href}")
    expect(page.locator("h1")).to_contain_text(href.strip("/"))


def test_escape_clears_the_search(page):
    page.goto("/?q=teapot")
    box = page.locator("#id_q")
    box.focus()
    page.keyboard.press("Escape")
    expect(box).to_have_value("")
    expect(page.locator("#class-1xx")).to_be_visible()  # the full list, by class


def test_a_shared_link_opens_filtered(page):
    page.goto("/?q=rate+limit")
    expect(page.locator("#id_q")).to_have_value("rate limit")
    expect(first_result(page)).to_contain_text("429 Too Many Requests")
    expect(page.locator("#result-count")).to_contain_text("“rate limit”")
    expect(page).to_have_title(re.compile("“rate limit”"))


def test_header_search_on_a_code_page_goes_to_the_filtered_index(page):
    page.goto("/404/")
    page.locator("#site-q").fill("too many requests")
    page.locator("#site-q").press("Enter")
    page.wait_for_url(lambda url: query_of(url).get("q") == ["too many requests"])
    expect(first_result(page)).to_contain_text("429")


# Without JavaScript: the same journeys through plain forms and links.


@pytest.fixture
def no_js_page(new_context):
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(5_000)
    return page


def test_without_javascript_the_search_form_and_filters_work(no_js_page):
    page = no_js_page
    page.goto("/")
    page.locator("#id_q").fill("rate limit")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(lambda url: query_of(url).get("q") == ["rate limit"])
    expect(first_result(page)).to_contain_text("429")
    expect(page.locator("#result-count")).to_contain_text("“rate limit”")

    page.locator("#id_q").fill("")
    page.locator("#id_cls").select_option("2")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(lambda url: query_of(url).get("cls") == ["2"])
    numbers = page.locator("#results .code-num").all_inner_texts()
    assert numbers and all(n.startswith("2") for n in numbers)


def test_without_javascript_an_exact_number_goes_to_its_page(no_js_page):
    page = no_js_page
    page.goto("/")
    page.locator("#id_q").fill("404")
    page.locator("#id_q").press("Enter")
    page.wait_for_url("**/404/")
    expect(page.locator("h1")).to_have_text("404 Not Found")


def test_without_javascript_the_header_search_and_history_work(no_js_page):
    page = no_js_page
    page.goto("/418/")
    page.locator("#site-q").fill("rate limit")
    page.locator("#site-q").press("Enter")
    page.wait_for_url(lambda url: query_of(url).get("q") == ["rate limit"])
    expect(first_result(page)).to_contain_text("429")
    first_result(page).click()
    page.wait_for_url("**/429/")
    page.go_back()
    page.wait_for_url(lambda url: query_of(url).get("q") == ["rate limit"])
    expect(page.locator("#id_q")).to_have_value("rate limit")


def test_without_javascript_the_decision_guide_is_plain_links(no_js_page):
    page = no_js_page
    page.goto("/choose/")
    page.locator("#step .answer").first.click()
    expect(page.locator("#step h2")).to_be_visible()
    assert urlparse(page.url).path.startswith("/choose/")
    assert urlparse(page.url).path != "/choose/"
