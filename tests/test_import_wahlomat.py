import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from positions.models import Election, Position
from positions.wahlomat import unquote

pytestmark = pytest.mark.django_db
FIXTURE = Path(__file__).parent / "fixtures" / "wahlomat"


def test_it_imports_statements_parties_and_positions_with_comments():
    call_command("import_wahlomat", str(FIXTURE), "--slug", "beispielland-2026")
    election = Election.objects.get(slug="beispielland-2026")
    assert election.status == "draft" and str(election.date) == "2026-03-08"
    assert election.statements.count() == 3 and election.actors.count() == 2
    a_speed = Position.objects.get(actor__name="Partei A", statement__order=1)
    assert a_speed.stance == "agree" and a_speed.explanation_nl == "Ein Tempolimit rettet Leben."
    assert Position.objects.get(actor__name="Partei B", statement__order=1).stance == "disagree"
    assert Position.objects.get(actor__name="Partei A", statement__order=3).stance == "neutral"
    assert Position.objects.get(actor__name="Partei A", statement__order=2).explanation_nl == ""
    assert not Position.objects.filter(statement__election=election, citations__isnull=False).exists()


def test_importing_twice_replaces_rather_than_duplicates():
    call_command("import_wahlomat", str(FIXTURE), "--slug", "beispielland-2026")
    call_command("import_wahlomat", str(FIXTURE), "--slug", "beispielland-2026")
    assert Election.objects.get(slug="beispielland-2026").statements.count() == 3


def test_it_refuses_an_unknown_answer_and_imports_nothing(tmp_path):
    for f in FIXTURE.iterdir():
        (tmp_path / f.name).write_text(f.read_text())
    opinions = json.loads((tmp_path / "opinion.json").read_text())
    opinions[-1]["answer"] = 7
    (tmp_path / "opinion.json").write_text(json.dumps(opinions))
    with pytest.raises(CommandError, match="onbekend antwoord"):
        call_command("import_wahlomat", str(tmp_path), "--slug", "kapot")
    assert not Election.objects.filter(slug="kapot").exists()


def test_unquote_strips_the_literal_quotes_and_empty_means_none():
    assert unquote('"Ja."') == "Ja."
    assert unquote('""') == ""
