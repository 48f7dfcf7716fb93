"""Loaded by pytest before Django (`-p tests.env`): production-like settings, served over http."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789abcdefghij")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("STATIC_MANIFEST", "false")
# Uploaded originals go to a throw-away folder, never into the checkout.
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="stemwijzer-media-"))
