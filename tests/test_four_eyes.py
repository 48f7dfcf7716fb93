"""Four eyes: nobody approves a change of their own, however it was made (admin, later edits, imports)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from positions.models import Position
from tests.conftest import CONTENT_FILE, make_user

pytestmark = pytest.mark.django_db


def position_in(election):
    return Position.objects.filter(statement__election=election, stance="agree").first()


def edit(position, user, text):
    position.explanation_nl = text
    position.mark_changed(user)
    position._history_user = user
    position.save()


def test_a_reviewer_cannot_approve_a_change_of_theirs_after_someone_else_edited_it(
    election, reviewer, second_reviewer
):
    position = position_in(election)
    edit(position, reviewer, "A verandert het standpunt")
    edit(position, second_reviewer, "B verbetert een tikfout")
    with pytest.raises(ValidationError):
        position.approve(reviewer)
    with pytest.raises(ValidationError):
        position.approve(second_reviewer)
    position.approve(make_user("derde", "Eindredactie"))
    assert position.review_status == Position.Review.REVIEWED


def test_after_an_approval_only_later_changes_count(election, reviewer, second_reviewer):
    position = position_in(election)
    edit(position, reviewer, "A")
    position.approve(second_reviewer)
    position.save()
    edit(position, second_reviewer, "B")
    position.approve(reviewer)  # A's earlier change was reviewed by B; B's change is reviewed by A


def test_the_admin_refuses_the_a_b_a_sequence_and_records_each_reviewer(
    client, election, reviewer, second_reviewer
):
    first, second = Position.objects.filter(statement__election=election, stance="agree")[:2]
    for position in (first, second):
        edit(position, reviewer, "A")
        edit(position, second_reviewer, "B")
    client.force_login(reviewer)
    ids = [first.pk, second.pk]
    client.post("/admin/positions/position/", {"action": "approve", "_selected_action": ids})
    assert not Position.objects.filter(pk__in=ids, review_status="reviewed").exists()

    third = make_user("derde", "Eindredactie")
    client.force_login(third)
    client.post("/admin/positions/position/", {"action": "approve", "_selected_action": ids})
    for position in Position.objects.filter(pk__in=ids):
        assert position.review_status == "reviewed" and position.reviewed_by == third
        assert position.history.first().history_user == third  # the approval is in each one's history


def test_a_content_file_load_is_by_the_user_who_loaded_it(election, reviewer):
    position = position_in(election)
    position.explanation_nl = "anders dan in het bestand"
    position.save()
    call_command("load_election", str(CONTENT_FILE), "--by", reviewer.username, verbosity=0)
    position.refresh_from_db()
    assert position.changed_by == reviewer
    position.mark_changed(position.changed_by)
    with pytest.raises(ValidationError):
        position.approve(reviewer)


def test_without_a_named_user_a_content_file_load_is_by_import(election):
    assert set(Position.objects.values_list("changed_by__username", flat=True)) == {"import"}
