"""Loaded by pytest before Django (`-p tests.env`): production-like settings, served over http.

The suite must pass whatever the shell exported (the README's first command, a production
shell), so every variable the settings read is set here or removed; only DATABASE_URL, which
chooses the database the suite runs on, is taken from the shell.
"""

import os
import re
import tempfile
from pathlib import Path

SETTINGS = Path(__file__).resolve().parent.parent / "stemwijzer" / "settings.py"
FROM_THE_SHELL = {"DATABASE_URL"}
TEST_VALUES = {
    "DEBUG": "false",
    "SECRET_KEY": "test-only-secret-key-not-for-production-0123456789abcdefghij",
    "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "false",
    "STATIC_MANIFEST": "false",
    # Published content is kept as files for a start without the database; tests keep theirs apart.
    "PUBLISHED_DIR": tempfile.mkdtemp(prefix="stemwijzer-published-"),
    # Uploaded originals go to a throw-away folder, never into the checkout.
    "MEDIA_ROOT": tempfile.mkdtemp(prefix="stemwijzer-media-"),
}

for name in (
    set(re.findall(r'(?:env\w*|os\.environ\.get)\(\s*"([A-Z_]+)"', SETTINGS.read_text(encoding="utf-8")))
    - FROM_THE_SHELL
):
    os.environ.pop(name, None)
os.environ.update(TEST_VALUES)
