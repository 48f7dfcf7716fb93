"""Hostile and malformed input against every public and classroom endpoint.

Generated (hypothesis) and hand-written cases. Every response must be a 2xx/3xx/4xx, never a 5xx;
no payload may come back unescaped; and the content editors curated must not change.
"""

import hashlib
import os
import re
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.servers import HTTP, ROOT, Gunicorn
from tests.summary import HOSTILE

pytestmark = pytest.mark.django_db


PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' OR '1'='1' --",
    "1; DROP TABLE positions_statement; --",
    "../../../../etc/passwd",
    "%00",
    "\u0000",
    "{{ 7*7 }}",
    "{% debug %}",
    "javascript:alert(1)",
    "ＡＢＣ１２３",
    "\u202e\u200b",
    "9" * 40,
    "-1",
    "0",
    "a" * 5000,
]
HTML_PAYLOADS = [p for p in PAYLOADS if "<" in p or '"' in p]


def content_fingerprint():
    """A hash of everything editors curate and citizens are shown."""
    from positions.models import Citation, Election, Position, Publication, Statement

    rows = [
        list(Election.objects.order_by("pk").values_list("pk", "slug", "status", "published_at")),
        list(
            Statement.objects.order_by("pk").values_list(
                "pk", "order", "text_nl", "text_en", "explanation_nl"
            )
        ),
        list(Position.objects.order_by("pk").values_list("pk", "stance", "explanation_nl", "review_status")),
        list(Citation.objects.order_by("pk").values_list("pk", "quote", "location")),
        list(Publication.objects.order_by("pk").values_list("pk", "number")),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def as_wsgi_header(text):
    """What a real server would hand Django: header bytes read as latin-1."""
    return text.encode("utf-8").decode("latin-1")


def endpoints(snapshot, session=None, token="geen-geldig-token"):
    slug = snapshot.slug
    code = session.code if session else "XXXXXX"
    paths = [
        "/", "/methode/", "/privacy/", f"/{slug}/stelling/1/", f"/{slug}/stelling/1/standpunten/",
        f"/{slug}/belangrijk/", f"/{slug}/partijen/", f"/{slug}/uitslag/", f"/{slug}/uitslag/nsc/",
        f"/{slug}/wissen/", "/bron/nsc-2025/", "/klas/", "/klas/nieuw/", f"/klas/{code}/",
        f"/klas/{code}/stelling/1/", f"/klas/{code}/uitslag/", f"/klas/leraar/{token}/",
        f"/klas/leraar/{token}/stand/", f"/klas/leraar/{token}/bespreken/1/", f"/klas/leraar/{token}/klas.csv",
        f"/data/{slug}.json",
    ]  # fmt: skip
    return paths + ["/en" + p for p in paths if not p.startswith("/data/")]


FIELDS = ["answer", "important", "parties", "select", "code", "election", "statements", "methode",
          "antwoorden", "regels", "s1", "s2", "q", "csrfmiddlewaretoken"]  # fmt: skip


def check(response, sent=""):
    HOSTILE["requests"] += 1
    if response.status_code >= 500:
        HOSTILE["5xx"] += 1
    assert response.status_code < 500, response.status_code
    body = response.content.decode("utf-8", "replace")
    for payload in HTML_PAYLOADS:
        if payload in sent:
            assert payload not in body, f"unescaped payload reflected: {payload}"


@pytest.fixture
def hostile(snapshot):
    teacher = Client()
    html = teacher.post("/klas/nieuw/", {"election": snapshot.slug}).content.decode()
    token = re.search(r"/klas/leraar/([^/]+)/", html)[1]
    from stemwijzer.classroom.models import ClassSession

    session = ClassSession.objects.get()
    return snapshot, session, token


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.data(),
    method=st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]),
    fields=st.dictionaries(
        st.sampled_from(FIELDS),
        st.one_of(
            st.sampled_from(PAYLOADS), st.text(max_size=50), st.lists(st.sampled_from(PAYLOADS), max_size=3)
        ),
        max_size=5,
    ),
    htmx=st.booleans(),
)
def test_generated_hostile_requests_never_get_a_5xx(hostile, data, method, fields, htmx):
    snapshot, session, token = hostile
    before = content_fingerprint()
    path = data.draw(st.sampled_from(endpoints(snapshot, session, token)))
    path = data.draw(
        st.sampled_from([path, path.replace("/1/", f"/{data.draw(st.sampled_from(PAYLOADS))}/")])
    )
    client = Client()
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    if method == "GET":
        response = client.get(path, fields, **headers)
    elif method == "POST":
        response = client.post(path, fields, **headers)
    else:
        response = client.generic(method, path, "&".join(f"{k}={v}" for k, v in fields.items()), **headers)
    check(response, repr(fields) + path)
    assert content_fingerprint() == before


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cookie=st.one_of(st.sampled_from(PAYLOADS), st.text(min_size=1, max_size=300)), number=st.integers(-5, 40)
)
def test_tampered_client_state_gets_a_4xx_and_a_tampered_class_cookie_leads_back_to_joining(
    hostile, cookie, number
):
    snapshot, session, _ = hostile
    client = Client()
    cookie = as_wsgi_header(cookie)
    client.cookies["__Host-antwoorden-tk2025"] = cookie
    client.cookies[f"__Host-klas-{session.code}"] = cookie
    for path in (f"/tk2025/stelling/{max(number, 0)}/", "/tk2025/uitslag/"):
        for response in (client.get(path), client.post(path, {"answer": "agree"})):
            check(response)
            assert 400 <= response.status_code < 500, (path, response.status_code)
    for response in (client.get(f"/klas/{session.code}/stelling/1/"),
                     client.post(f"/klas/{session.code}/stelling/1/", {"answer": "agree"})):  # fmt: skip
        check(response)
        assert response.status_code == 302 and response["Location"] == f"/klas/{session.code}/"


def test_a_huge_body_is_refused_with_a_400(hostile):
    snapshot, _, _ = hostile
    response = Client().post(f"/{snapshot.slug}/uitslag/", {"q": "x" * (300 * 1024)})
    check(response)
    assert response.status_code == 400


def test_wrong_content_types_get_a_400(hostile):
    snapshot, _, _ = hostile
    for content_type in (
        "application/json",
        "multipart/form-data; boundary=x",
        "text/plain",
        "application/xml",
    ):
        response = Client().generic(
            "POST", f"/{snapshot.slug}/stelling/1/", b'{"answer": "agree"}', content_type
        )
        check(response)
        assert response.status_code == 400, content_type


def test_missing_or_wrong_csrf_tokens_get_a_clear_403_in_dutch_and_english(hostile):
    snapshot, session, _ = hostile
    client = Client(enforce_csrf_checks=True)
    for path in (f"/{snapshot.slug}/stelling/1/", "/klas/", f"/{snapshot.slug}/wissen/", "/klas/nieuw/"):
        response = client.post(path, {"answer": "agree", "code": session.code, "csrfmiddlewaretoken": "fout"})
        check(response)
        assert response.status_code == 403 and "Je formulier was verlopen" in response.content.decode()
    response = client.post(f"/en/{snapshot.slug}/stelling/1/", {"answer": "agree"})
    assert response.status_code == 403 and "Your form" in response.content.decode()


def test_wrong_methods_get_a_405(hostile):
    snapshot, _, _ = hostile
    for path in ("/", "/methode/", f"/{snapshot.slug}/uitslag/nsc/"):
        response = Client().post(path)
        check(response)
        assert response.status_code == 405
    response = Client().get(f"/{snapshot.slug}/wissen/")
    check(response)
    assert response.status_code == 405


def test_payloads_in_every_field_are_escaped_or_refused(hostile):
    snapshot, session, token = hostile
    before = content_fingerprint()
    for payload in PAYLOADS:
        client = Client()
        for path in endpoints(snapshot, session, token):
            check(client.get(path, {"q": payload, "regels": payload, "methode": payload, "antwoorden": payload}),
                  payload)  # fmt: skip
        for path, field in ((f"/{snapshot.slug}/stelling/1/", "answer"), ("/klas/", "code"),
                            ("/klas/nieuw/", "election"), (f"/{snapshot.slug}/partijen/", "parties"),
                            (f"/{snapshot.slug}/belangrijk/", "important")):  # fmt: skip
            check(client.post(path, {field: payload}), payload)
    assert content_fingerprint() == before


# --- issue 16: every hole the security review found, one case each ---------------------------------


def wrong_codes(client, n, address="10.1.1.1"):
    return [client.post("/klas/", {"code": "XXXXXX"}, REMOTE_ADDR=address).status_code for _ in range(n)]


def test_a_blocked_address_gets_429_on_every_route_that_takes_a_code(hostile, settings):
    settings.CLASSROOM_JOIN_FAILURES = 5
    _, session, _ = hostile
    guesser = Client(REMOTE_ADDR="10.1.1.1")
    assert wrong_codes(guesser, 6) == [200] * 5 + [429]
    for path in ("/klas/XXXXXX/", f"/klas/{session.code}/", "/klas/XXXXXX/uitslag/",
                 f"/klas/{session.code}/uitslag/", f"/klas/{session.code}/stelling/1/", f"/en/klas/{session.code}/"):  # fmt: skip
        response = guesser.get(path)
        check(response)
        assert response.status_code == 429, path
        assert "Te veel onjuiste codes" in response.content.decode() or path.startswith("/en/")
    assert Client(REMOTE_ADDR="10.2.2.2").get(f"/klas/{session.code}/").status_code == 200


def test_guessing_through_the_qr_link_uses_the_join_forms_budget(hostile, settings):
    settings.CLASSROOM_JOIN_FAILURES = 5
    _, session, _ = hostile
    guesser = Client(REMOTE_ADDR="10.1.1.1")
    codes = ("XXXXXX", "YYYYYY", "%00", "a" * 50, "KKKKKK", "333333")
    statuses = [guesser.get(f"/klas/{code}/").status_code for code in codes]
    assert statuses == [404, 404, 400, 404, 404, 404]  # a NUL never gets as far as a guess
    assert guesser.get("/klas/XXXXXX/uitslag/").status_code == 429  # the sixth wrong code
    assert guesser.post("/klas/", {"code": session.code}).status_code == 429  # the right one too, as designed


def without_csrf(html: str) -> str:
    return re.sub(r'"X-CSRFToken": "[^"]+"|name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_to_a_stranger_a_closed_code_looks_like_an_unknown_one(hostile):
    _, session, token = hostile
    Client().post(f"/klas/leraar/{token}/sluiten/")
    for closed, unknown in ((f"/klas/{session.code}/", "/klas/XXXXXX/"),
                            (f"/klas/{session.code}/uitslag/", "/klas/XXXXXX/uitslag/")):  # fmt: skip
        a, b = Client().get(closed), Client().get(unknown)
        assert (a.status_code, without_csrf(a.content.decode())) == (
            b.status_code,
            without_csrf(b.content.decode()),
        )
        assert a.status_code == 404
    a = Client().post("/klas/", {"code": session.code})
    b = Client().post("/klas/", {"code": "XXXXXX"})
    assert a.status_code == b.status_code == 200
    assert without_csrf(a.content.decode()).replace(session.code, "XXXXXX") == without_csrf(
        b.content.decode()
    )


def test_opening_class_sessions_is_limited_per_address(snapshot, settings):
    from stemwijzer.classroom.models import ClassSession

    settings.CLASSROOM_NEW_PER_HOUR = 3
    teacher = Client(REMOTE_ADDR="10.3.3.3")
    statuses = [teacher.post("/klas/nieuw/", {"election": snapshot.slug}).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    refused = teacher.post("/klas/nieuw/", {"election": snapshot.slug})
    assert "te veel klassessies" in refused.content.decode()
    assert Client(REMOTE_ADDR="10.4.4.4").post("/klas/nieuw/", {"election": snapshot.slug}).status_code == 200
    assert ClassSession.objects.count() == 4


@pytest.mark.parametrize(
    "path",
    ["/klas/%00/", "/klas/a%00b/stelling/1/", "/klas/%00/uitslag/", "/en/klas/%00/", "/tk2025/stelling/1/?x=%00",
     "/bron/nsc-2025/?regels=%00", "/admin/positions/document/zoeken/?q=%00",
     "/admin/positions/document/zoeken/?q=a&document=%00"],
)  # fmt: skip
def test_a_nul_byte_in_a_path_or_a_search_gets_a_400_not_the_outage_page(hostile, path, reviewer):
    client = Client()
    client.force_login(reviewer)
    response = client.get(path)
    check(response)
    assert response.status_code == 400 and "tekens die hier niet kunnen staan" in response.content.decode()


def test_a_nul_byte_or_invalid_utf8_in_a_form_gets_a_400(hostile):
    for body in (b"code=%00", b"code=%C3%28", b"code=\xc3\x28"):
        response = Client().generic("POST", "/klas/", body, content_type="application/x-www-form-urlencoded")
        check(response)
        assert response.status_code == 400


def test_405_answers_carry_a_short_page_in_the_users_language_with_allow(hostile):
    snapshot, _, token = hostile
    for method, path in (("post", "/"), ("options", f"/{snapshot.slug}/stelling/1/"), ("get", f"/{snapshot.slug}/wissen/"),
                         ("get", f"/klas/leraar/{token}/sluiten/"), ("delete", "/gezond/")):  # fmt: skip
        response = getattr(Client(), method)(path)
        check(response)
        assert response.status_code == 405 and response["Allow"]
        assert "Deze pagina kan zo niet worden opgevraagd" in response.content.decode(), path
    english = Client().post("/en/methode/")
    assert english.status_code == 405 and "This page cannot be requested this way" in english.content.decode()


def test_head_works_wherever_get_does(hostile):
    snapshot, session, token = hostile
    student = Client()
    student.post("/klas/", {"code": session.code})
    for path in ("/gezond/", "/", "/methode/", "/privacy/", f"/{snapshot.slug}/stelling/1/", f"/{snapshot.slug}/uitslag/",
                 f"/{snapshot.slug}/uitslag/nsc/", "/bron/nsc-2025/", "/klas/", "/klas/nieuw/", f"/klas/{session.code}/",
                 f"/klas/{session.code}/stelling/1/", f"/klas/leraar/{token}/", f"/data/{snapshot.slug}.json"):  # fmt: skip
        get, head = student.get(path), student.head(path)
        assert head.status_code == get.status_code == 200, path
        assert head.content == b""


@pytest.mark.parametrize("path", ["/tk2025/stelling/1/", "/klas/", "/tk2025/uitslag/"])
@pytest.mark.parametrize("body", [b"\xff\xfe\xfa\x00\x81", b"answer=\xc3\x28", b"answer=agree&" * 2000])
def test_non_utf8_and_oversized_bodies_get_a_400(hostile, body, path):
    response = Client().generic("POST", path, body, content_type="application/x-www-form-urlencoded")
    check(response)
    assert response.status_code == 400


@pytest.fixture
def shared_database(tmp_path):
    """A database that separate server processes share: the test database itself on PostgreSQL
    (the test is transactional, so their rows are flushed after it), a migrated file on SQLite."""
    from django.db import connection

    if connection.vendor == "postgresql":
        s = connection.settings_dict
        return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    environment = {**os.environ, "DATABASE_URL": url, "DEBUG": "true"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=environment, check=True)
    return url


@pytest.mark.django_db(transaction=True)
def test_the_join_throttle_holds_across_workers_and_instances(shared_database):
    instances = [Gunicorn(shared_database, workers=2, CLASSROOM_JOIN_FAILURES="10") for _ in range(2)]
    try:
        clients = [HTTP(instance.url) for instance in instances]
        for client in clients:
            client.get("/klas/")  # one CSRF cookie per client before the threads share it

        def guess(i):
            return clients[i % 2].post("/klas/", code="XXXXXX")[0]

        with ThreadPoolExecutor(4) as pool:
            statuses = list(pool.map(guess, range(30)))
    finally:
        for instance in instances:
            instance.stop()
    # 2 instances x 2 workers, 4 parallel connections: still exactly the 10 wrong codes allowed.
    assert statuses.count(200) == 10 and statuses.count(429) == 20, Counter(statuses)
