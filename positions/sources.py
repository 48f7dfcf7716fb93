"""Source texts: clean, searchable text with a map back to where every character came from.

Pure Python (no Django imports) so the matcher can be tested and reused on its own.

A document's lines come from positions/extraction.py (each with its location label, page and
heading level, furniture marked). The kept lines are joined, whitespace runs are collapsed to one
space, and every character of the result remembers the line it came from. A quote is valid when it
occurs in that text; its location label is the label of the line where it starts.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

DOCUMENTS_DIR = Path(__file__).resolve().parent / "documents"

BULLET = re.compile(r"^\s*(?:•|→)[\s\u00a0]*")
SENTENCE_END = re.compile(r"[.!?:;]\s*$")


@dataclass
class Line:
    """One line of a document, as extraction leaves it."""

    number: int  # 1-based line number in the file
    text: str  # display text (markup stripped); "" for blank lines
    label: str = ""  # location label, e.g. "H2 Oplossen van de wooncrisis › punt 6 · p. 13"
    furniture: bool = False  # page furniture: not part of the document's text
    heading: int = 0  # 0 for body text, 1.. for heading levels
    page: int | str | None = None  # the page as printed ("37"), where known


def stored(lines: list[Line]) -> list:
    """Lines as JSON rows, the form kept in the database (SourceText.from_stored reads it)."""
    return [[ln.number, ln.text, ln.label, ln.furniture, ln.heading, ln.page] for ln in lines]


@dataclass(frozen=True)
class Paragraph:
    line_start: int
    line_end: int
    label: str
    text: str


@dataclass(frozen=True)
class Match:
    start: int  # offset in the normalized text
    end: int
    line_start: int  # 1-based raw line numbers
    line_end: int
    label: str
    page: int | None


def normalize_quote(quote: str) -> str:
    """A quote as it is compared: every run of whitespace (NBSP included) is one space."""
    return re.sub(r"\s+", " ", quote.replace("\u00a0", " ")).strip()


def fold(text: str) -> str:
    """Forgiving form for search: lower case, no accents, straight quotes and dashes."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.translate(_FOLD_TABLE)


_FOLD_TABLE = str.maketrans(
    {"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "–": "-", "—": "-", "\u00a0": " "}
)


def _substitute(text: str, owners: list[int], pattern: re.Pattern, repl: str):
    """re.sub that keeps `owners` (the raw line of each character) in step with the text."""
    out_text, out_owners, last = [], [], 0
    for m in pattern.finditer(text):
        out_text.append(text[last : m.start()])
        out_owners.append(owners[last : m.start()])
        out_text.append(repl)
        out_owners.append([owners[m.start()]] * len(repl) if m.start() < len(owners) else [])
        last = m.end()
    out_text.append(text[last:])
    out_owners.append(owners[last:])
    return "".join(out_text), [o for part in out_owners for o in part]


# Line-final hyphens are ambiguous ("vanzelfspre-/kendheid" but "EU-/niveau"): one text keeps the
# hyphen, the other joins the word, and a quote may match either.
HYPHEN_KEPT = re.compile(r"(?<=\w-)[ \t\u00a0]*\n\s*(?=\w)")
HYPHEN_JOINED = re.compile(r"(?<=\w)-[ \t\u00a0]*\n\s*(?=\w)")
WHITESPACE = re.compile(r"\s+")


class SourceText:
    """A parsed source document: display lines, normalized text and a quote matcher."""

    def __init__(self, name: str, lines: list[Line], remove=()):
        """`remove`: patterns of leftovers to cut from the running text (a document's hints), e.g.
        link texts that a conversion left in mid-sentence."""
        self.name = name
        removals = [re.compile(pattern) for pattern in remove]
        self.lines = lines
        kept = [ln for ln in self.lines if not ln.furniture]
        joined = "\n".join(ln.text for ln in kept)
        owners = [i for ln in kept for i in [ln.number] * (len(ln.text) + 1)][: len(joined)]
        self.variants = []
        for hyphen in (HYPHEN_KEPT, HYPHEN_JOINED):
            text, own = _substitute(joined, owners, hyphen, "")
            for pattern in removals:
                text, own = _substitute(text, own, pattern, "")
            text, own = _substitute(text, own, WHITESPACE, " ")
            self.variants.append((text, own))
        self.text = self.variants[0][0]
        self._by_number = {ln.number: ln for ln in self.lines}

    @classmethod
    def from_stored(cls, name: str, rows: list, remove=()) -> SourceText:
        return cls(name, [Line(*row) for row in rows], remove)

    def line(self, number: int) -> Line:
        return self._by_number[number]

    def find_all(self, quote: str) -> list[Match]:
        """Every place the quote occurs, in document order (either hyphen join accepted)."""
        needle = normalize_quote(quote)
        found = {}
        for text, owners in self.variants if needle else ():
            start = text.find(needle)
            while start != -1:
                match = self._match(owners, start, start + len(needle))
                found.setdefault(match.line_start, match)
                start = text.find(needle, start + 1)
        return [found[line] for line in sorted(found)]

    def find(self, quote: str) -> Match | None:
        """The first place the quote occurs: a repeated passage resolves to one location."""
        matches = self.find_all(quote)
        return matches[0] if matches else None

    def _match(self, owners, start, end) -> Match:
        first = self.line(owners[start])
        return Match(start, end, first.number, owners[end - 1], first.label, first.page)

    def paragraphs(self) -> list[Paragraph]:
        """Runs of body lines up to a blank line after a finished sentence, or a heading."""
        result, run = [], []

        def close():
            if run:
                text = normalize_quote(" ".join(ln.text for ln in run))
                result.append(Paragraph(run[0].number, run[-1].number, run[0].label, text))
                run.clear()

        for line in self.lines:
            if line.furniture:
                continue
            if line.heading:
                close()
            elif not line.text:
                # Blank lines also fall inside sentences (page breaks, list items): only a
                # finished sentence ends a paragraph.
                if run and SENTENCE_END.search(run[-1].text):
                    close()
            else:
                run.append(line)
        close()
        return result

    def blocks(self) -> list[tuple[int, int, str, str]]:
        """The document for reading: (first line, last line, kind, text) for headings ("h1".."h3"),
        paragraphs ("p", text is a list of (line number, text)) and page marks ("page")."""
        out, paragraph, page = [], [], None

        def close():
            if paragraph:
                out.append((paragraph[0][0], paragraph[-1][0], "p", list(paragraph)))
                paragraph.clear()

        for line in self.lines:
            if line.furniture:
                continue
            if line.page is not None and line.page != page:
                page = line.page
                close()
                out.append((line.number, line.number, "page", str(page)))
            if not line.text:
                close()
            elif line.heading:
                close()
                out.append((line.number, line.number, f"h{min(line.heading, 3)}", line.text))
            else:
                paragraph.append((line.number, line.text))
        close()
        return out

    def spans(self, quote: str, line_start: int, line_end: int) -> dict[int, tuple[int, int]]:
        """Where exactly the quote stands: (start, end) character offsets in each of its lines.

        The first line is marked from where the quote begins, the last up to where it ends (a
        line-final hyphen may be part of a split word), the lines between in full."""
        needle = normalize_quote(quote)
        lines = [self._by_number[n] for n in range(line_start, line_end + 1) if n in self._by_number]
        lines = [ln for ln in lines if ln.text and not ln.furniture]
        if not needle or not lines:
            return {}
        spans = {ln.number: (0, len(ln.text)) for ln in lines}
        first, last = lines[0], lines[-1]
        for i in range(len(first.text)):
            head = normalize_quote(first.text[i:])
            if head and (needle.startswith(head) or needle.startswith(head.rstrip("-"))):
                spans[first.number] = (i, len(first.text))
                break
            if len(lines) == 1 and (at := first.text.find(needle)) != -1:
                return {first.number: (at, at + len(needle))}
        for j in range(len(last.text), 0, -1):
            tail = normalize_quote(last.text[:j])
            if tail and needle.endswith(tail):
                start = spans[last.number][0] if last is first else 0
                spans[last.number] = (start, j)
                break
        return spans

    def closest_passage(self, quote: str, context: int = 160) -> str:
        """The passage that shares the longest run of consecutive words with the quote."""
        words = normalize_quote(quote).split(" ")
        text = self.text
        for size in range(len(words), 0, -1):
            for i in range(len(words) - size + 1):
                at = text.find(" ".join(words[i : i + size]))
                if at != -1 and (size > 1 or len(words) == 1):
                    return text[max(0, at - context) : at + context * 2].strip()
        return ""


def strip_markdown(text: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<(https?://[^>]+)>", r"\1", text)
    text = re.sub(r"</?(?:sub|sup|b|i|u)>", "", text)
    return text.replace("\\*", "").replace("*", "")
