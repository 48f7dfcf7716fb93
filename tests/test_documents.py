"""Documents as data: the four published PDFs, the commands, bad input and new versions."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from positions.extraction import ExtractionError, extract
from positions.ingest import add_document, add_version
from positions.models import Citation, Document, Position
from tests.pdfs import encrypt, make_pdf, programme_pages

pytestmark = pytest.mark.django_db
SHARED_PDF = Path(__file__).resolve().parent.parent.parent / "shared" / "sources" / "pdf"

# (printed page, quote). The printed page is the number on the page itself: the CDA's cover is
# unnumbered, so its numbers run one behind the PDF's page index; the others' equal the index.
QUOTES = {
    "cda-2025": [
        (2, "onderdeel van de oplossing. De afgelopen jaren hebben laten zien dat"),
        (11, "in verenigingen. Verantwoordingsdruk en een wirwar aan regels maken"),
        (21, "een landelijke online meldplicht invoeren, waardoor stadionverboden"),
        (30, "medische en medisch-technologische ontwikkelingen. Hierbij komen oude"),
        (40, "mits dit niet ten koste gaat van de eigenheid van leerlingen."),
        (50, "Keuzes voor de transitie naar schone energie, op een"),
        (60, "We streven naar beter verbonden gebieden, waarbij de bestaande"),
        (69, "urgentie worden doorgezet. Het gaat dan onder meer om meer zekerheid"),
        (79, "duurzame handel en financieringsmogelijkheden voor circulaire economie"),
        (89, "sessies over de grote keuzes waar we voor staan; geholpen door"),
    ],
    "d66-programma-2025": [
        (3, "onze kinderen – iets is om naar uit te kijken. Daar bouwen we met dit"),
        (11, "Maar die ruimte staat onder druk. D66 beschermt journalisten"),
        (20, "en plekken waar mensen elkaar kunnen ontmoeten. We investeren in"),
        (30, "moet zetten en afspraken niet zonder resultaten blijven."),
        (48, "mix van zon, wind, groene waterstof en andere bronnen."),
        (57, "D66 fors in op verbetering van de kwetsbare positie van"),
        (67, "gerichte investeringen en Europese samenwerking."),
        (76, "conservatieve landen of vervolgde minderheden in bijvoorbeeld Myanmar."),
        (85, "Bij de voorbereidingen van dit verkiezingsprogramma hebben we"),
        (86, "Bij dit programma hoort ook een bijlage; het uitvoeringsprogramma."),
    ],
    "groenlinks-pvda-2025": [
        (2, "van het land. Keer op keer drukten zij ons op het hart: we staan"),
        # Two-column pages: the quotes run down one column across several printed lines.
        (
            3,
            "Vrede en veiligheid staan wereldwijd onder druk door autocraten en extreme politieke bewegingen",
        ),
        (39, "de kostendelersnorm in de bijstand af. Verhuurders gaan contracten"),
        (57, "voltooiing van het Natuurnetwerk Nederland en door programma’s zoals"),
        (76, "met het bedrijfsleven en door wederzijds voordelige, gelijkwaardige"),
        (94, "dreigingen te versterken door een integrale aanpak die zowel de"),
        (113, "onafhankelijke instantie, inzage in hun eigen dossier, en duidelijke"),
        (131, "tot het praktijkonderwijs moeten dat ook krijgen."),
        (150, "verbindingszone tussen de Utrechtse Heuvelrug en de Veluwe. We leggen"),
        (169, "verandering. Met elkaar hopen we een inspirerende toekomstvisie te"),
    ],
    "pvv-2025": [
        (3, "moeten zwijgen en gehoorzamen aan mannen. Homoseksuelen, andersgelovig"),
        (3, "Dit is úw land! Nederland is vol, overvol, bomvol."),
        (6, "landen. Het gaat dus niet om oorlogsvluchtelingen, maar om economische"),
        (11, "Wij willen 10.000 extra agenten."),
        (15, "planbatenheffing zetten we een deel daarvan in om méér betaalbare"),
        (23, "vrijwel het hele landbouw- en natuurbeleid ondergeschikt is gemaakt"),
        (27, "Veel burgers raken steeds meer vervreemd van hun eigen"),
        (36, "Fatbikeoverlast moet worden aangepakt: de PVV pleit voor een"),
        (40, "aan Brussel. En ze willen bij elke begroting meer en meer."),
        # Across a line-end hyphen: "terugverove-" / "ren".
        (3, "criminele vreemdelingen uitzetten – en Nederland terugveroveren."),
    ],
}


@pytest.mark.skipif(not SHARED_PDF.is_dir(), reason="../shared/sources is not beside this checkout")
@pytest.mark.parametrize(
    "slug, page, quote", [(slug, page, quote) for slug, quotes in QUOTES.items() for page, quote in quotes]
)
def test_a_quote_from_a_published_pdf_is_located_on_its_printed_page(slug, page, quote):
    match = Document.objects.get(slug=slug).source().find(quote)
    assert match is not None
    assert match.label.endswith(f" · p. {page}")
    assert str(match.page) == str(page)


def test_page_furniture_of_a_pdf_is_not_part_of_its_text():
    text = Document.objects.get(slug="pvv-2025").source().text
    assert "PARTIJ VOOR DE VRIJHEID" not in text
    assert "TK VERKIEZINGSPROGRAMMA 2025    DIT IS UW LAND" not in text
    assert "Bouwen op vertrouwen. Onze keuzes voor een fatsoenlijk land. CDA verkiezingsprogramma" not in (
        Document.objects.get(slug="cda-2025").source().text
    )


def test_the_page_numbering_says_where_each_number_came_from():
    version = Document.objects.get(slug="cda-2025").current_version()
    pages = {index: (number, source) for index, number, source in version.pages}
    assert pages[1] == ("1", "index")  # the unnumbered cover
    assert pages[10] == ("9", "printed")


def test_headings_found_in_a_pdf_make_its_locations():
    match = Document.objects.get(slug="cda-2025").source().find("We passen ons verlofste")
    assert "1.2 Ruimte voor verlof" in match.label


def test_the_shipped_pdfs_are_the_published_files():
    import hashlib

    for document in Document.objects.filter(file__endswith=".pdf"):
        version = document.current_version()
        with version.original.open("rb") as f:
            assert hashlib.sha256(f.read()).hexdigest() == document.sha256


# --- the commands --------------------------------------------------------------------------------


def test_add_document_prints_what_it_extracted(tmp_path):
    path = tmp_path / "testpartij.pdf"
    path.write_bytes(make_pdf(programme_pages(6)))
    out = io.StringIO()
    call_command("add_document", str(path), slug="testpartij-2025", title="Testprogramma", authors="Testpartij",
                 actor=["d66"], status="concept", date="2025-09-01", stdout=out)  # fmt: skip
    printed = out.getvalue()
    assert "pages: 6 (page numbers: 6 printed)" in printed
    assert "headings found: 6" in printed
    assert "furniture lines removed: 12" in printed
    document = Document.objects.get(slug="testpartij-2025")
    assert list(document.actors.values_list("slug", flat=True)) == ["d66"]
    assert document.source().find("Op pagina 4 staat een zin").label == "Hoofdstuk 4 Klimaat · p. 4"


@pytest.mark.skipif(not SHARED_PDF.is_dir(), reason="../shared/sources is not beside this checkout")
@pytest.mark.parametrize(
    "name, pages",
    [("cda-verkiezingsprogramma-2025.pdf", 91), ("d66-verkiezingsprogramma-2025-2030-concept.pdf", 86),
     ("groenlinks-pvda-verkiezingsprogramma-2025-concept.pdf", 169), ("pvv-verkiezingsprogramma-2025.pdf", 41)],
)  # fmt: skip
def test_add_document_adds_each_published_pdf(name, pages):
    out = io.StringIO()
    call_command("add_document", str(SHARED_PDF / name), slug="toegevoegd", title="T", authors="P",
                 actor=["cda"], status="final", date="2025-09-17", stdout=out)  # fmt: skip
    assert f"pages: {pages} (page numbers:" in out.getvalue()
    document = Document.objects.get(slug="toegevoegd")
    printed, quote = next(q for slug, qs in QUOTES.items() for q in qs if FILES[slug] == name)
    assert document.source().find(quote).label.endswith(f"p. {printed}")


FILES = {
    "cda-2025": "cda-verkiezingsprogramma-2025.pdf",
    "d66-programma-2025": "d66-verkiezingsprogramma-2025-2030-concept.pdf",
    "groenlinks-pvda-2025": "groenlinks-pvda-verkiezingsprogramma-2025-concept.pdf",
    "pvv-2025": "pvv-verkiezingsprogramma-2025.pdf",
}


def test_add_document_refuses_a_bad_file_and_stores_nothing(tmp_path):
    path = tmp_path / "kapot.pdf"
    path.write_bytes(b"%PDF-1.4\nniets\n")
    with pytest.raises(CommandError, match="not added"):
        call_command("add_document", str(path), slug="kapot", title="K", authors="K", date="2025-01-01")
    assert not Document.objects.filter(slug="kapot").exists()


def test_locate_quote_prints_the_location():
    out = io.StringIO()
    call_command("locate_quote", "pvv-2025", "Wij willen 10.000 extra agenten.", stdout=out)
    assert out.getvalue().startswith("2 Veiligheid · p. 11")


def test_locate_quote_shows_the_closest_passage_and_fails_when_not_found():
    with pytest.raises(CommandError, match="Closest passage: .*10.000 extra agenten"):
        call_command(
            "locate_quote", "pvv-2025", "met name in probleemwijken. Wij willen 20.000 extra agenten."
        )


# --- bad input: a clear message, nothing stored --------------------------------------------------


def _refused(name, data, message):
    with pytest.raises(ExtractionError, match=message):
        add_document(
            name, data, slug="slecht", title="Slecht", authors="X", kind="programme", date="2025-01-01"
        )
    assert not Document.objects.filter(slug="slecht").exists()


def test_a_file_that_is_not_what_its_name_says_is_refused():
    _refused("programma.pdf", b"Dit is gewoon tekst.", "geen PDF")
    _refused("programma.txt", make_pdf(programme_pages(2)), "is een PDF")


def test_a_truncated_pdf_is_refused():
    data = make_pdf(programme_pages(3))
    _refused("afgebroken.pdf", data[: len(data) // 2], "afgebroken of beschadigd")


def test_a_corrupt_pdf_is_refused():
    data = make_pdf(programme_pages(3)).replace(b"/Type /Pages", b"/Type /Xyz")
    _refused("kapot.pdf", data.replace(b"xref", b"xerf"), "beschadigd|geen pagina")


def test_a_scanned_pdf_without_a_text_layer_is_refused():
    _refused("scan.pdf", make_pdf([[] for _ in range(5)]), "tekstlaag")


def test_a_pdf_that_needs_a_password_is_refused():
    _refused("geheim.pdf", encrypt(make_pdf(programme_pages(3)), "geheim"), "wachtwoord")


def test_a_pdf_encrypted_with_an_empty_password_is_read_normally():
    extraction = extract("open.pdf", encrypt(make_pdf(programme_pages(3)), ""))
    assert any("Op pagina 2 staat een zin" in line.text for line in extraction.lines)


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.DOCUMENT_MAX_BYTES = 1024
    _refused("groot.txt", b"Een zin. " * 200, "groter dan")


def test_a_pdf_bomb_with_a_huge_page_count_is_refused(settings):
    settings.DOCUMENT_MAX_PAGES = 50
    _refused("bom.pdf", make_pdf([["x"]] * 60), "meer dan we verwerken")


def test_a_pdf_decompression_bomb_is_refused():
    # pypdf stops inflating a stream past 75 MB; the refusal must be a message, not a 500.
    _refused("zip.pdf", make_pdf(programme_pages(3), bomb=100_000_000), "beschadigd|verdacht")


def test_html_with_scripts_is_refused():
    _refused("pagina.html", b"<h1>Programma</h1><p>Tekst</p><script>alert(1)</script>", "scripts")
    _refused("pagina.html", b'<p onclick="steal()">Tekst</p>', "scripts")


def test_a_text_file_that_is_not_utf8_is_refused():
    _refused("latin.txt", "Één zin in Latin-1.".encode("latin-1"), "UTF-8")


def test_html_and_markdown_become_headed_text():
    html = extract(
        "p.html", b"<h1>Wonen</h1><p>We bouwen meer&nbsp;huizen.</p><h2>Huur</h2><p>Lagere huur.</p>"
    )
    assert [(ln.heading, ln.text) for ln in html.headings] == [(1, "Wonen"), (2, "Huur")]
    md = extract("p.md", b"# Wonen\n\nWe bouwen **meer** huizen.\n\n## Huur\n\n- Lagere huur.\n")
    body = [ln for ln in md.lines if ln.text == "Lagere huur."]
    assert body and body[0].label == "Wonen › Huur › punt 1"


# --- a new version ------------------------------------------------------------------------------


def test_a_new_version_relocates_surviving_quotes_and_flags_lost_ones(election, reviewer):
    from positions import published

    concept = make_pdf(programme_pages(4))
    document, _ = add_document("concept.pdf", concept, slug="testpartij", title="T", authors="T",
                               kind="programme", status="concept", date="2025-08-01")  # fmt: skip
    position = Position.objects.filter(statement__election=election, actor__slug="d66").first()
    kept = Citation.objects.create(
        position=position, document=document, quote="Op pagina 3 staat een zin", order=8
    )
    kept.locate()
    kept.save()
    lost = Citation.objects.create(
        position=position, document=document, quote="Op pagina 4 staat een zin", order=9
    )
    lost.locate()
    lost.save()
    position.review_status = Position.Review.REVIEWED
    position.save()
    before = published.get(election.slug)
    old_version = document.current_version()

    final_pages = programme_pages(4)
    final_pages.insert(0, ["Testpartij Verkiezingsprogramma 2025", "Voorwoord", "Een nieuwe eerste pagina met tekst.",
                           "En nog een zin.", "Nog een derde zin.", "De vierde.", "1"])  # fmt: skip
    final_pages[4][2] = "Deze zin is in de definitieve versie herschreven."
    for n, page in enumerate(final_pages[1:], 2):
        page[-1] = str(n)
    version, report = add_version(
        document, "definitief.pdf", make_pdf(final_pages), status="final", by=reviewer
    )

    assert report.moved == [kept] and report.lost == [lost]
    kept.refresh_from_db()
    assert kept.location == "Hoofdstuk 3 Onderwijs · p. 4" and kept.version == version
    lost.refresh_from_db()
    assert lost.version == old_version and not lost.is_verified()
    position.refresh_from_db()
    assert position.review_status == Position.Review.UNREVIEWED
    assert document.versions.count() == 2 and document.status == "final"
    # Citizens still see what was published; nothing new can be published until re-approved.
    published.forget()
    assert published.get(election.slug).publication == before.publication
    from positions.quality import publication_problems

    assert any("niet (meer) gevonden" in p for p in publication_problems(election))


@pytest.mark.parametrize(
    "slug, quote, label",
    [
        ("cda-2025", "We schrappen de nationale CO2-heffing.",
         "6. Plezier in ondernemen, toekomstbestendige economie › 6.4 Duurzame economie › punt 3 · p. 46"),
        ("cda-2025", "De Abortuswet blijft ongewijzigd.", "3. Gezond leven, samen zorgen › 3.9 Medische ethiek › punt 1 · p. 30"),
        ("d66-programma-2025", "Het eigen risico blijft, zodat de zorg toegankelijk",
         "Gezondheid en zorg › 3.2 Zeker van zorg › Van commercie naar de patiënt › punt 2 · p. 33"),
        ("groenlinks-pvda-2025", "We zetten in op hervorming van de begroting", "Europese zaken › punt 6 · p. 91"),
        ("groenlinks-pvda-2025", "De belastingkorting voor kennismigranten",
         "Migratie › Arbeidsmigratie: stoppen met uitbuiting als verdienmodel › punt 3 · p. 99"),
        ("pvv-2025", "Van de PVV mag Schiphol groeien.", "10 Mobiliteit en waterstaat · p. 36"),
    ],
)  # fmt: skip
def test_a_pdf_location_names_the_real_chapter_and_section(slug, quote, label):
    assert Document.objects.get(slug=slug).source().find(quote).label == label


def test_a_subscript_digit_joins_the_word_before_it():
    source = Document.objects.get(slug="pvv-2025").source()
    assert source.find("CO2-heffing afschaffen") is not None
    assert "CO 2" not in source.text


def test_pull_quotes_are_neither_headings_nor_text_twice():
    source = Document.objects.get(slug="groenlinks-pvda-2025").source()
    assert not any(line.heading and line.text[:1] in "“‘" for line in source.lines)
    assert not any("“" in line.label for line in source.lines)
