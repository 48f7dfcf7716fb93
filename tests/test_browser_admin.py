"""End-to-end: an editor adds citations in the admin, in Chromium."""

import pytest

from tests.browser import log_in
from tests.conftest import make_user
from tests.samples import QUOTE_ACROSS_LINES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def add_citation(page, url, position, quote):
    page.goto(url + "/admin/positions/citation/add/")
    page.locator("#id_position").fill(str(position.pk))
    page.locator("#id_document").select_option(str(position.actor.documents.get().pk))
    page.locator("#id_quote").fill(quote)
    page.locator("#id_order").fill("5")
    page.get_by_role("button", name="Opslaan", exact=True).click()


def test_an_editor_adds_a_quote_copied_across_a_line_break_and_an_altered_one_is_refused(site, page_factory):
    from positions.models import Citation, Position

    url, _snapshot = site
    make_user("redacteur", "Redactie")
    position = Position.objects.filter(actor__slug="nsc").first()
    page = page_factory()
    log_in(page, url, "redacteur")

    before = Citation.objects.count()
    add_citation(page, url, position, QUOTE_ACROSS_LINES.replace("product.", "producT."))
    page.get_by_text("komt niet letterlijk voor").wait_for()
    assert "eerlijke prijs ontvangen voor hun product" in page.locator(".errorlist").first.text_content()
    assert Citation.objects.count() == before

    add_citation(page, url, position, QUOTE_ACROSS_LINES)
    page.wait_for_url("**/admin/positions/citation/")
    citation = Citation.objects.get(position=position, order=5)
    assert citation.location == "H11 Onze fysieke leefomgeving › punt 2 · p. 70"
    page.get_by_text("H11 Onze fysieke leefomgeving › punt 2 · p. 70").first.wait_for()
    assert page.csp_errors == []
