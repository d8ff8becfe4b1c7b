"""A code's permalink page: copying the link, section anchors, short links."""

from playwright.sync_api import expect


def test_copy_link_button_copies_the_permalink(new_context, live_server):
    context = new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto("/404/")
    permalink = page.get_by_label("Permalink")
    expect(permalink).to_have_value(f"{live_server.url}/404/")
    page.get_by_role("button", name="Copy link").click()
    # The confirmation is a live region, so screen readers announce it.
    expect(page.locator(".copy-link").get_by_role("status")).to_have_text("Link copied.")
    assert page.evaluate("navigator.clipboard.readText()") == f"{live_server.url}/404/"


def test_a_section_anchor_targets_and_scrolls_to_its_section(page):
    page.goto("/429/#retry-after")
    target = page.locator(":target")
    expect(target).to_have_attribute("id", "retry-after")
    expect(target).to_contain_text("Retry-After")
    expect(target).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 0


def test_heading_anchor_links_update_the_address(page):
    page.goto("/429/")
    page.locator("#fixes").hover()
    page.get_by_role("link", name="Link to How to fix it").click()
    page.wait_for_url("**/429/#fixes")
    expect(page.locator(":target")).to_have_attribute("id", "fixes")
    expect(page.locator("#fixes")).to_be_in_viewport()


def test_each_meaning_of_a_shared_number_has_its_own_anchor(page):
    page.goto("/499/")
    links = page.get_by_role("navigation", name="Meanings of 499").get_by_role("link")
    expect(links).to_have_count(2)
    links.nth(1).click()
    target = page.locator(":target")
    expect(target).to_have_class("meaning")
    expect(target).to_be_in_viewport()


def test_short_links_and_previous_next_lead_to_permalinks(page):
    response = page.goto("/s/404")
    assert response.url.endswith("/404/")
    page.locator("a[rel=next]").click()
    page.wait_for_url("**/405/")
    expect(page.locator("h1")).to_contain_text("405")
    page.locator("a[rel=prev]").click()
    page.wait_for_url("**/404/")


def test_without_javascript_the_permalink_is_there_to_copy_by_hand(new_context):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/404/")
    expect(page.get_by_label("Permalink")).to_be_visible()
    expect(page.get_by_role("button", name="Copy link")).to_be_hidden()
    page.goto("/429/#retry-after")
    expect(page.locator(":target")).to_have_attribute("id", "retry-after")
