import logging

import pytest

from stemwijzer.logsafety import RedactSecrets, redact


def test_it_hides_teacher_links_join_codes_and_share_links():
    assert redact("GET /klas/leraar/abc-DEF_123/stand/") == "GET /klas/leraar/[verborgen]/stand/"
    assert redact("Not Found: /en/klas/7KQ4MX/stelling/2/") == "Not Found: /en/klas/[code]/stelling/2/"
    assert (
        redact("/tk2025/uitslag/?antwoorden=abc.adnsa..&methode=x")
        == "/tk2025/uitslag/?antwoorden=[verborgen]&methode=x"
    )
    assert redact("/klas/nieuw/") == "/klas/nieuw/"


@pytest.mark.django_db
def test_no_secret_or_answer_reaches_the_log(client, snapshot, caplog):
    import re

    caplog.set_level(logging.DEBUG)
    html = client.post("/klas/nieuw/", {"election": snapshot.slug}).content.decode()
    token = re.search(r"/klas/leraar/([^/]+)/", html)[1]
    code = re.search(r'class="join-code">[^<]*<strong>([A-Z0-9]{6})</strong>', html)[1]
    client.get(f"/klas/leraar/{token}x/")
    client.get(f"/klas/{code}/stelling/999/")
    client.post("/tk2025/stelling/1/", {"answer": "disagree"})
    client.get("/tk2025/uitslag/?antwoorden=kapot")
    text = ""
    for record in caplog.records:  # what the configured console handler would write
        RedactSecrets().filter(record)
        text += record.getMessage() + "\n"
    assert token not in text and code not in text and "disagree" not in text and "kapot" not in text


def test_the_console_log_handler_redacts(settings):
    assert "redact" in settings.LOGGING["handlers"]["console"]["filters"]
