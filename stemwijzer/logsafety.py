"""Logging filter: secrets in URLs (teacher links, join codes, share links) never reach a log."""

import logging
import re

PATTERNS = [
    (re.compile(r"/klas/leraar/[^/\s\"?]+"), "/klas/leraar/[verborgen]"),
    (re.compile(r"/klas/(?!nieuw/|verwijderd/|leraar/)[^/\s\"?]+"), "/klas/[code]"),
    (re.compile(r"([?&]antwoorden=)[^&\s\"]*"), r"\1[verborgen]"),
]


def redact(text: str) -> str:
    for pattern, replacement in PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactSecrets(logging.Filter):
    def filter(self, record):
        record.msg = redact(record.getMessage())
        record.args = ()
        return True
