"""Real gunicorn instances of the app, for what only separate processes show: limits shared by every
worker and instance, and a start while the database is away. Plain http, so DEBUG cookie names."""

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    def __init__(self, database_url, workers=1, **env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        control = Path(tempfile.mkdtemp()) / "gunicorn.ctl"  # gunicorn 27 shares one per user otherwise
        environment = {**os.environ, "DEBUG": "true", "DATABASE_URL": database_url, "LOG_LEVEL": "ERROR",
                       "GUNICORN_WORKERS": str(workers), **env}  # fmt: skip
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "stemwijzer.wsgi", "-c", "deploy/gunicorn.conf.py",
             "-b", f"127.0.0.1:{self.port}", "--control-socket", str(control)],
            cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if HTTP(self.url).get("/gezond/")[0] == 200:
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("gunicorn did not start: " + self.process.stderr.read().decode()[-2000:])

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class HTTP:
    """A browser-like client: keeps cookies, fills in the form's CSRF token, shows redirects."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect
        )

    def get(self, path):
        return self._send(path, None)

    def post(self, path, **fields):
        _, page = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
        return self._send(path, {"csrfmiddlewaretoken": token, **fields})

    def _send(self, path, fields):
        data = urllib.parse.urlencode(fields).encode() if fields is not None else None
        request = urllib.request.Request(self.base + path, data, {"Referer": self.base + path})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()
