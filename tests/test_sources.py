"""The quote matcher, tested on real passages of the shipped documents."""

import re

import pytest

from positions.contentfile import read_file, shipped_source
from positions.sources import DOCUMENTS_DIR, fold, normalize_quote
from tests.conftest import CONTENT_FILE

SHIPPED = {d["file"]: d for d in read_file(CONTENT_FILE)["documents"]}


def load_source(name):
    """A shipped text through the generic extraction, with its hints from the content file."""
    return shipped_source(SHIPPED[name])


NSC = "nsc-verkiezingsprogramma-2025-concept.txt"
D66 = "d66-uitvoeringsprogramma-2025-2030-concept.txt"
D66_CDA = "d66-cda-uitnodiging-2025.txt"
COALITION = "coalitieakkoord-2021-2025.txt"
VNG = "vng-reactie-tussenverslag-buma-2025.txt"


def test_it_finds_a_quote_that_crosses_a_page_marker():
    match = load_source(NSC).find(
        "Dat begint ermee dat boeren en tuinders een eerlijke prijs ontvangen voor hun product."
    )
    assert match is not None
    assert match.line_end > match.line_start + 3  # the marker and running header lie in between
    assert match.label == "H11 Onze fysieke leefomgeving › punt 2 · p. 70"


def test_it_finds_a_quote_that_crosses_a_blank_line():
    match = load_source(NSC).find(
        "We grijpen deze kans aan om de samenleving sterker te maken door € 1 miljard te investeren in "
        "een weerbare samenleving."
    )
    assert match is not None
    assert (match.line_start, match.line_end) == (108, 110)


def test_it_treats_a_no_break_space_as_a_space():
    assert load_source(NSC).find("Een vast contract biedt zekerheid op werk en inkomen en een betere toegang")


@pytest.mark.parametrize(
    "name, kept, joined",
    [
        (NSC, "vanzelfspre-kendheid", "vanzelfsprekendheid"),
        (D66_CDA, "voort-gang", "voortgang"),
        (COALITION, "concurrentie-vermogen", "concurrentievermogen"),
        (NSC, "veelzijdig media-aanbod", "veelzijdig mediaaanbod"),
    ],
)
def test_it_accepts_either_join_of_a_line_final_hyphen(name, kept, joined):
    source = load_source(name)
    assert source.find(kept) is not None
    assert source.find(joined) is not None


def test_it_removes_nsc_page_furniture():
    source = load_source(NSC)
    assert "PAGINA" not in source.text
    assert "Zorgen voor zekerheid! De basis moet op orde" not in source.text


def test_it_removes_d66_footers_and_link_leftovers():
    source = load_source(D66)
    assert "https://d66.nl/" not in source.text
    assert "maakt ruimte voor vooruitgang." not in source.text
    assert "Lees hier meer standpunten" not in source.text
    assert source.find("hebben zij niet of in veel mindere mate te maken met terugvorderingen.")
    assert source.find("meer concurrentievermogen. We bouwen huizen voor werknemers")
    assert source.find(
        "bestaande huizen verder te verduurzamen. We investeren in om- en bijscholingstrajecten"
    )
    assert source.find(
        "die zich hun hele leven kunnen blijven ontwikkelen. Met onze inzet voor technologische"
    )


def test_it_strips_markdown_and_html_from_the_vng_text():
    source = load_source(VNG)
    assert "**" not in source.text and "<sub>" not in source.text and "](#)" not in source.text
    assert source.find("VNG-inzet richting TK-verkiezingen - Onze inwoners verdienen beter!")
    assert not any("CO<sub>" in line.text for line in source.lines)


def test_it_keeps_typography_verbatim():
    source = load_source(NSC)
    assert source.find("Inflatierisico is één van de grootste risico’s voor gepensioneerden.")
    assert source.find("Inflatierisico is één van de grootste risico's voor gepensioneerden.") is None


def test_it_resolves_a_repeated_passage_to_its_first_location():
    source = load_source(VNG)
    matches = source.find_all("CO2")
    assert len(matches) > 1
    assert source.find("CO2") == matches[0]


def test_it_labels_an_nsc_item_with_chapter_item_and_page():
    match = load_source(NSC).find(
        "Het Rijk maakt afspraken met provincies en gemeenten over het aantal te bouwen"
    )
    assert match.label == "H2 Oplossen van de wooncrisis › punt 6 · p. 13"


def test_it_labels_an_nsc_hoofdpunt_separately_from_the_numbered_items():
    match = load_source(NSC).find(
        "We gaan voor een flinke vereenvoudiging van ons toeslagen- en belastingstelsel."
    )
    assert match.label == "H1 Bestaanszekerheid › hoofdpunt 3 · p. 6"


def test_the_nsc_page_reconstruction_reproduces_every_marker_and_toc_page():
    raw = (DOCUMENTS_DIR / NSC).read_text(encoding="utf-8").split("\n")
    lines = load_source(NSC).lines
    toc = {
        int(m[1]): int(m[2]) for m in (re.match(r"^(\d+)\.\s+.+?Pagina\s+(\d+)", r) for r in raw[:60]) if m
    }
    assert len(toc) == 14
    body = [ln for ln in lines if not ln.furniture and re.search(r"[a-z]", ln.text)]
    for number, line in enumerate(raw, 1):
        previous = [ln for ln in body if ln.number < number]
        if marker := re.match(r"^CONCEPT-VERKIEZINGSPROGRAMMA 2025   \|  PAGINA  (\d+)$", line):
            if previous:  # the body text before a marker lies on the page before it
                assert previous[-1].page == int(marker[1]) - 1, line
        elif (chapter := re.match(r"^ (\d{1,2})\.\s*[A-Z]*\s*$", line)) and int(chapter[1]) in toc:
            # the divider page (the TOC's number) lies between the previous text and the chapter
            assert previous[-1].page == toc[int(chapter[1])] - 1, line
            assert lines[number - 1].page == toc[int(chapter[1])] + 1


def test_it_labels_the_d66_programme_by_section_and_subheading():
    match = load_source(D66).find(
        "We geven kiezers een noodrem in handen om wetgeving in bijzondere gevallen"
    )
    assert match.label == "1.1 Samen beslissen, samen sterker › Vol voor de liberale democratie › punt 4"


def test_it_labels_the_d66_cda_agenda_by_section_subheading_and_bullet():
    match = load_source(D66_CDA).find("voort-gang")
    assert match.label.startswith(
        "Landbouw, natuur en stikstof › Duidelijke doelen om van het stikstofslot te komen"
    )


def test_it_labels_the_coalition_agreement_by_chapter_and_extract_page():
    source = load_source(COALITION)
    assert max(ln.page or 0 for ln in source.lines) == 48
    match = source.find("concurrentievermogen")
    assert match.label == "5. Welvarend land › Digitalisering · extractpagina 30"


def test_it_labels_the_vng_annex_by_part_and_heading_path():
    match = load_source(VNG).find(
        "De VNG is positief over de koers en de inhoud die de onderhandelaars schetsen."
    )
    assert match.label == "Ledenbrief VNG › Eerste duiding van het verslag"


def test_it_does_not_find_an_altered_quote_but_shows_the_closest_passage():
    source = load_source(NSC)
    altered = "Dat begint ermee dat boeren en tuinders een eerlijke prijs ontvangen voor hun producten."
    assert source.find(altered) is None
    assert "eerlijke prijs ontvangen voor hun product" in source.closest_passage(altered)


def test_it_finds_nothing_for_an_empty_quote():
    assert load_source(NSC).find("   ") is None


def test_normalize_quote_collapses_every_kind_of_whitespace():
    assert normalize_quote(" a\u00a0\tb \n\n c ") == "a b c"


def test_fold_forgives_case_accents_and_quote_styles():
    assert fold("Wél ‘Quote’ – “É”") == "wel 'quote' - \"e\""


def test_no_document_has_a_layout_of_its_own_in_python():
    from positions import extraction, sources

    assert [name for name in dir(sources) if name.endswith("_layout")] == []
    assert [name for name in dir(extraction) if name.endswith("layout")] == ["layout", "text_layout"]


def test_nsc_pages_that_start_mid_chapter_are_counted():
    lines = {line.number: line for line in load_source(NSC).lines}
    assert lines[1727].page == 44 and lines[1783].page == 45
    assert lines[1857 + 2].label.endswith("p. 48")  # chapter 8 opens after its divider page 47


def test_d66_cda_run_in_headings_are_part_of_the_location():
    match = load_source(D66_CDA).find("Door de veel aanpassingen aan het stelsel")
    assert (
        match.label == "Investeren, hervormen en begroting op orde › Hervormingen › De belastingen hervormen"
    )


def test_vng_heading_levels_follow_the_document():
    source = load_source(VNG)
    assert source.line(74).label == "Ledenbrief VNG › Asiel en migratie"
    assert "Gesteund door" not in source.line(370).label
