"""How long extraction takes on the four published PDFs (run: .venv/bin/python bench/extraction.py).

Also compares the candidate libraries on the same files: time, characters, and how many lines of the
text one library finds that the other does not (a rough measure of reading order and lost text).
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stemwijzer.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from positions.extraction import extract  # noqa: E402

PDFS = Path(__file__).resolve().parent.parent / "positions" / "documents"


def pypdf_text(path):
    import pypdf

    return [page.extract_text() or "" for page in pypdf.PdfReader(path).pages]


def pdfplumber_text(path):
    try:
        import pdfplumber
    except ImportError:
        return None
    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def main():
    compare = "--compare" in sys.argv
    for path in sorted(PDFS.glob("*.pdf")):
        extraction, seconds = timed(extract, path.name, path.read_bytes())
        s = extraction.summary()
        print(f"{path.name}: {seconds:.2f} s for the whole extraction; {s['pages']} pages, {s['words']} words, "
              f"{s['headings']} headings, {s['furniture']} furniture lines")  # fmt: skip
        if compare:
            a, ta = timed(pypdf_text, path)
            b, tb = timed(pdfplumber_text, path)
            if b is None:
                print("  pdfplumber is not installed (pip install pdfplumber) — no comparison")
                continue
            lines_a = {line.strip() for page in a for line in page.split("\n") if line.strip()}
            lines_b = {line.strip() for page in b for line in page.split("\n") if line.strip()}
            print(f"  pypdf {ta:.2f} s, {sum(map(len, a))} chars, NBSP kept {sum(p.count(chr(160)) for p in a)}; "
                  f"pdfplumber {tb:.2f} s, {sum(map(len, b))} chars; lines only in pypdf {len(lines_a - lines_b)}, "
                  f"only in pdfplumber {len(lines_b - lines_a)}")  # fmt: skip


if __name__ == "__main__":
    main()
