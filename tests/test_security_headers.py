import pytest
from django.contrib.auth.models import User
from django.test import Client, RequestFactory

pytestmark = pytest.mark.django_db


def csp(response):
    return dict(
        (part.strip().split(" ", 1) + [""])[:2]
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    )


@pytest.mark.parametrize("url", ["/", "/tk2025/stelling/1/", "/klas/", "/admin/login/"])
def test_a_strict_content_security_policy_is_sent_everywhere(client, election, url):
    policy = csp(client.get(url))
    assert policy["script-src"] == "'self'"
    assert "unsafe-inline" not in policy["script-src"] and "unsafe-eval" not in policy["script-src"]
    assert "unsafe-inline" not in policy["style-src"]
    assert policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'" and policy["base-uri"] == "'none'"


def test_htmx_runs_without_eval_script_tags_or_inline_styles(client, election):
    html = client.get("/").content.decode()
    assert '"allowEval":false' in html and '"allowScriptTags":false' in html
    assert '"includeIndicatorStyles":false' in html and '"historyCacheSize":0' in html


def test_the_other_security_headers(client, election):
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_cookies_are_secure_httponly_and_host_prefixed(client, election):
    response = client.post("/tk2025/stelling/1/", {"answer": "agree"}, secure=True)
    cookie = response.cookies["__Host-antwoorden-tk2025"]
    assert cookie["secure"] and cookie["httponly"] and cookie["path"] == "/" and not cookie["domain"]
    assert cookie["samesite"] == "Lax"
    page = client.get("/klas/", secure=True)
    assert page.cookies["__Host-csrftoken"]["secure"]


def test_admin_sessions_use_a_host_cookie_that_expires(settings):
    assert settings.SESSION_COOKIE_NAME == "__Host-sessionid"
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE and settings.SESSION_COOKIE_AGE <= 8 * 3600


def login(client, username, password, address, forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return client.post(
        "/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def test_admin_logins_are_locked_per_account_and_address(client, election):
    User.objects.create_user("redacteur", password="een-heel-goed-wachtwoord", is_staff=True)
    for _ in range(5):
        login(client, "redacteur", "fout", "10.0.0.1")
    response = login(client, "redacteur", "een-heel-goed-wachtwoord", "10.0.0.1")
    assert response.status_code == 429
    assert "Te veel mislukte inlogpogingen" in response.content.decode()


def test_failed_logins_elsewhere_do_not_lock_an_editor_out(client, election):
    User.objects.create_user("redacteur", password="een-heel-goed-wachtwoord", is_staff=True)
    for i in range(7):
        login(client, "redacteur", "fout", "10.0.0.1")
        login(client, f"gok{i}", "fout", "10.0.0.1")
    assert login(Client(), "redacteur", "een-heel-goed-wachtwoord", "10.0.0.2").status_code == 302


def test_behind_the_proxy_one_client_cannot_lock_every_editor_out(client, election, settings):
    settings.BEHIND_PROXY = True
    User.objects.create_user("redacteur", password="een-heel-goed-wachtwoord", is_staff=True)
    for i in range(7):  # every request comes from nginx on 127.0.0.1
        login(client, f"nobody{i}", "x", "127.0.0.1", forwarded="203.0.113.135")
        login(client, "redacteur", "x", "127.0.0.1", forwarded="203.0.113.135")
    assert login(client, "redacteur", "x", "127.0.0.1", forwarded="203.0.113.135").status_code == 429
    editor = login(Client(), "redacteur", "een-heel-goed-wachtwoord", "127.0.0.1", forwarded="198.51.100.11")
    assert editor.status_code == 302


def test_only_the_trusted_proxy_may_name_the_client_address(rf, settings):
    from stemwijzer.ratelimit.limits import client_address

    forged = {"REMOTE_ADDR": "192.0.2.7", "HTTP_X_FORWARDED_FOR": "198.51.100.11"}
    settings.BEHIND_PROXY = False
    assert client_address(rf.get("/", **{**forged, "REMOTE_ADDR": "127.0.0.1"})) == "127.0.0.1"
    settings.BEHIND_PROXY = True
    assert client_address(rf.get("/", **forged)) == "192.0.2.7"  # not from our proxy: ignored
    proxied = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.11")
    assert client_address(proxied) == "198.51.100.11"  # the entry nginx appended, not a forged first one


def test_the_proxy_setting_is_read_once_and_not_inferred_from_the_https_header(settings):
    from stemwijzer.ratelimit.limits import client_address

    settings.BEHIND_PROXY = False
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.11")
    assert client_address(request) == "127.0.0.1"


def test_strong_passwords_are_enforced():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("welkom123", "stemwijzer", "123456789012"):
        with pytest.raises(ValidationError):
            validate_password(weak)


def test_partners_can_be_allowed_to_embed(monkeypatch):
    import subprocess
    import sys

    code = "from django.conf import settings; print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['frame-ancestors'])"
    env = {"FRAME_ANCESTORS": "https://nieuws.example.nl", "DJANGO_SETTINGS_MODULE": "stemwijzer.settings",
           "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "a.nl", "PATH": "/usr/bin:/bin"}  # fmt: skip
    out = subprocess.run([sys.executable, "-c", "import django; django.setup(); " + code], env=env,
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert "https://nieuws.example.nl" in out and "'self'" in out
