"""English is complete: every Dutch string has a translation, none is a guess, and the .mo is current."""

import ast
import gettext
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES"


def po_entries():
    """(flags, msgid, translations) per entry of the .po file; a small reader for gettext's format."""
    entries, flags, fields, key = [], "", {}, None
    for line in (LOCALE / "django.po").read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#,"):
            flags = line
        elif line.startswith(("msgid", "msgstr")):
            key, _, value = line.partition(" ")
            fields[key] = ast.literal_eval(value)
        elif line.startswith('"') and key:
            fields[key] += ast.literal_eval(line)
        elif not line.strip() and fields:
            translations = [v for k, v in fields.items() if k.startswith("msgstr")]
            entries.append((flags, fields["msgid"], translations))
            flags, fields, key = "", {}, None
    return [entry for entry in entries if entry[1]]  # without the header


def test_every_string_is_translated_and_none_is_fuzzy():
    entries = po_entries()
    assert len(entries) > 100
    assert [msgid for flags, msgid, _ in entries if "fuzzy" in flags] == []
    assert [msgid for _, msgid, translations in entries if not all(translations)] == []


def test_the_compiled_catalogue_holds_every_translation():
    with open(LOCALE / "django.mo", "rb") as f:
        catalogue = gettext.GNUTranslations(f)._catalog
    compiled = {key if isinstance(key, str) else key[0] for key in catalogue}
    assert [msgid for _, msgid, _ in po_entries() if msgid not in compiled] == []
