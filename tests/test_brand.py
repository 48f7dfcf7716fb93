"""The brand a newsroom or municipality can set: name, logo text and an accent colour kept accessible."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from stemwijzer.settings import envcolour


def test_the_default_name_is_not_prodemos_stemwijzer(settings):
    assert settings.BRAND_NAME == "Kiesbron" and "stemwijzer" not in settings.BRAND_NAME.lower()


@pytest.mark.parametrize("value", ["red", "#12345", "#gggggg", "0b4f8a", "#0b4f8a00"])
def test_an_accent_that_is_not_a_colour_fails_loudly(monkeypatch, value):
    monkeypatch.setenv("BRAND_ACCENT", value)
    with pytest.raises(ImproperlyConfigured, match="BRAND_ACCENT"):
        envcolour("BRAND_ACCENT", "#0b4f8a")


def test_an_accent_too_light_for_white_text_fails_loudly(monkeypatch):
    monkeypatch.setenv("BRAND_ACCENT", "#ffcc00")
    with pytest.raises(ImproperlyConfigured, match="too light"):
        envcolour("BRAND_ACCENT", "#0b4f8a")


def test_a_dark_enough_accent_is_accepted(monkeypatch):
    monkeypatch.setenv("BRAND_ACCENT", "#8A1538")
    assert envcolour("BRAND_ACCENT", "#0b4f8a") == "#8a1538"


def test_the_name_and_logo_text_appear_on_the_pages(client, settings, snapshot):
    settings.BRAND_NAME, settings.BRAND_LOGO_TEXT = "Kieskompas Gemeente Utrecht", "Utrecht kiest"
    html = client.get("/").content.decode()
    assert "<title>Start · Kieskompas Gemeente Utrecht</title>" in html
    assert ">Utrecht kiest</a>" in html
