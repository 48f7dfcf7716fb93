"""End-to-end: an editor adds the four published PDFs in the admin and cites one, in Chromium."""

from pathlib import Path

import pytest

from tests.browser import log_in
from tests.conftest import make_user
from tests.test_documents import FILES, QUOTES, SHARED_PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.skipif(not SHARED_PDF.is_dir(), reason="../shared/sources is not beside this checkout")
def test_an_editor_adds_each_published_pdf_and_previews_its_pages(site, page_factory):
    from positions.models import Document

    url, _snapshot = site
    make_user("redacteur", "Redactie")
    page = page_factory()
    log_in(page, url, "redacteur")
    for slug, name in FILES.items():
        page.goto(url + "/admin/positions/document/add/")
        page.locator("#id_title").fill(f"Geüpload: {name}")
        page.locator("#id_slug").fill(f"upload-{slug}")
        page.locator("#id_authors").fill("Partij")
        page.locator("#id_kind").select_option("programme")
        page.locator("#id_status").select_option("concept")
        page.locator("#id_date").fill("2025-09-01")
        page.locator("#id_upload").set_input_files(str(Path(SHARED_PDF) / name))
        page.get_by_role("button", name="Opslaan", exact=True).click()
        page.get_by_text("Geëxtraheerd:").wait_for()
        document = Document.objects.get(slug=f"upload-{slug}")
        printed, quote = QUOTES[slug][-1]  # the last page's quote, on its printed page
        assert document.source().find(quote).label.endswith(f"p. {printed}")
        page.goto(url + f"/admin/positions/document/{document.pk}/voorbeeld/")
        page.get_by_role("heading", name=f"Pagina {printed} (pagina").first.wait_for()
        assert page.locator("del").count() > 0  # running headers and footers shown as dropped
    assert page.csp_errors == []
