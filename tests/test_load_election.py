import copy

import pytest
import yaml
from django.core.management import CommandError, call_command

from positions.contentfile import ContentError, read_file
from positions.exporting import dump_yaml, export_election
from positions.loading import load_election
from positions.models import Citation, Election, Position, Statement
from tests.conftest import CONTENT_FILE

pytestmark = pytest.mark.django_db


def shipped():
    return read_file(CONTENT_FILE)


def first_cited(data):
    """The first statement and position in the file that has a citation."""
    for statement in data["statements"]:
        for position in statement["positions"]:
            if position["citations"]:
                return statement, position
    raise AssertionError("the shipped file has no citation")


def test_loading_the_shipped_file_again_changes_nothing(election):
    _, report = load_election(shipped())
    assert set(report.counts["statements"]) == {"unchanged"}
    assert set(report.counts["positions"]) == {"unchanged"}
    assert set(report.counts["citations"]) == {"unchanged"}


def test_an_unchanged_reload_counts_every_citation_once():
    data = shipped()
    _, report = load_election(data)
    total = sum(len(p.get("citations") or []) for s in data["statements"] for p in s["positions"])
    assert report.counts["citations"]["unchanged"] == total


def test_it_reports_what_it_created_and_updated(election):
    data = shipped()
    data["statements"][0]["text"]["nl"] += " (gewijzigd)"
    _, report = load_election(data)
    assert report.counts["statements"]["updated"] == 1


def test_it_refuses_a_quote_not_in_its_document_naming_statement_and_actor(election):
    data = shipped()
    statement, position = first_cited(data)
    position["citations"][0]["quote"] = position["citations"][0]["quote"][:-2] + "X."
    before = Citation.objects.count()
    with pytest.raises(ContentError) as error:
        load_election(data)
    message = str(error.value)
    assert f"statement {statement['slug']}" in message
    assert f"actor {position['actor']}" in message
    assert "quote not found" in message
    assert Citation.objects.count() == before


def test_it_leaves_nothing_half_loaded_when_a_later_statement_is_bad(db):
    Election.objects.all().delete()
    data = shipped()
    data["statements"][-1]["positions"][0]["stance"] = "maybe"
    with pytest.raises(ContentError, match="stance: Value 'maybe' is not a valid choice"):
        load_election(data)
    assert not Election.objects.exists()
    assert not Statement.objects.exists()


@pytest.mark.parametrize(
    "mutate, problem",
    [
        (lambda d: d["statements"][0].update(theme="onbekend"), "unknown theme"),
        (lambda d: d["statements"][1].update(order=d["statements"][0]["order"]), "used twice"),
        (
            lambda d: d["statements"][0]["positions"].append(
                copy.deepcopy(d["statements"][0]["positions"][0])
            ),
            "more than one position",
        ),
        (lambda d: d["documents"][0].update(sha256="0" * 64), "does not have sha256"),
        (lambda d: d["statements"][0]["text"].pop("en"), r"needs a text in Dutch \(nl\) and English \(en\)"),
        (
            lambda d: d["actors"][0].update(kind="sekte"),
            "actor nsc: kind: Value 'sekte' is not a valid choice",
        ),
        (
            lambda d: d["statements"][0].update(slug="een-" + "heel-" * 12 + "lange-slug"),
            "slug: Ensure this value has at most 50 characters",
        ),
        (lambda d: d["statements"][0].update(slug="Geen slug!"), "slug: Enter a valid “slug”"),
        (
            lambda d: d["statements"][0]["text"].update(nl="woord " * 60),
            "text_nl: Ensure this value has at most 300 characters",
        ),
    ],
)
def test_it_refuses_bad_data_with_a_clear_problem(election, mutate, problem):
    data = shipped()
    mutate(data)
    with pytest.raises(ContentError, match=problem):
        load_election(data)


def test_it_refuses_a_citation_from_another_actors_document(election):
    data = shipped()
    _, position = first_cited(data)
    foreign = next(
        d["slug"]
        for d in data["documents"]
        if d["slug"] not in next(a for a in data["actors"] if a["slug"] == position["actor"])["documents"]
    )
    position["citations"][0]["document"] = foreign
    with pytest.raises(ContentError, match="is not one of this actor's sources"):
        load_election(data)


def test_a_stance_needs_a_citation_and_silence_has_none(election):
    data = shipped()
    _, position = first_cited(data)
    position["citations"] = []
    with pytest.raises(ContentError, match="needs at least one verbatim citation"):
        load_election(data)


def test_export_round_trips_unchanged(election):
    exported = dump_yaml(export_election(election))
    load_election(yaml.safe_load(exported))
    assert dump_yaml(export_election(Election.objects.get(pk=election.pk))) == exported


def test_the_shipped_file_is_in_canonical_export_form(election):
    assert CONTENT_FILE.read_text(encoding="utf-8") == dump_yaml(export_election(election))


def test_location_labels_come_from_the_matcher_not_the_file(election):
    data = shipped()
    _, position = first_cited(data)
    position["citations"][0]["location"] = "ergens"
    load_election(data)
    assert not Citation.objects.filter(location="ergens").exists()


def test_the_export_command_writes_yaml_and_json(election, capsys):
    call_command("export_election", "tk2025")
    assert yaml.safe_load(capsys.readouterr().out)["election"]["slug"] == "tk2025"
    call_command("export_election", "tk2025", "--format", "json")
    assert '"licence"' in capsys.readouterr().out


def test_the_export_command_rejects_an_unknown_election(db):
    with pytest.raises(CommandError, match="No election"):
        call_command("export_election", "bestaat-niet")


def test_the_load_command_names_the_problem(election, tmp_path):
    data = shipped()
    data["statements"][0]["theme"] = "onbekend"
    path = tmp_path / "bad.yaml"
    path.write_text(dump_yaml(data), encoding="utf-8")
    with pytest.raises(CommandError, match=f"statement {data['statements'][0]['slug']}: unknown theme"):
        call_command("load_election", str(path))


def test_verify_citations_passes_on_the_shipped_data(election, capsys):
    call_command("verify_citations")
    assert "citations verify" in capsys.readouterr().out


def test_verify_citations_fails_naming_a_citation_altered_by_one_character(election):
    citation = Citation.objects.select_related("position__actor", "position__statement").first()
    Citation.objects.filter(pk=citation.pk).update(quote=citation.quote[:-1] + "#")
    with pytest.raises(CommandError) as error:
        call_command("verify_citations")
    assert f"citation {citation.pk}" in str(error.value)
    assert citation.position.statement.slug in str(error.value)


def test_the_database_enforces_one_position_per_statement_and_actor(election):
    from django.db import IntegrityError, transaction

    position = Position.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Position.objects.create(statement=position.statement, actor=position.actor, stance="agree")


def test_the_database_enforces_valid_stances(election):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Position.objects.filter(pk=Position.objects.first().pk).update(stance="misschien")


def test_roles_reviews_and_the_status_quo_flag_are_loaded_and_exported(election):
    data = export_election(election)
    roles = [c.get("role") for s in data["statements"] for p in s["positions"] for c in p["citations"]]
    assert "differs" in roles and "context" in roles and "support" not in roles  # support: omitted
    assert Citation.objects.filter(role=Citation.Role.DIFFERS).count() == roles.count("differs")
    assert all("review" in p for s in data["statements"] for p in s["positions"])
    position = Position.objects.exclude(reading={}).first()
    assert position.reading["coded_by"] == "redacteur (eerste lezing)"
    assert position.reading["read_on"] == "2026-12-01"
    flagged = [s["slug"] for s in data["statements"] if s.get("status_quo")]
    assert set(flagged) == set(Statement.objects.filter(keeps_status_quo=True).values_list("slug", flat=True))
    assert all(s.get("status_quo", False) in (True, False) for s in data["statements"])
    assert not any("status_quo" in s for s in data["statements"] if s["slug"] not in flagged)


def test_a_stance_backed_only_by_a_differing_citation_is_refused(election):
    data = shipped()
    _, position = first_cited(data)
    for citation in position["citations"]:
        citation["role"] = "differs"
    with pytest.raises(ContentError, match="needs at least one verbatim citation that supports it"):
        load_election(data)


def test_an_unknown_citation_role_and_a_review_with_names_are_refused(election):
    data = shipped()
    _, position = first_cited(data)
    position["citations"][0]["role"] = "maybe"
    position["review"]["editor_name"] = "Jan"
    with pytest.raises(ContentError) as error:
        load_election(data)
    assert "citation role 'maybe' is not one of support, differs, context" in str(error.value)
    assert "review: unknown key 'editor_name'" in str(error.value)


def test_changed_hints_re_extract_the_stored_text_and_move_the_citations(election):
    data = shipped()
    cda = next(d for d in data["documents"] if d["slug"] == "cda-2025")
    cda["hints"] = {}  # back to the generic levels: the chapter is lost from the location
    _, report = load_election(data)
    assert report.counts["documents"]["re-extracted"] == 1
    citation = Citation.objects.filter(document__slug="cda-2025").first()
    assert citation.is_verified() and not citation.location.startswith(("1.", "2.", "3.", "4.", "5."))
    load_election(shipped())
    citation.refresh_from_db()
    assert citation.is_verified() and citation.location[0].isdigit()
