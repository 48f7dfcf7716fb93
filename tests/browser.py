"""Shared set-up for the end-to-end tests: Debian's Chromium driven by Playwright, and axe-core."""

import os
import threading
from pathlib import Path

from django.core.servers.basehttp import ThreadedWSGIServer

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


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """The live server for an in-memory SQLite database: one request at a time.

    Django hands every server thread the test's one in-memory SQLite connection. Two requests that
    overlap (a dashboard poll every 3 s and a student's "Doe mee") then run on that one connection
    at once and break each other's statements and transactions: the flaky classroom test, seen
    only under load. Threads still serve keep-alive connections; only the application is serial.
    """

    _lock = threading.Lock()

    def set_app(self, application):
        def serial(environ, start_response):
            with self._lock:
                response = application(environ, start_response)
                try:
                    body = b"".join(response)
                finally:
                    if hasattr(response, "close"):
                        response.close()  # request_finished runs inside the lock too
            return [body]

        super().set_app(serial)


def log_in(page, url, username):
    """Log in to the admin as a user made by tests.conftest.make_user."""
    page.goto(url + "/admin/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill("een-lang-wachtwoord-voor-tests")
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(url + "/admin/")
