import pytest

pytestmark = pytest.mark.django_db


def search(client, q):
    return client.get("/admin/positions/document/zoeken/", {"q": q}).content.decode()


def test_it_finds_a_phrase_across_a_line_break_forgiving_case_and_quotes(client, editor, election):
    client.force_login(editor)
    html = search(client, "EERLIJKE prijs ontvangen voor hun product")
    assert "Onze fysieke leefomgeving" in html
    assert "Gebruik als citaat" in html


def test_it_forgives_accents_and_quote_styles(client, editor, election):
    client.force_login(editor)
    # The source has "risico’s" (curly apostrophe) and "één"; the query has neither.
    html = search(client, "een van de grootste risico's voor gepensioneerden")
    assert "Inflatierisico is één van de grootste risico’s voor gepensioneerden" in html
    assert "wél" in search(client, "kan het wel")


def test_gebruik_als_citaat_prefills_a_citation(client, editor, election):
    client.force_login(editor)
    html = search(client, "eerlijke prijs ontvangen voor hun product")
    link = html.split('href="/admin/positions/citation/add/?')[1].split('"')[0].replace("&amp;", "&")
    form = client.get("/admin/positions/citation/add/?" + link).content.decode()
    assert "eerlijke prijs ontvangen voor hun product" in form


def test_an_empty_or_hostile_query_is_harmless(client, editor, election):
    client.force_login(editor)
    assert client.get("/admin/positions/document/zoeken/", {"q": "' OR 1=1 --"}).status_code == 200
    assert client.get("/admin/positions/document/zoeken/", {"q": "<script>x</script>"}).status_code == 200
    assert "<script>x</script>" not in search(client, "<script>x</script>")
