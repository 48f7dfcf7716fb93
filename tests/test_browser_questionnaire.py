"""End-to-end: the questionnaire in Chromium, with and without JavaScript, checked by axe-core."""

import pytest
from playwright.sync_api import expect

from tests.browser import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def settled(page):
    """After a swap, focus lands on the new heading; a keyboard user goes on from there."""
    expect(page.locator("#step h1")).to_be_focused()


def test_the_flow_with_javascript_swaps_steps_without_page_loads(site, page_factory):
    url, snapshot = site
    page = page_factory()
    page.goto(url + "/")
    page.get_by_role("link", name="Begin met de stellingen").click()
    page.wait_for_url("**/stelling/1/")
    page.evaluate("window.__sameDocument = true")
    total = len(snapshot.statements)
    for number in range(1, total + 1):
        page.get_by_role("heading", level=1, name=snapshot.statement(number).text).wait_for()
        assert page.locator("#announcer").text_content() in ("", f"Stelling {number} van {total}")
        page.get_by_role("button", name="Eens" if number % 2 else "Oneens", exact=True).click()
        if number < total:
            page.wait_for_url(f"**/stelling/{number + 1}/")
            page.get_by_role("heading", level=1, name=snapshot.statement(number + 1).text).wait_for()
            # Focus and announcement follow htmx's settle step, a moment after the swap.
            settled(page)
            expect(page.locator("#announcer")).to_have_text(f"Stelling {number + 1} van {total}")
    page.wait_for_url("**/belangrijk/")
    assert page.evaluate("window.__sameDocument") is True, "a full page load happened between statements"
    page.go_back()
    page.get_by_role("heading", level=1, name=snapshot.statement(total).text).wait_for()
    assert (
        "Oneens" in page.locator(".current-answer").text_content()
        or "Eens" in page.locator(".current-answer").text_content()
    )
    page.go_forward()
    page.wait_for_url("**/belangrijk/")
    page.get_by_role("button", name="Verder naar partijen").click()
    page.get_by_role("button", name="Toon de uitslag").click()
    page.wait_for_url("**/uitslag/")
    page.get_by_role("heading", level=1, name="Jouw uitslag").wait_for()
    assert page.csp_errors == []
    stored = page.evaluate("JSON.stringify(sessionStorage)")
    assert "htmx-history-cache" not in stored, "answers must not linger in sessionStorage"


def test_the_flow_completes_without_javascript(site, page_factory):
    url, snapshot = site
    page = page_factory(java_script_enabled=False)
    page.goto(url + f"/{snapshot.slug}/stelling/1/")
    for number in range(1, len(snapshot.statements) + 1):
        page.get_by_role("heading", level=1, name=snapshot.statement(number).text).wait_for()
        page.get_by_role("button", name="Geen van beide", exact=True).click()
    page.get_by_role("button", name="Verder naar partijen").click()
    page.get_by_role("button", name="Niets selecteren").click()
    page.get_by_role("button", name="Alles selecteren").click()
    page.get_by_role("button", name="Toon de uitslag").click()
    page.get_by_role("heading", level=1, name="Jouw uitslag").wait_for()
    assert page.locator("ol.ranking .percent").count() == len(snapshot.parties)


def test_keyboard_only_completion(site, page_factory):
    url, snapshot = site
    page = page_factory()
    page.goto(url + f"/{snapshot.slug}/stelling/1/")
    for number in range(1, len(snapshot.statements) + 1):
        page.get_by_role("heading", level=1, name=snapshot.statement(number).text).wait_for()
        if number > 1:
            settled(page)
        page.get_by_role("button", name="Sla over", exact=True).focus()
        page.keyboard.press("Enter")
    page.get_by_role("heading", level=1, name="Extra belangrijk").wait_for()
    settled(page)
    page.get_by_label(f"1. {snapshot.statement(1).text}").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Verder naar partijen").focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", level=1, name="Met welke partijen wil je vergelijken?").wait_for()
    settled(page)
    page.get_by_role("button", name="Toon de uitslag").focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", level=1, name="Jouw uitslag").wait_for()


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_every_page_passes_axe_in_both_languages(site, page_factory, prefix):
    url, snapshot = site
    page = page_factory()
    slug = snapshot.slug
    paths = ["/", "/methode/", "/privacy/", f"/{slug}/stelling/1/", f"/{slug}/stelling/1/standpunten/",
             f"/{slug}/belangrijk/", f"/{slug}/partijen/", f"/{slug}/uitslag/", f"/{slug}/uitslag/nsc/",
             "/bron/d66-cda-2025/", f"/{slug}/stelling/999/"]  # fmt: skip
    page.goto(url + prefix + f"/{slug}/stelling/1/")
    page.locator(".answers button").first.click()  # some answers, so the result has content
    page.wait_for_url("**/stelling/2/")
    for path in paths:
        page.goto(url + prefix + path)
        assert axe_violations(page) == [], path
    # … and after an htmx swap
    page.goto(url + prefix + f"/{slug}/stelling/1/")
    page.locator(".answers button").first.click()
    page.wait_for_url("**/stelling/2/")
    assert axe_violations(page) == []
    assert page.csp_errors == []


def test_it_works_at_320_pixels_wide(site, page_factory):
    url, snapshot = site
    page = page_factory(viewport={"width": 320, "height": 640})
    for path in [
        "/",
        f"/{snapshot.slug}/stelling/1/",
        f"/{snapshot.slug}/uitslag/",
        f"/{snapshot.slug}/partijen/",
    ]:
        page.goto(url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
