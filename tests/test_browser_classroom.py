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
