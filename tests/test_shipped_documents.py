import hashlib
from pathlib import Path

import pytest

from positions.contentfile import read_file
from positions.sources import DOCUMENTS_DIR
from tests.conftest import CONTENT_FILE

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "sources"
EXPECTED = {d["file"]: d["sha256"] for d in read_file(CONTENT_FILE)["documents"]}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_shipped_document_is_unchanged(name):
    assert hashlib.sha256((DOCUMENTS_DIR / name).read_bytes()).hexdigest() == EXPECTED[name]


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/sources is not beside this checkout")
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_shipped_document_equals_the_shared_original(name):
    original = SHARED / "pdf" / name if name.endswith(".pdf") else SHARED / name
    assert (DOCUMENTS_DIR / name).read_bytes() == original.read_bytes()
