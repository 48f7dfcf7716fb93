"""Source texts: clean, searchable text with a map back to where every character came from.

Pure Python (no Django imports) so the matcher can be tested and reused on its own.

A source file is read line by line by a *layout* that knows the document's structure (chapters,
numbered items, page markers, headings) and its page furniture. The kept lines are joined, markup
is stripped, whitespace runs are collapsed to one space, and every character of the result
remembers the raw line it came from. A quote is valid when it occurs in that text; its location
label is the label of the line where it starts.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DOCUMENTS_DIR = Path(__file__).resolve().parent / "documents"

BULLET = re.compile(r"^\s*(?:•|→)[\s\u00a0]*")
SENTENCE_END = re.compile(r"[.!?:;]\s*$")


@dataclass
class Line:
    """One raw line of a source file, as a layout sees it."""

    number: int  # 1-based line number in the file
    text: str  # display text (markup stripped); "" for blank lines
    label: str = ""  # location label, e.g. "H2 Oplossen van de wooncrisis › punt 6 · p. 13"
    furniture: bool = False  # page furniture: not part of the document's text
    heading: int = 0  # 0 for body text, 1.. for heading levels
    page: int | str | None = None  # the page as printed ("37"), where known


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
# D66 link leftovers: "… terugvorderingen → Lees hier meer standpunten over belastingen." keeps
# the sentence's full stop; a stand-alone "Lees hier meer standpunten over → onderwijs." goes whole.
# A leftover ends at the next full stop or blank line.
_LEFTOVER = r"Lees\s+hier\s+meer\s+standpunten\s+over(?:(?!\n[ \t]*\n)[^.])*"
LINK_LEFTOVER_ARROW = re.compile(r"\s*→\s*" + _LEFTOVER)
LINK_LEFTOVER_SENTENCE = re.compile(r"\s*" + _LEFTOVER + r"\.?")


class SourceText:
    """A parsed source document: display lines, normalized text and a quote matcher."""

    def __init__(self, name: str, lines: list[Line]):
        self.name = name
        self.lines = lines
        kept = [ln for ln in self.lines if not ln.furniture]
        joined = "\n".join(ln.text for ln in kept)
        owners = [i for ln in kept for i in [ln.number] * (len(ln.text) + 1)][: len(joined)]
        self.variants = []
        for hyphen in (HYPHEN_KEPT, HYPHEN_JOINED):
            text, own = _substitute(joined, owners, hyphen, "")
            text, own = _substitute(text, own, LINK_LEFTOVER_ARROW, "")
            text, own = _substitute(text, own, LINK_LEFTOVER_SENTENCE, "")
            text, own = _substitute(text, own, WHITESPACE, " ")
            self.variants.append((text, own))
        self.text = self.variants[0][0]
        self._by_number = {ln.number: ln for ln in self.lines}

    @classmethod
    def from_raw(cls, name: str, raw: str) -> SourceText:
        return cls(name, layout_for(name)(raw.split("\n")))

    @classmethod
    def from_stored(cls, name: str, rows: list) -> SourceText:
        return cls(name, [Line(*row) for row in rows])

    def stored(self) -> list:
        """The lines as JSON rows, the form kept in the database."""
        return [[ln.number, ln.text, ln.label, ln.furniture, ln.heading, ln.page] for ln in self.lines]

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


# --- layouts -------------------------------------------------------------------------------------


def layout_for(name: str):
    for prefix, layout in LAYOUTS.items():
        if name.startswith(prefix):
            return layout
    return plain_layout


def plain_layout(raw_lines: list[str]) -> list[Line]:
    return [Line(n, strip_markdown(r).strip(), label=f"regel {n}") for n, r in enumerate(raw_lines, 1)]


def _is_subheading(lines: list[str], i: int, previous_content: str) -> bool:
    """A short line without closing punctuation after a finished sentence, before new text."""
    text = lines[i].strip()
    if not (2 < len(text) <= 75) or BULLET.match(lines[i]) or not text[0].isupper():
        return False
    if re.search(r"[.,;:!?–-]$", text):
        return False
    if previous_content and not SENTENCE_END.search(previous_content):
        return False
    following = next((ln.strip() for ln in lines[i + 1 :] if ln.strip()), "")
    return bool(following) and (following[0].isupper() or following[0] in "•→")


def _join(*parts: str) -> str:
    return " › ".join(p for p in parts if p)


NSC_MARKER = re.compile(r"^CONCEPT-VERKIEZINGSPROGRAMMA 2025   \|  PAGINA  (\d+)$")
NSC_HEADER = "Zorgen voor zekerheid! De basis moet op orde"
NSC_TOC = re.compile(r"^\s*(\d+)\.\s+(.+?)\s+Pagina\s+(\d+)\s*$")
NSC_CHAPTER = re.compile(r"^ (\d{1,2})\.\s*([A-ZËÏÉ][A-ZËÏÉ ]*)?\s*$")
NUMBERED_ITEM = re.compile(r"^\s*(\d{1,3})\.\s+\S")


def nsc_layout(raw_lines: list[str]) -> list[Line]:
    """NSC: chapter + numbered item (restarting in every chapter and HOOFDPUNTEN list) + page.

    Six explicit page markers survive; other page starts are reconstructed: a line indented by
    exactly one space starts a page (unless it continues a sentence in lower case), three spaces
    mark a page break inside an item, and every chapter opens on a text-less divider page whose
    number is the table of contents' page.
    """
    toc = {}
    for raw in raw_lines[:60]:
        if m := NSC_TOC.match(raw):
            toc[int(m[1])] = (re.sub(r"\s+", " ", m[2]).strip(), int(m[3]))
    result, page, chapter, item, hoofdpunten = [], None, 0, None, False
    page_just_set = False
    for n, raw in enumerate(raw_lines, 1):
        line = raw.rstrip()
        if m := NSC_MARKER.match(line):
            page, page_just_set = int(m[1]), True
            result.append(Line(n, "", furniture=True, page=page))
            continue
        if line.strip() == NSC_HEADER:
            result.append(Line(n, "", furniture=True, page=page))
            continue
        heading = 0
        chapter_match = NSC_CHAPTER.match(line)
        if chapter_match and int(chapter_match[1]) == chapter + 1 and chapter + 1 in toc:
            chapter, item, hoofdpunten, heading = int(chapter_match[1]), None, False, 1
            page, page_just_set = toc[chapter][1] + 1, True
        elif line.strip() and page is not None and not page_just_set:
            one_space = line.startswith(" ") and not line.startswith("  ")
            three_spaces = line.startswith("   ") and not line.startswith("    ")
            # Not page starts: lower-case continuations, the intro's bullet list, and the
            # HOOFDPUNTEN list that shares its page with the chapter heading.
            continuation = line[1].islower() or line[1] == "•" or "HOOFDPUNTEN" in line
            if (one_space and not continuation) or three_spaces:
                page += 1
        if line.strip():
            page_just_set = False
        if line.strip().rstrip(":").upper() == "HOOFDPUNTEN":
            hoofdpunten, item, heading = True, None, 2
        elif chapter and not heading and (m := NUMBERED_ITEM.match(line)):
            number = int(m[1])
            if hoofdpunten and number == 1 and item is not None:
                hoofdpunten = False
            item = number
        if chapter:
            title = f"H{chapter} {toc[chapter][0]}"
            point = f"{'hoofdpunt' if hoofdpunten else 'punt'} {item}" if item else ""
            label = _join(title, point)
        else:
            label = "Inleiding"
        if page is not None:
            label += f" · p. {page}"
        text = BULLET.sub("", line).strip()
        result.append(Line(n, text, label=label, heading=heading, page=page))
    return result


D66_SECTION = re.compile(r"^\s?(\d)\.(\d)\.?\s+(.+?)\s*$")
D66_FURNITURE = re.compile(
    r"^(https://d66\.nl/|maakt ruimte voor vooruitgang\.|Concept-uitvoeringsprogramma 2025-2030(\d*))$"
)


def d66_layout(raw_lines: list[str]) -> list[Line]:
    """D66: section number (1.1. … 8.2) + sub-heading + bullet."""
    result, section, subheading, bullet, previous = [], "", "", 0, ""
    for n, raw in enumerate(raw_lines, 1):
        stripped = raw.strip()
        if D66_FURNITURE.match(stripped):
            result.append(Line(n, "", furniture=True))
            continue
        heading = 0
        if m := D66_SECTION.match(raw):
            title = m[3].rstrip(" –-,")
            following = raw_lines[n].strip() if n < len(raw_lines) else ""
            if following and not SENTENCE_END.search(title) and len(following) < 60:
                title = f"{title} {following}".rstrip(" –-,")
            section, subheading, bullet, heading = f"{m[1]}.{m[2]} {title}", "", 0, 1
        elif stripped and _is_subheading(raw_lines, n - 1, previous):
            subheading, bullet, heading = stripped, 0, 2
        elif raw.lstrip().startswith("•"):
            bullet += 1
        if stripped:
            previous = stripped
        label = _join(section or "Inleiding", subheading, f"punt {bullet}" if bullet else "")
        result.append(Line(n, BULLET.sub("", raw).strip(), label=label, heading=heading))
    return result


CAPS_SECTION = re.compile(r"^ ?([A-ZËÉÏ][A-ZËÉÏ ,&–-]{3,})\s*$")


def d66_cda_layout(raw_lines: list[str]) -> list[Line]:
    """D66–CDA Uitnodiging: ALL-CAPS section + sub-heading + bullet; no page numbers."""
    result, section, subheading, bullet, previous = [], "", "", 0, ""
    for n, raw in enumerate(raw_lines, 1):
        stripped = raw.strip()
        heading = 0
        if m := CAPS_SECTION.match(raw):
            section, subheading, bullet, heading = m[1].strip().capitalize(), "", 0, 1
        elif stripped and _is_subheading(raw_lines, n - 1, previous):
            subheading, bullet, heading = stripped, 0, 2
        elif raw.lstrip().startswith("•"):
            bullet += 1
        if stripped:
            previous = stripped
        label = _join(section or "Inleiding", subheading, f"punt {bullet}" if bullet else "")
        result.append(Line(n, BULLET.sub("", raw).strip(), label=label, heading=heading))
    return result


COALITION_CHAPTER = re.compile(r"^ ?(\d)\. (.+?)\s*$")


def coalition_layout(raw_lines: list[str]) -> list[Line]:
    """Coalitieakkoord 2021: chapter 1.–7. / Bijlage + sub-heading; each line that starts with
    exactly one space begins a PDF page of the extract (not the printed page numbers)."""
    result, chapter, number, subheading, previous, page = [], "", 0, "", "", 0
    for n, raw in enumerate(raw_lines, 1):
        stripped = raw.strip()
        if raw.startswith(" ") and not raw.startswith("  ") and stripped:
            page += 1
        heading = 0
        m = COALITION_CHAPTER.match(raw)
        if m and int(m[1]) == number + 1 and chapter != "Bijlage":
            number, chapter, subheading, heading = int(m[1]), f"{m[1]}. {m[2]}", "", 1
        elif stripped.startswith("Bijlage:") and number == 7:
            chapter, subheading, heading = "Bijlage", "", 1
        elif stripped and _is_subheading(raw_lines, n - 1, previous):
            subheading, heading = stripped, 2
        if stripped:
            previous = stripped
        label = _join(chapter, subheading) + (f" · extractpagina {page}" if page else "")
        result.append(Line(n, BULLET.sub("", raw).strip(), label=label, heading=heading, page=page or None))
    return result


MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")


def strip_markdown(text: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<(https?://[^>]+)>", r"\1", text)
    text = re.sub(r"</?(?:sub|sup|b|i|u)>", "", text)
    return text.replace("\\*", "").replace("*", "")


def vng_layout(raw_lines: list[str]) -> list[Line]:
    """VNG: part (ledenbrief / gezamenlijke brief / Bouwstenen) + markdown heading path."""
    result, part, path = [], "Ledenbrief VNG", []
    for n, raw in enumerate(raw_lines, 1):
        text = strip_markdown(raw).strip()
        heading = 0
        if text == "De Tweede Kamer" and part == "Ledenbrief VNG":
            part, path = "Gezamenlijke brief aan de informateur", []
        if m := MARKDOWN_HEADING.match(raw.strip()):
            heading = len(m[1])
            text = strip_markdown(m[2]).strip()
            if heading == 1 and text.startswith("Bouwstenen"):
                part, path = "Bouwstenen voor een nieuw regeerakkoord", []
            else:
                path = [p for p in path if p[0] < heading] + [(heading, text)]
        label = _join(part, *(p[1] for p in path))
        result.append(Line(n, text, label=label, heading=heading))
    return result


LAYOUTS = {
    "nsc-": nsc_layout,
    "d66-cda-": d66_cda_layout,
    "d66-": d66_layout,
    "coalitieakkoord-": coalition_layout,
    "vng-": vng_layout,
}


# A shipped text names its layout in the content file (documents[].hints.layout).
NAMED_LAYOUTS = {
    "nsc": nsc_layout,
    "d66": d66_layout,
    "d66-cda": d66_cda_layout,
    "coalition": coalition_layout,
    "vng": vng_layout,
}


@lru_cache(maxsize=16)
def load_source(name: str, directory: str = str(DOCUMENTS_DIR)) -> SourceText:
    """Parse a shipped text file once per process (for loading it, and for tests)."""
    path = Path(directory) / name
    return SourceText.from_raw(name, path.read_text(encoding="utf-8"))
