"""Editors add documents and new versions in the admin, and see what was extracted."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from positions.models import Citation, Document, Position
from tests.pdfs import make_pdf, programme_pages

pytestmark = pytest.mark.django_db


def _form(upload, **extra):
    return {"slug": "testpartij-2025", "title": "Testprogramma", "authors": "Testpartij", "kind": "programme",
            "status": "concept", "date": "2025-09-01", "date_note": "", "hints": "{}", "upload": upload,
            **extra}  # fmt: skip


@pytest.fixture
def admin_path(client, editor):
    client.force_login(editor)
    return reverse("admin:positions_document_add")


def test_an_editor_adds_a_pdf_and_sees_what_was_extracted(client, admin_path):
    upload = SimpleUploadedFile("testpartij.pdf", make_pdf(programme_pages(5)), "application/pdf")
    response = client.post(admin_path, _form(upload), follow=True)
    assert response.status_code == 200
    document = Document.objects.get(slug="testpartij-2025")
    assert "Geëxtraheerd: 5 pagina&#x27;s" in response.content.decode()
    assert document.source().find("Op pagina 2 staat een zin").label == "Hoofdstuk 2 Zorg · p. 2"
    preview = client.get(reverse("admin:positions_document_preview", args=[document.pk])).content.decode()
    assert "<del" in preview and "Testpartij Verkiezingsprogramma 2025" in preview
    assert "H1 · Hoofdstuk 3 Onderwijs" in preview
    assert "nummer gedrukt op de pagina" in preview


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("scan.pdf", make_pdf([[] for _ in range(4)]), "tekstlaag"),
        ("nep.pdf", b"geen pdf", "geen PDF"),
        ("pagina.html", b"<p>Hoi</p><script>alert(1)</script>", "scripts"),
    ],
)
def test_a_bad_file_is_a_form_error_and_nothing_is_stored(client, admin_path, name, data, message):
    response = client.post(admin_path, _form(SimpleUploadedFile(name, data)))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Document.objects.filter(slug="testpartij-2025").exists()


def test_the_refusal_is_complete_in_english():
    from django.utils import translation

    from positions.extraction import ExtractionError, extract

    with translation.override("en"), pytest.raises(ExtractionError, match="The file is not a PDF"):
        extract("nep.pdf", b"geen pdf")


def test_a_new_version_uploaded_in_the_admin_lists_the_lost_citations(client, admin_path, election):
    client.post(admin_path, _form(SimpleUploadedFile("v1.pdf", make_pdf(programme_pages(3)))))
    document = Document.objects.get(slug="testpartij-2025")
    position = Position.objects.filter(statement__election=election, actor__slug="d66").first()
    citation = Citation(position=position, document=document, quote="Op pagina 2 staat een zin over zorg.")
    citation.locate()
    citation.save()
    changed = programme_pages(3)
    changed[1][2] = "Op pagina 2 staat nu iets anders."
    url = reverse("admin:positions_document_change", args=[document.pk])
    response = client.post(
        url, _form(SimpleUploadedFile("v2.pdf", make_pdf(changed)), status="final"), follow=True
    )
    html = response.content.decode()
    assert "1 niet meer gevonden" in html
    page = client.get(url).content.decode()
    assert "Op pagina 2 staat een zin over zorg." in page  # listed on the document's page
    assert document.versions.count() == 2


def test_changing_the_hints_reads_the_document_again(client, admin_path):
    client.post(admin_path, _form(SimpleUploadedFile("v1.pdf", make_pdf(programme_pages(4)))))
    document = Document.objects.get(slug="testpartij-2025")
    assert document.source().find("Over zorg zeggen we veel meer.") is not None
    url = reverse("admin:positions_document_change", args=[document.pk])
    response = client.post(url, _form("", hints='{"furniture": ["^Over \\\\w+ zeggen"]}'), follow=True)
    assert "Opnieuw gelezen" in response.content.decode()
    assert document.source().find("Over zorg zeggen we veel meer.") is None


def test_a_published_pdf_is_searched_and_cited_like_the_texts(client, editor, election):
    client.force_login(editor)
    html = client.get(
        reverse("admin:positions_document_search"), {"q": "10.000 extra agenten"}
    ).content.decode()
    assert "2 Veiligheid · p. 11" in html
    from positions.models import Citation, Document

    position = Position.objects.filter(statement__election=election, actor__slug="cda").first()
    document = Document.objects.get(slug="cda-2025")
    citation = Citation(position=position, document=document, quote="We passen ons verlofste")
    citation.full_clean()
    assert citation.location.endswith("· p. 10") and "1.2 Ruimte voor verlof" in citation.location
