"""Instructions of 200 htmx answer steps through Django's test client, for comparing two checkouts.

Unlike `bench/run.py --phase answer`, this needs nothing but the checkout itself, so it also runs
on an older commit. In each checkout, with an SQLite database that holds the shipped election:

    PYTHONHASHSEED=0 valgrind --tool=callgrind --callgrind-out-file=/dev/null \
        .venv/bin/python bench/answer_instructions.py /tmp/db.sqlite3 none    # warm-up only
    PYTHONHASHSEED=0 valgrind --tool=callgrind --callgrind-out-file=/dev/null \
        .venv/bin/python bench/answer_instructions.py /tmp/db.sqlite3 steps   # warm-up + 200 steps

The difference of the two "Collected" counts is the cost of 200 answer steps (bench/RESULTS.md).
"""

import os
import sys

db, mode = sys.argv[1], sys.argv[2]
os.environ.update(
    DEBUG="false",
    SECRET_KEY="count-" + "x" * 50,
    ALLOWED_HOSTS="testserver",
    DATABASE_URL=f"sqlite:///{db}",
    SECURE_SSL_REDIRECT="false",
    STATIC_MANIFEST="false",
    DJANGO_SETTINGS_MODULE="stemwijzer.settings",
    PUBLISHED_DIR="/tmp/count-published",
)
import django  # noqa: E402

django.setup()
from django.test import Client  # noqa: E402

client = Client()
total = 30
for n in range(1, total + 1):  # warm-up: every statement's fragment rendered once
    client.post(f"/tk2025/stelling/{n}/", {"answer": "agree"}, HTTP_HX_REQUEST="true")
if mode == "steps":
    for i in range(200):
        answer = ("agree", "disagree")[i % 2]
        client.post(f"/tk2025/stelling/{i % (total - 1) + 1}/", {"answer": answer}, HTTP_HX_REQUEST="true")
