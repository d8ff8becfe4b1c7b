"""An editor's Preview button: the unsaved change opens in a new tab; nothing is saved."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from codes.models import StatusCode

SUMMARY = "Previewed in a real browser, never saved."


def test_preview_button_opens_the_unsaved_page_in_a_new_tab(page):
    get_user_model().objects.create_superuser("chief", "chief@example.com", "a-long-Passw0rd!")
    code = StatusCode.objects.get(code=404, slug="")
    saved = code.summary
    page.goto(reverse("admin:login"))
    page.get_by_label("Username").fill("chief")
    page.get_by_label("Password").fill("a-long-Passw0rd!")
    with page.expect_navigation():
        page.get_by_label("Password").press("Enter")
    page.goto(reverse("admin:codes_statuscode_change", args=[code.pk]))
    page.locator("#id_summary").fill(SUMMARY)
    with page.expect_popup() as popup:
        page.get_by_role("button", name="Preview").click()
    preview = popup.value
    preview.wait_for_load_state()
    expect(preview.locator(".lead").first).to_have_text(SUMMARY)
    expect(preview.get_by_role("note")).to_contain_text("Preview of unsaved changes")
    expect(page.locator("#id_summary")).to_have_value(SUMMARY)  # the form keeps the edit
    code.refresh_from_db()
    assert code.summary == saved
