import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_it_serves_the_published_election_with_a_licence(client, election):
    response = client.get("/data/tk2025.json")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert "CC BY 4.0" in data["licence"]
    assert data["statements"][0]["positions"][0]["stance"]
    assert all(d["sha256"] for d in data["documents"])
    cited = [c for s in data["statements"] for p in s["positions"] for c in p["citations"]]
    assert cited and all(c["location"] for c in cited)


def test_it_equals_the_export_command(client, election, capsys):
    call_command("export_election", "tk2025", "--format", "json")
    assert capsys.readouterr().out.strip() == client.get("/data/tk2025.json").content.decode().strip()


def test_a_draft_election_is_not_served(client, election):
    election.status = "draft"
    election.save()
    assert client.get("/data/tk2025.json").status_code == 404
