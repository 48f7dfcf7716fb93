import csv
import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from stemwijzer.classroom.models import CODE_ALPHABET, ClassAnswer, ClassSession, Participant

pytestmark = pytest.mark.django_db


def open_session(client, snapshot, statements=()):
    response = client.post("/klas/nieuw/", {"election": snapshot.slug, "statements": list(statements)})
    assert response.status_code == 200
    html = response.content.decode()
    token = re.search(r"/klas/leraar/([^/]+)/", html)[1]
    return ClassSession.objects.latest("created_at"), token, html


def join(snapshot, session):
    student = Client()
    response = student.post("/klas/", {"code": session.code.lower()})
    assert response.status_code == 303 and response["Location"] == f"/klas/{session.code}/stelling/1/"
    return student


def answer(student, session, place, value):
    return student.post(f"/klas/{session.code}/stelling/{place}/", {"answer": value})


def test_a_teacher_gets_a_code_qr_and_a_secret_link_shown_once(client, snapshot):
    session, token, html = open_session(client, snapshot)
    assert len(session.code) == 6 and set(session.code) <= set(CODE_ALPHABET)
    assert "<svg" in html and "Bewaar deze link" in html
    assert token not in session.secret_hash and len(token) >= 40
    assert "no-store" in client.post("/klas/nieuw/", {"election": snapshot.slug})["Cache-Control"]


def test_a_subset_of_statements_can_be_chosen(client, snapshot):
    session, _, _ = open_session(client, snapshot, [1])
    assert session.statements == [1]


def test_students_join_by_code_anonymously_and_answer(client, snapshot):
    session, token, _ = open_session(client, snapshot)
    student = join(snapshot, session)
    assert "Stelling 1 van" in student.get(f"/klas/{session.code}/stelling/1/").content.decode()
    assert answer(student, session, 1, "agree").status_code == 303
    assert ClassAnswer.objects.get().answer == "agree"


def test_the_qr_link_lets_a_student_join_with_one_button(client, snapshot):
    session, _, _ = open_session(client, snapshot)
    student = Client()
    assert "Doe mee" in student.get(f"/klas/{session.code}/").content.decode()
    assert student.post(f"/klas/{session.code}/").status_code == 303
    assert Participant.objects.count() == 1


def test_a_student_who_submits_twice_is_counted_once_with_the_last_answer(client, snapshot):
    session, _, _ = open_session(client, snapshot)
    student = join(snapshot, session)
    answer(student, session, 1, "agree")
    answer(student, session, 1, "disagree")
    student.post(f"/klas/{session.code}/")  # rejoining (reload, back) keeps the same participant
    assert Participant.objects.count() == 1
    assert list(ClassAnswer.objects.values_list("answer", flat=True)) == ["disagree"]


def test_the_dashboard_shows_nothing_for_a_statement_until_three_students_answered(client, snapshot):
    session, token, _ = open_session(client, snapshot)
    students = [join(snapshot, session) for _ in range(3)]
    answer(students[0], session, 1, "agree")
    answer(students[1], session, 1, "disagree")
    html = client.get(f"/klas/leraar/{token}/stand/", HTTP_HX_REQUEST="true").content.decode()
    assert "Nog te weinig antwoorden" in html and "<html" not in html
    answer(students[2], session, 1, "agree")
    html = client.get(f"/klas/leraar/{token}/stand/", HTTP_HX_REQUEST="true").content.decode()
    assert "2 (66,7%)" in html and "1 (33,3%)" in html
    assert "<strong>3</strong> meegedaan" in html
    assert 'data-hx-trigger="every 3s"' in html


def live(client, token):
    return client.get(f"/klas/leraar/{token}/stand/", HTTP_HX_REQUEST="true").content.decode()


def test_one_extra_answer_never_changes_what_the_dashboard_shows(client, snapshot):
    session, token, _ = open_session(client, snapshot, [1, 2])
    students = [join(snapshot, session) for _ in range(6)]
    for student, value in zip(students[:3], ("agree", "agree", "disagree"), strict=True):
        answer(student, session, 1, value)
    shown = live(client, token)
    assert "2 (66,7%)" in shown and "1 (33,3%)" in shown
    # One more answer, then a changed one, then a second new one: each alone would single a student out.
    answer(students[3], session, 1, "disagree")
    assert live(client, token) == shown
    answer(students[0], session, 1, "disagree")
    assert live(client, token) == shown
    answer(students[4], session, 2, "neutral")  # nor does a first answer on another statement
    assert live(client, token) == shown
    discussion = client.get(f"/klas/leraar/{token}/bespreken/1/").content.decode()
    assert "2 (66,7%)" in discussion
    # The third new or changed answer on statement 1 publishes the batch.
    answer(students[5], session, 1, "agree")
    after = live(client, token)
    assert after != shown and "3 (60,0%)" in after and "5 antwoorden" in after


def test_a_student_whose_session_closed_is_told_so_on_the_next_tap(client, snapshot):
    session, token, _ = open_session(client, snapshot)
    student = join(snapshot, session)
    client.post(f"/klas/leraar/{token}/sluiten/")
    response = student.post(f"/klas/{session.code}/stelling/1/", {"answer": "agree"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 409 and "Deze klassessie is gesloten" in response.content.decode()
    page = student.get(f"/klas/{session.code}/stelling/1/").content.decode()
    assert "Deze klassessie is gesloten" in page and 'name="answer"' not in page
    assert "Deze sessie is gesloten" in client.get(f"/klas/leraar/{token}/").content.decode()


def test_deleting_asks_for_confirmation_first(client, snapshot):
    session, token, _ = open_session(client, snapshot)
    page = client.get(f"/klas/leraar/{token}/verwijderen/").content.decode()
    assert "Ja, verwijder de sessie" in page and ClassSession.objects.exists()
    assert (
        f'action="/klas/leraar/{token}/verwijderen/"'
        not in client.get(f"/klas/leraar/{token}/").content.decode()
    )


def test_the_export_speaks_english_on_english_pages(client, snapshot):
    session, token, _ = open_session(client, snapshot)
    rows = list(csv.reader(io.StringIO(client.get(f"/en/klas/leraar/{token}/klas.csv").content.decode())))
    assert rows[0] == ["no.", "statement", "agree", "neither", "disagree", "skipped", "answers"]


def test_closing_stops_answers_and_polling(client, snapshot):
    session, token, _ = open_session(client, snapshot)
    student = join(snapshot, session)
    client.post(f"/klas/leraar/{token}/sluiten/")
    response = answer(student, session, 1, "agree")
    assert response.status_code == 409 and "gesloten" in response.content.decode()
    assert not ClassAnswer.objects.exists()
    assert (
        "data-hx-trigger"
        not in client.get(f"/klas/leraar/{token}/stand/", HTTP_HX_REQUEST="true").content.decode()
    )
    assert "gesloten" in student.post("/klas/", {"code": session.code}).content.decode()  # joined before
    stranger = Client().post("/klas/", {"code": session.code}).content.decode()
    assert "kennen we niet, of de sessie is al gesloten" in stranger  # looks like an unknown code


def test_a_wrong_or_unknown_token_gets_a_404(client, snapshot):
    open_session(client, snapshot)
    assert client.get("/klas/leraar/geraden/").status_code == 404


def test_an_unknown_code_gets_a_clear_form_error(client, snapshot):
    response = Client().post("/klas/", {"code": "XXXXXX"})
    assert response.status_code == 200 and "Deze code kennen we niet" in response.content.decode()
    assert "zes tekens" in Client().post("/klas/", {"code": "ab"}).content.decode()


def test_code_guessing_is_limited_per_address_but_correct_joins_never_count(client, snapshot, settings):
    settings.CLASSROOM_JOIN_FAILURES = 3
    session, _, _ = open_session(client, snapshot)
    guesser = Client(REMOTE_ADDR="10.1.1.1")
    for _ in range(30):  # a whole school behind one address joins without trouble
        assert Client(REMOTE_ADDR="10.9.9.9").post("/klas/", {"code": session.code}).status_code == 303
    for _ in range(3):
        guesser.post("/klas/", {"code": "ZZZZZZ"})
    response = guesser.post("/klas/", {"code": session.code})
    assert response.status_code == 429 and "Te veel onjuiste codes" in response.content.decode()


def test_discussion_mode_shows_the_split_and_on_request_the_quotes(client, snapshot):
    session, token, _ = open_session(client, snapshot)
    html = client.get(f"/klas/leraar/{token}/bespreken/1/").content.decode()
    assert snapshot.statement(1).text in html and "Toon wat de partijen zeggen" in html
    html = client.get(f"/klas/leraar/{token}/bespreken/1/?standpunten=1").content.decode()
    quote = next(c.quote for p in snapshot.statement(1).positions.values() for c in p.citations)
    assert quote[:40] in html


def test_the_export_holds_aggregates_only(client, snapshot):
    session, token, _ = open_session(client, snapshot)
    for value in ("agree", "agree", "neutral"):
        answer(join(snapshot, session), session, 1, value)
    rows = list(csv.reader(io.StringIO(client.get(f"/klas/leraar/{token}/klas.csv").content.decode())))
    assert rows[0][:3] == ["nr", "stelling", "eens"]
    assert rows[1][2:7] == ["2", "1", "0", "0", "3"]


def test_a_student_sees_their_own_result_and_the_class(client, snapshot):
    session, _, _ = open_session(client, snapshot)
    student = join(snapshot, session)
    answer(student, session, 1, "agree")
    html = student.get(f"/klas/{session.code}/uitslag/").content.decode()
    assert "Jij en de klas" in html and 'class="percent"' in html


def test_deleting_now_removes_everything(client, snapshot):
    session, token, _ = open_session(client, snapshot)
    answer(join(snapshot, session), session, 1, "agree")
    assert client.post(f"/klas/leraar/{token}/verwijderen/").status_code == 303
    assert (
        not ClassSession.objects.exists()
        and not Participant.objects.exists()
        and not ClassAnswer.objects.exists()
    )


def test_the_purge_leaves_no_trace_after_the_retention_period(client, snapshot, settings):
    settings.CLASSROOM_RETENTION_DAYS = 7
    session, token, _ = open_session(client, snapshot)
    answer(join(snapshot, session), session, 1, "agree")
    client.post(f"/klas/leraar/{token}/sluiten/")
    call_command("purge_classrooms", verbosity=0)
    assert ClassSession.objects.exists()  # still within the retention period
    ClassSession.objects.update(closed_at=timezone.now() - timedelta(days=8))
    call_command("purge_classrooms", verbosity=0)
    assert (
        not ClassSession.objects.exists()
        and not Participant.objects.exists()
        and not ClassAnswer.objects.exists()
    )


def test_a_session_never_closed_is_purged_too(client, snapshot):
    open_session(client, snapshot)
    ClassSession.objects.update(created_at=timezone.now() - timedelta(days=9))
    call_command("purge_classrooms", verbosity=0)
    assert not ClassSession.objects.exists()


def test_answer_as_a_party_assigns_parties_in_turn_and_shows_how_close_a_student_came(client, snapshot):
    response = client.post(
        "/klas/nieuw/", {"election": snapshot.slug, "statements": [1, 2], "as_party": "on"}
    )
    session = ClassSession.objects.latest("created_at")
    assert session.as_party and response.status_code == 200
    students = [join(snapshot, session) for _ in range(len(snapshot.parties) + 1)]
    parties = list(Participant.objects.order_by("joined_at").values_list("party", flat=True))
    assert parties == [p.slug for p in snapshot.parties] + [snapshot.parties[0].slug]
    first = snapshot.parties[0]
    page = students[0].get(f"/klas/{session.code}/stelling/1/").content.decode()
    assert f"Antwoord als {first.name}" in page
    for citation in snapshot.statement(1).positions[first.slug].citations:
        assert citation.quote[:40] in page
    stance = snapshot.statement(1).positions[first.slug].stance
    answer(students[0], session, 1, stance if stance != "no_position_found" else "skip")
    answer(
        students[0],
        session,
        2,
        "skip" if snapshot.statement(2).positions[first.slug].stance != "no_position_found" else "agree",
    )
    result = students[0].get(f"/klas/{session.code}/uitslag/").content.decode()
    assert f"Je koos bij 1 van de 2 stellingen wat {first.name} zelf zegt." in result


def test_an_ordinary_session_assigns_no_party(client, snapshot):
    session, _, _ = open_session(client, snapshot)
    student = join(snapshot, session)
    assert Participant.objects.get().party == ""
    page = student.get(f"/klas/{session.code}/stelling/1/").content.decode()
    assert "Stelling 1 van" in page and "Antwoord als" not in page
