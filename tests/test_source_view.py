import pytest

pytestmark = pytest.mark.django_db


def test_it_shows_the_clean_text_with_page_marks(client, election):
    html = client.get("/bron/nsc-2025/").content.decode()
    assert "PAGINA" not in html
    assert 'class="page-mark"' in html and "p. 13" in html


def test_it_highlights_the_cited_passage(client, snapshot):
    citation = next(c for s in snapshot.statements for p in s.positions.values() for c in p.citations)
    html = client.get(
        f"/bron/{citation.document.slug}/?regels={citation.line_start}-{citation.line_end}"
    ).content.decode()
    assert "<mark>" in html
    # Only the quoted characters are marked, not the whole paragraph around them.
    assert f'<span id="r{citation.line_end + 1}"><mark>' not in html
    assert f'<span id="r{citation.line_start - 1}"><mark>' not in html


def test_it_shows_a_published_pdf_page_by_page_with_links_to_the_original(client, election):
    from positions.models import Document

    html = client.get("/bron/cda-2025/").content.decode()
    version = Document.objects.get(slug="cda-2025").current_version()
    # Printed page 9 is the file's tenth page (the cover has no number).
    original = f"/bron/cda-2025/origineel/{version.sha256}/"
    assert f'href="{original}#page=10">p. 9</a>' in html
    response = client.get(original)
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content)[:5] == b"%PDF-"


def test_an_unpublished_version_is_not_served_to_citizens(client, election):
    assert client.get("/bron/cda-2025/origineel/" + "0" * 64 + "/").status_code == 404
    html = client.get("/bron/pvv-2025/").content.decode()
    assert "Wij willen 10.000 extra agenten." in html
    html = client.get("/bron/d66-cda-2025/").content.decode()
    assert 'href="/tk2025/uitslag/cda/">CDA</a>' in html  # back to the party pages it is cited on
    assert "PARTIJ VOOR DE VRIJHEID" not in html


@pytest.mark.parametrize("regels", ["abc", "5-2", "0-3", "1-99999999"])
def test_it_rejects_a_bad_line_range_with_a_400(client, election, regels):
    assert client.get(f"/bron/nsc-2025/?regels={regels}").status_code == 400


def test_it_answers_404_for_an_unknown_document(client, election):
    assert client.get("/bron/geheim/").status_code == 404


def test_it_marks_exactly_the_quoted_characters(client, snapshot):
    import html
    import re

    from positions.sources import normalize_quote

    citations = [c for s in snapshot.statements for p in s.positions.values() for c in p.citations]
    by_lines = {}
    for c in citations:
        by_lines.setdefault((c.document.slug, c.line_start, c.line_end), []).append(c)
    # A link names only the lines: where two citations share them, the longer quote is marked.
    citations = [max(group, key=lambda c: len(c.quote)) for group in by_lines.values()]
    for citation in citations[::6]:
        url = f"/bron/{citation.document.slug}/?regels={citation.line_start}-{citation.line_end}"
        marked = re.findall(r"<mark>(.*?)</mark>", client.get(url).content.decode(), re.S)
        text = normalize_quote(html.unescape(" ".join(marked)))
        # A word split over two lines reads "vanzelfspre- kendheid" on the page.
        assert normalize_quote(citation.quote) in {text, text.replace("- ", ""), text.replace("- ", "-")}, url
