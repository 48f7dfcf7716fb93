"""End-to-end: a teacher and three students in separate browser contexts."""

import re

import pytest

from tests.browser import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lesson_with_a_teacher_and_three_students(site, page_factory):
    url, snapshot = site
    teacher = page_factory()
    teacher.goto(url + "/klas/nieuw/")
    teacher.get_by_role("button", name="Maak de klassessie").click()
    teacher.get_by_role("heading", name="Je klassessie staat klaar").wait_for()
    assert teacher.locator(".qr svg").count() == 1
    code = teacher.locator(".join-code strong").text_content().strip()
    dashboard_url = teacher.locator("#dashboard-url").input_value()
    assert axe_violations(teacher) == []
    teacher.goto(dashboard_url)
    teacher.evaluate("window.__sameDocument = true")
    assert axe_violations(teacher) == []

    total = len(snapshot.statements)
    for i in range(3):
        student = page_factory()
        student.goto(url + "/klas/")
        student.get_by_label("Code van je klas").fill(code.lower())
        student.get_by_role("button", name="Doe mee").click()
        student.wait_for_url(f"**/klas/{code}/stelling/1/")
        for number in range(1, total + 1):
            student.get_by_role("heading", level=1, name=snapshot.statement(number).text).wait_for()
            student.get_by_role("button", name="Eens" if i < 2 else "Oneens", exact=True).click()
        student.wait_for_url(f"**/klas/{code}/uitslag/")
        student.get_by_role("heading", name="Jij en de klas").wait_for()

    # The dashboard polls: it shows the three students and the split without a reload.
    teacher.locator("#live .counts").filter(has_text=re.compile(r"3\s+meegedaan")).wait_for(timeout=15000)
    teacher.locator(".split-count").filter(has_text="2 (66,7%)").first.wait_for(timeout=15000)
    assert teacher.evaluate("window.__sameDocument") is True
    assert teacher.csp_errors == []

    # Discussion mode shows the quotes on request.
    teacher.get_by_role("link", name="Bespreken, stelling voor stelling").click()
    teacher.get_by_role("link", name="Toon wat de partijen zeggen").click()
    assert teacher.locator("blockquote").count() >= 1
    assert axe_violations(teacher) == []

    # Closing stops answers.
    teacher.goto(dashboard_url)
    teacher.get_by_role("button", name=re.compile("Sluit de sessie")).click()
    late = page_factory()
    late.goto(url + "/klas/")
    late.get_by_label("Code van je klas").fill(code)
    late.get_by_role("button", name="Doe mee").click()
    # To someone who never joined, a closed session looks like an unknown code.
    late.get_by_text("Deze code kennen we niet, of de sessie is al gesloten").wait_for()
    assert teacher.locator("#live[data-hx-trigger]").count() == 0


def open_class(url, page, statements=(1, 2)):
    page.goto(url + "/klas/nieuw/")
    for number in statements:
        page.locator(f'input[name="statements"][value="{number}"]').check()
    page.get_by_role("button", name="Maak de klassessie").click()
    code = page.locator(".join-code strong").text_content().strip()
    return code, page.locator("#dashboard-url").input_value()


def join_and_answer(url, page_factory, code, answer, **options):
    student = page_factory(**options)
    student.goto(url + f"/klas/{code}/")
    student.get_by_role("button", name="Doe mee").click()
    student.wait_for_url(f"**/klas/{code}/stelling/1/")
    student.get_by_role("button", name=answer, exact=True).click()
    student.wait_for_url(f"**/klas/{code}/stelling/2/")
    return student


def test_the_dashboard_changes_only_in_batches_of_three(site, page_factory):
    url, snapshot = site
    teacher = page_factory()
    code, dashboard_url = open_class(url, teacher)
    teacher.goto(dashboard_url)
    first = teacher.locator("#live .splits > li").first
    for answer in ("Eens", "Eens", "Oneens"):
        join_and_answer(url, page_factory, code, answer)
    first.locator(".split-count").filter(has_text="2 (66,7%)").wait_for(timeout=15000)
    # Everything but the count of students who joined: joining shows no opinion.
    totals = "() => [...document.querySelectorAll('#live > :not(.counts)')].map(e => e.outerHTML).join('')"
    shown = teacher.evaluate(totals)
    join_and_answer(url, page_factory, code, "Oneens")  # a fourth student, watched by the teacher
    with teacher.expect_response(lambda r: "/stand/" in r.url):  # a poll after the tap…
        pass
    with teacher.expect_response(lambda r: "/stand/" in r.url):
        pass
    assert teacher.evaluate(totals) == shown  # …shows nothing new
    join_and_answer(url, page_factory, code, "Oneens")
    join_and_answer(url, page_factory, code, "Eens")  # the third new answer: the batch appears
    first.locator(".split-count").filter(has_text="3 (50,0%)").first.wait_for(timeout=15000)
    assert teacher.csp_errors == []


def test_a_student_sees_that_the_session_closed_on_the_next_tap(site, page_factory):
    url, snapshot = site
    teacher = page_factory()
    code, dashboard_url = open_class(url, teacher)
    student = join_and_answer(url, page_factory, code, "Eens")
    teacher.goto(dashboard_url)
    teacher.get_by_role("button", name=re.compile("Sluit de sessie")).click()
    teacher.get_by_role("status").filter(has_text="Deze sessie is gesloten").wait_for()
    student.get_by_role("button", name="Oneens", exact=True).click()
    student.get_by_role("heading", level=1, name="Deze klassessie is gesloten").wait_for()
    assert student.get_by_role("button", name="Oneens", exact=True).count() == 0
    # Deleting asks first.
    teacher.get_by_role("link", name="Verwijder de sessie nu").click()
    teacher.get_by_role("button", name="Ja, verwijder de sessie").wait_for()
    assert axe_violations(teacher) == []


def test_the_classroom_pages_reflow_at_320_pixels_with_thirty_parties(site, page_factory):
    from tests.many_parties import publish_thirty_parties

    url, _ = site
    publish_thirty_parties()
    teacher = page_factory(viewport={"width": 320, "height": 640})
    code, dashboard_url = open_class(url, teacher)
    for _ in range(3):
        join_and_answer(url, page_factory, code, "Eens")
    student = join_and_answer(url, page_factory, code, "Oneens", viewport={"width": 320, "height": 640})
    for page, path in [
        (teacher, "/klas/"),
        (teacher, "/klas/nieuw/"),
        (teacher, dashboard_url),
        (teacher, dashboard_url + "bespreken/1/?standpunten=1"),
        (teacher, dashboard_url + "verwijderen/"),
        (student, f"/klas/{code}/stelling/2/"),
        (student, f"/klas/{code}/uitslag/"),
    ]:
        page.goto(path if path.startswith("http") else url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{path} is {width} px wide at 320 px"
    teacher.goto(dashboard_url)
    assert teacher.locator(".best li:visible").count() == 10


@pytest.mark.parametrize("viewport", [{"width": 1920, "height": 1080}, {"width": 1280, "height": 720}])
def test_the_projector_shows_each_statement_without_scrolling(site, page_factory, viewport):
    url, snapshot = site
    teacher = page_factory(viewport=viewport)
    _, dashboard_url = open_class(url, teacher, statements=[s.number for s in snapshot.statements])
    for place in range(1, len(snapshot.statements) + 1):
        teacher.goto(dashboard_url + f"bespreken/{place}/")
        bottom = teacher.locator(".step-nav").bounding_box()
        assert bottom["y"] + bottom["height"] <= viewport["height"], f"statement {place} needs scrolling"
        size = teacher.evaluate("parseFloat(getComputedStyle(document.querySelector('main')).fontSize)")
        assert size >= 20  # readable from the back of a classroom
