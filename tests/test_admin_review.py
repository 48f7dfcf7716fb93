import re

import pytest
from django.utils.formats import date_format
from django.utils.timezone import localtime

from positions.models import Election, Position, Publication

pytestmark = pytest.mark.django_db


def change_stance(client, position, stance):
    data = {
        "statement": position.statement_id, "actor": position.actor_id, "stance": stance,
        "explanation_nl": position.explanation_nl, "explanation_en": position.explanation_en,
        "citations-TOTAL_FORMS": 0, "citations-INITIAL_FORMS": 0,
    }  # fmt: skip
    for i, citation in enumerate(position.citations.all()):
        data.update({
            f"citations-{i}-id": citation.pk, f"citations-{i}-position": position.pk,
            f"citations-{i}-document": citation.document_id, f"citations-{i}-quote": citation.quote,
            f"citations-{i}-order": citation.order,
        })  # fmt: skip
        data["citations-TOTAL_FORMS"] = data["citations-INITIAL_FORMS"] = i + 1
    return client.post(f"/admin/positions/position/{position.pk}/change/", data)


def approve(client, position):
    return client.post(
        "/admin/positions/position/", {"action": "approve", "_selected_action": [position.pk]}, follow=True
    )


def agreeing_position():
    return Position.objects.filter(stance="agree", actor__kind="party").first()


def test_a_reviewer_cannot_approve_their_own_change(client, reviewer, election):
    client.force_login(reviewer)
    position = agreeing_position()
    assert change_stance(client, position, "disagree").status_code == 302
    html = approve(client, position).content.decode()
    assert "Je kunt je eigen wijziging niet goedkeuren" in html
    position.refresh_from_db()
    assert position.review_status == "unreviewed"


def test_another_reviewer_can_approve_the_change(client, reviewer, second_reviewer, election):
    position = agreeing_position()
    client.force_login(reviewer)
    change_stance(client, position, "disagree")
    client.force_login(second_reviewer)
    approve(client, position)
    position.refresh_from_db()
    assert position.review_status == "reviewed" and position.reviewed_by == second_reviewer


def test_editors_cannot_approve(client, editor, reviewer, election):
    position = agreeing_position()
    client.force_login(reviewer)
    change_stance(client, position, "neutral")
    client.force_login(editor)
    assert approve(client, position).status_code == 403


def test_publishing_refuses_and_lists_every_problem(client, reviewer, election):
    client.force_login(reviewer)
    position = agreeing_position()
    change_stance(client, position, "disagree")
    html = client.post(f"/admin/positions/election/{election.pk}/publiceren/").content.decode()
    assert "Publiceren geweigerd" in html
    assert "wacht op controle door een tweede persoon" in html


def test_a_change_after_publication_does_not_reach_citizens_until_republished(
    client, reviewer, second_reviewer, election
):
    before = Publication.objects.filter(election=election).count()
    position = agreeing_position()
    client.force_login(reviewer)
    change_stance(client, position, "disagree")
    citizen = client.__class__()
    slug = position.actor.slug
    stance_shown = citizen.get(
        f"/{election.slug}/stelling/{position.statement.order}/standpunten/"
    ).content.decode()
    assert "Eens" in stance_shown  # still the published stance
    client.force_login(second_reviewer)
    approve(client, position)
    response = client.post(f"/admin/positions/election/{election.pk}/publiceren/")
    assert response.status_code == 302
    assert Publication.objects.filter(election=election).count() == before + 1
    latest = Election.objects.get(pk=election.pk).latest_publication().data
    statement = next(s for s in latest["statements"] if s["slug"] == position.statement.slug)
    assert next(p for p in statement["positions"] if p["actor"] == slug)["stance"] == "disagree"


def test_the_history_shows_who_changed_a_stance_and_when(client, reviewer, election):
    client.force_login(reviewer)
    position = agreeing_position()
    change_stance(client, position, "disagree")
    html = client.get(f"/admin/positions/position/{position.pk}/history/").content.decode()
    assert reviewer.username in html
    change = re.search(r"Standpunt:</strong>\s*(\w+)\s*&nbsp;&rarr;&nbsp;&nbsp;(\w+)", html)
    assert change is not None and change.groups() == ("agree", "disagree")
    when = localtime(position.history.first().history_date)
    assert date_format(when, "j F Y H:i") in html


def test_the_coverage_matrix_shows_every_cell_and_flags(client, editor, election):
    client.force_login(editor)
    html = client.get(f"/admin/positions/election/{election.pk}/dekking/").content.decode()
    assert html.count('class="cell stance-') == election.statements.count() * election.actors.count()
    assert "Signalen" in html
