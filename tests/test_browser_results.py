"""End-to-end: results a citizen can trust, in Chromium (desktop, 390 px phone, 320 px reflow).

The shared walk runs in two browser contexts: someone's share link, opened by a viewer who has
answers of their own, must show the sharer's answers everywhere and never mix in the viewer's.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def set_answers(page, url, snapshot, answers):
    """Give every answer at once through the result page's edit form (the no-JS path's form)."""
    page.goto(url + f"/{snapshot.slug}/uitslag/")
    page.locator("details.change summary").click()
    for statement in snapshot.statements:
        page.locator(f"#s{statement.number}-{answers.get(statement.number, 'skip')}").check()
    page.get_by_role("button", name="Uitslag bijwerken").click()
    page.locator("#announcer").filter(has_text="Uitslag bijgewerkt").wait_for()


def ranking(page):
    rows = page.locator("ol.ranking > li.ranking-row")
    return [
        (
            rows.nth(i).locator(".ranking-name a").text_content(),
            rows.nth(i).locator(".percent").text_content(),
        )
        for i in range(rows.count())
    ]


def like(snapshot, actor):
    return {
        s.number: s.positions[actor].stance if s.positions[actor].stance != "no_position_found" else "skip"
        for s in snapshot.statements
    }


def no_horizontal_scroll(page, width):
    return page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_shared_walk_shows_the_sharers_answers_everywhere_in_another_browser(site, page_factory):
    url, snapshot = site
    sharer = page_factory()
    answers = like(snapshot, "d66")
    answers[1] = "disagree"
    set_answers(sharer, url, snapshot, answers)
    share = sharer.locator("#share-url").input_value()
    mine = ranking(sharer)
    sharer.get_by_role("link", name="D66", exact=True).click()
    sharer_party = sharer.locator("h1").text_content()
    sharer_themes = sharer.locator("#themes-desc").text_content()
    sharer.goto(url + f"/{snapshot.slug}/uitslag/?methode=distance")
    sharer_distance = ranking(sharer)

    viewer = page_factory()
    set_answers(viewer, url, snapshot, {s.number: "disagree" for s in snapshot.statements})
    own = ranking(viewer)
    viewer.goto(share)
    expect(viewer.locator("h1")).to_have_text("Gedeelde uitslag")
    assert viewer.title().startswith("Gedeelde uitslag")
    assert ranking(viewer) == mine != own
    # The party page, its theme chart and every "Jij" are the sharer's.
    viewer.get_by_role("link", name="D66", exact=True).click()
    assert "antwoorden=" in viewer.url
    assert viewer.locator("h1").text_content() == sharer_party
    assert viewer.locator("#themes-desc").text_content() == sharer_themes
    assert viewer.locator("#stelling-1 .compare dd").first.text_content() == "Oneens"
    assert (
        viewer.locator("#stelling-2 .compare dd").first.text_content() != "Oneens" or answers[2] == "disagree"
    )
    # Back to the result and on to the method comparison: still the shared answers.
    viewer.get_by_role("link", name="Terug naar de uitslag").click()
    assert ranking(viewer) == mine
    viewer.get_by_role("link", name=re.compile("Rangschik volgens: Afstand")).click()
    assert "antwoorden=" in viewer.url and "methode=distance" in viewer.url
    assert ranking(viewer) == sharer_distance
    # The viewer's own answers are untouched.
    viewer.goto(url + f"/{snapshot.slug}/uitslag/")
    assert ranking(viewer) == own
    assert viewer.csp_errors == []


def test_one_answer_gives_bars_marked_weinig_gegevens_and_the_top_says_how_robust_it_is(site, page_factory):
    url, snapshot = site
    page = page_factory()
    set_answers(page, url, snapshot, {1: "agree"})
    marks = page.locator("ol.ranking .thin")
    # Every party with a stance on statement 1 has a bar, and every such bar is marked.
    matched = [
        p for p in snapshot.parties if snapshot.statement(1).positions[p.slug].stance != "no_position_found"
    ]
    assert matched and marks.count() == len(matched)
    expect(marks.first).to_be_visible()
    expect(marks.first).to_have_text("weinig gegevens")
    set_answers(page, url, snapshot, like(snapshot, "nsc"))
    assert page.locator("ol.ranking .thin").count() < len(snapshot.parties)
    sentence = page.locator("#robustness")
    expect(sentence).to_be_visible()
    assert re.search(r"stond .+ bovenaan", sentence.text_content())
    assert axe_violations(page) == []


def test_a_thirty_party_election_stays_readable_on_a_phone(site, page_factory):
    from tests.many_parties import publish_thirty_parties

    url, _ = site
    snapshot = publish_thirty_parties()
    page = page_factory(viewport=PHONE)
    page.goto(url + f"/{snapshot.slug}/partijen/")
    assert page.locator('input[name="parties"]').count() == 30
    search = page.get_by_label("Zoek een partij")
    search.fill("arbeid")
    assert page.locator(".party-list li:visible").count() == 1
    search.fill("")
    assert no_horizontal_scroll(page, 390)
    set_answers(page, url, snapshot, {n: "agree" for n in range(1, 16)})
    assert page.locator("ol.ranking > li:visible").count() == 10  # the top ten first…
    page.locator("details.more-parties summary").click()
    assert page.locator("ol.ranking > li:visible").count() == 30  # …and every party one tap away
    assert no_horizontal_scroll(page, 390)
    wrap = page.locator(".table-wrap")
    assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth"), "the method comparison must fit"
    assert axe_violations(page) == []


def test_resume_from_the_start_page_and_wipe_from_a_statement(site, page_factory):
    url, snapshot = site
    page = page_factory()
    page.goto(url + f"/{snapshot.slug}/stelling/1/")
    for number in (1, 2, 3):
        page.get_by_role("heading", level=1, name=snapshot.statement(number).text).wait_for()
        page.get_by_role("button", name="Eens", exact=True).click()
    page.get_by_role("heading", level=1, name=snapshot.statement(4).text).wait_for()
    page.goto(url + "/")
    page.get_by_role("link", name="Ga verder bij stelling 4").click()
    page.get_by_role("heading", level=1, name=snapshot.statement(4).text).wait_for()
    page.get_by_role("link", name="Vorige stelling").click()
    page.get_by_role("heading", level=1, name=snapshot.statement(3).text).wait_for()
    page.get_by_role("link", name=re.compile("Naar de eerste onbeantwoorde stelling")).click()
    page.get_by_role("heading", level=1, name=snapshot.statement(4).text).wait_for()
    page.get_by_role("link", name="Wis mijn antwoorden").click()
    page.get_by_role("heading", level=1, name="Je antwoorden wissen?").wait_for()
    page.get_by_role("button", name="Ja, wis mijn antwoorden").click()
    expect(page.get_by_role("status")).to_have_text("Je antwoorden zijn gewist.")
    assert page.get_by_role("link", name=re.compile("Ga verder bij")).count() == 0


def test_opening_the_party_positions_keeps_the_answers_and_the_focus_in_place(site, page_factory):
    url, snapshot = site
    page = page_factory()
    page.goto(url + f"/{snapshot.slug}/stelling/1/")
    button = page.get_by_role("button", name="Eens", exact=True)
    before = button.bounding_box()["y"]
    link = page.get_by_role("link", name=re.compile("Wat vinden de partijen"))
    link.focus()
    page.keyboard.press("Enter")
    page.locator("#positions-1 .position").first.wait_for()
    expect(link).to_be_focused()
    assert button.bounding_box()["y"] == before


def citizen_pages(snapshot):
    slug = snapshot.slug
    return ["/", "/methode/", "/privacy/", f"/{slug}/stelling/1/", f"/{slug}/stelling/1/standpunten/",
            f"/{slug}/belangrijk/", f"/{slug}/partijen/", f"/{slug}/uitslag/", f"/{slug}/uitslag/nsc/",
            f"/{slug}/uitslag/vng/", f"/{slug}/wis-mijn-antwoorden/", "/bron/vng-2025/", "/bron/nsc-2025/",
            f"/{slug}/stelling/999/", "/klas/", "/klas/nieuw/"]  # fmt: skip


TEXT_SPACING = """* { line-height: 1.5 !important; letter-spacing: .12em !important;
  word-spacing: .16em !important; } p { margin-bottom: 2em !important; }"""


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_every_page_reflows_at_320_pixels_with_targets_and_text_spacing(site, page_factory, prefix):
    url, snapshot = site
    # bypass_csp only so that the test can inject the WCAG 1.4.12 text-spacing style.
    page = page_factory(viewport={"width": 320, "height": 640}, bypass_csp=True)
    set_answers(page, url, snapshot, like(snapshot, "cda"))
    for path in citizen_pages(snapshot):
        page.goto(url + prefix + path)
        assert no_horizontal_scroll(page, 320), f"{path} scrolls sideways at 320 px"
        small = page.evaluate(
            """() => [...document.querySelectorAll('button, input:not([type=hidden]), select, summary,'
                   + ' .step-nav a, .language-switch a, .button')]
                .filter(e => e.offsetParent !== null)
                .map(e => [e.outerHTML.slice(0, 60), e.getBoundingClientRect()])
                .filter(([_, r]) => r.width < 24 || r.height < 24).map(([h]) => h)"""
        )
        assert small == [], f"{path}: targets under 24 px: {small}"
        page.add_style_tag(content=TEXT_SPACING)
        assert no_horizontal_scroll(page, 320), f"{path} scrolls sideways with text spacing"
        clipped = page.evaluate(
            """() => [...document.querySelectorAll('button, .button, summary, label, h1, h2')]
                .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
                .map(e => e.outerHTML.slice(0, 60))"""
        )
        assert clipped == [], f"{path}: text clipped with text spacing: {clipped}"


def test_focus_is_visible_on_every_control(site, page_factory):
    url, snapshot = site
    page = page_factory()
    page.goto(url + f"/{snapshot.slug}/stelling/1/")
    for _ in range(8):
        page.keyboard.press("Tab")
        outline = page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; }"
        )
        assert outline[0] != "none" and outline[1] != "0px", outline
