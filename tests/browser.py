"""Shared set-up for the end-to-end tests: Debian's Chromium driven by Playwright, and axe-core."""

import os
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Flags that keep Chromium from calling home on a machine without network (and run it as root).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def launch(playwright):
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: apt-get install chromium (see README)"
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def axe_violations(page):
    """axe-core's WCAG A/AA violations on the current page, as readable strings."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return [
        f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})"
        for v in results.response["violations"]
    ]


def log_in(page, url, username):
    """Log in to the admin as a user made by tests.conftest.make_user."""
    page.goto(url + "/admin/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill("een-lang-wachtwoord-voor-tests")
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(url + "/admin/")
