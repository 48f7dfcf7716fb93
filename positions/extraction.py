"""From an uploaded file (PDF, plain text, Markdown or HTML) to clean lines with pages and headings.

Generic for every document: page furniture is found as lines that repeat at the top or bottom of
many pages; the page in a location is the number printed on the page (PDF page labels where the
file has them, else the number detected on the page, else the PDF's page index). Where a document
needs more, its `hints` (data, not code) add furniture and heading patterns.

Bad input raises `ExtractionError` with a message for the editor; nothing is stored by this module.
"""

from __future__ import annotations

import hashlib
import html.parser
import io
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from positions.sources import BULLET, SENTENCE_END, Line, strip_markdown

PDF = "pdf"
TEXT = "text"
MARKDOWN = "markdown"
HTML = "html"
FORMATS = {".pdf": PDF, ".txt": TEXT, ".md": MARKDOWN, ".markdown": MARKDOWN, ".html": HTML, ".htm": HTML}

MAX_BYTES = 50 * 1024 * 1024
MAX_PAGES = 2000
MAX_OBJECTS = 500_000
MAX_CHARACTERS = 20_000_000

LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"})
PAGE_NUMBER = re.compile(r"^\s*(?:p(?:agina)?\.?\s*)?(\d{1,4})\s*$", re.IGNORECASE)
EDGE_LINES = 3  # lines at the top and at the bottom of a page where headers and footers sit
TOC_TITLE = re.compile(r"^\s*(inhoudsopgave|inhoud|contents|table of contents)\s*$", re.IGNORECASE)
# Generic headings: "Hoofdstuk 4", "3.2 Titel" (depth = level), "2 Veiligheid" (a chapter).
CHAPTER_WORD = re.compile(r"^\s*((?:Hoofdstuk|Chapter|Deel)\s+\d{1,2})\b\s*(.*)$")
SECTION_NUMBER = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2})+)\.?\s+(\S.{0,100})$")
CHAPTER_NUMBER = re.compile(r"^\s*(\d{1,2})\.?\s+([A-ZÀ-Ý][^\d.,;:!?]{2,70})$")
NUMBERED_ITEM = re.compile(r"^\s*(\d{1,3})[.)]\s+\S")
ENDS_SENTENCE = re.compile(r"[.,;:!?]\s*$")
TOC_ENTRY = re.compile(r"\D\s{2,}\d{1,3}$|\.{3,}\s*\d+$")


class ExtractionError(Exception):
    """The file cannot become a document; the message says why, for the editor."""


@dataclass
class Page:
    index: int  # 1-based position in the file
    number: str | None  # the page as a reader finds it: printed number, label, or index
    source: str  # "label", "printed", "inferred" or "index"; "" for files without pages
    lines: list[str] = field(default_factory=list)
    furniture: list[bool] = field(default_factory=list)
    large: list[tuple[float, str]] = field(default_factory=list)  # text set larger than the body

    @property
    def reference(self) -> str:
        """How a location names this page."""
        return f"PDF-pagina {self.index}" if self.source == "index" else f"p. {self.number}"


@dataclass
class Extraction:
    format: str
    pages: list[Page]
    lines: list[Line]
    warnings: list[str] = field(default_factory=list)

    @property
    def words(self) -> int:
        return sum(len(line.text.split()) for line in self.lines if not line.furniture)

    @property
    def headings(self) -> list[Line]:
        return [line for line in self.lines if line.heading]

    @property
    def furniture_removed(self) -> int:
        return sum(1 for line in self.lines if line.furniture and line.text)

    def summary(self) -> dict:
        numbering = Counter(p.source for p in self.pages if p.source)
        return {
            "format": self.format,
            "pages": len(self.pages),
            "words": self.words,
            "headings": len(self.headings),
            "furniture": self.furniture_removed,
            "numbering": dict(numbering),
            "warnings": self.warnings,
        }


def detect_format(name: str, data: bytes) -> str:
    """The file's format from its name, checked against its content."""
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    fmt = FORMATS.get(suffix)
    if fmt is None:
        raise ExtractionError(
            _("Bestandstype %(suffix)s wordt niet ondersteund; gebruik PDF, .txt, .md of .html.")
            % {"suffix": suffix or "?"}
        )
    looks_like_pdf = data[:1024].lstrip().startswith(b"%PDF-")
    if (fmt == PDF) != looks_like_pdf:
        raise ExtractionError(
            _("Het bestand is geen %(format)s, al zegt de naam dat wel.") % {"format": fmt.upper()}
            if fmt == PDF
            else _("Het bestand is een PDF, maar de naam zegt %(suffix)s.") % {"suffix": suffix}
        )
    return fmt


_extracted: dict[tuple, Extraction] = {}


def extract_once(name: str, data: bytes, hints: dict | None = None) -> Extraction:
    """`extract`, remembered per process by the file's hash: the same file is never read twice."""
    key = (
        hashlib.sha256(data).hexdigest(),
        name.rsplit(".", 1)[-1].lower(),
        json.dumps(hints or {}, sort_keys=True),
    )
    if key not in _extracted:
        if len(_extracted) >= 16:
            _extracted.pop(next(iter(_extracted)))
        _extracted[key] = extract(name, data, hints)
    return _extracted[key]


def extract(name: str, data: bytes, hints: dict | None = None) -> Extraction:
    """Clean lines, pages and headings of a file; raises ExtractionError for bad input."""
    hints = hints or {}
    limit = getattr(settings, "DOCUMENT_MAX_BYTES", MAX_BYTES)
    if len(data) > limit:
        raise ExtractionError(_("Het bestand is groter dan %(mb)d MB.") % {"mb": limit // (1024 * 1024)})
    if not data.strip():
        raise ExtractionError(_("Het bestand is leeg."))
    fmt = detect_format(name, data)
    if fmt == PDF:
        pages = _pdf_pages(data)
    else:
        pages = [Page(1, None, "", _text_lines(fmt, data))]
    extraction = Extraction(fmt, pages, [])
    if fmt == PDF:
        _mark_furniture(pages, hints)
        _number_pages(pages, extraction.warnings)
        extraction.lines = layout(pages, hints)
    else:
        extraction.lines = text_layout(pages[0].lines, hints, markdown=fmt in (MARKDOWN, HTML))
    if fmt == PDF and extraction.words < 20 * len(pages) // 10 + 10:
        raise ExtractionError(
            _(
                "Deze PDF heeft (bijna) geen tekstlaag: waarschijnlijk een scan. Tekstherkenning (OCR) doen we niet."
            )
        )
    if not extraction.words:
        raise ExtractionError(_("Het bestand bevat geen tekst."))
    return extraction


# --- reading the file ----------------------------------------------------------------------------


def _pdf_pages(data: bytes) -> list[Page]:
    import pypdf
    from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

    if b"%%EOF" not in data[-2048:]:
        raise ExtractionError(_("De PDF is afgebroken of beschadigd (het einde van het bestand ontbreekt)."))
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ExtractionError(_needs_password())
        if len(reader.xref_objStm) + sum(len(v) for v in reader.xref.values()) > MAX_OBJECTS:
            raise ExtractionError(_("De PDF heeft verdacht veel objecten; hij wordt niet verwerkt."))
        count = len(reader.pages)
        if count > getattr(settings, "DOCUMENT_MAX_PAGES", MAX_PAGES):
            raise ExtractionError(
                _("De PDF heeft %(n)d pagina's; dat is meer dan we verwerken.") % {"n": count}
            )
        if count == 0:
            raise ExtractionError(_("De PDF heeft geen pagina's."))
        labels = _page_labels(reader)
        pages, total = [], 0
        for index, page in enumerate(reader.pages, 1):
            fragments, scripts = [], set()
            text = _join_scripts(page.extract_text(visitor_text=_collect(fragments, scripts)) or "", scripts)
            total += len(text)
            if total > MAX_CHARACTERS:
                raise ExtractionError(_("De PDF levert verdacht veel tekst op; hij wordt niet verwerkt."))
            number, source = (labels[index - 1], "label") if labels else (None, "")
            pages.append(
                Page(
                    index,
                    number,
                    source,
                    [clean_line(line) for line in text.split("\n")],
                    large=_large(fragments),
                )
            )
    except ExtractionError:
        raise
    except FileNotDecryptedError:
        raise ExtractionError(_needs_password()) from None
    except (PyPdfError, DependencyError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OSError,
            MemoryError, ZeroDivisionError, AssertionError):  # fmt: skip
        # pypdf reports a damaged file (and its own decompression limits) in many ways; none may be a 500.
        raise ExtractionError(_("De PDF is beschadigd en kan niet worden gelezen.")) from None
    return pages


SCRIPT_DIGITS = re.compile(r"\s?\d{1,3}")
WORD_END = re.compile(r"[^\W\d_]+$")


def _collect(fragments: list, scripts: set):
    """Each fragment's size and text; in `scripts`, each (word, digits) where the digits are set as a
    subscript or superscript right after the word ("CO" and a lowered, smaller "2")."""
    previous = None  # (size, baseline, text) of the last fragment with text

    def visit(text, cm, tm, font, size):
        nonlocal previous
        if not text.strip():
            return
        scale = (abs(tm[3] * cm[3]) + abs(tm[0] * cm[0])) / 2 or 1
        size, baseline = size * scale, cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
        fragments.append((round(size, 1), text))
        if (
            previous
            and SCRIPT_DIGITS.fullmatch(text)
            and size < previous[0] * 0.95
            and 0 < abs(baseline - previous[1]) < previous[0] * 0.6
            and (word := WORD_END.search(previous[2]))
        ):
            scripts.add((word[0], text.strip()))
        previous = (size, baseline, text)

    return visit


def _join_scripts(text: str, scripts: set) -> str:
    """pypdf puts a space before a sub- or superscript ("CO 2-heffing"); it belongs to its word."""
    for word, digits in scripts:
        text = re.sub(rf"(?<!\w){re.escape(word)} (?={re.escape(digits)}(?!\d))", lambda _m, w=word: w, text)
    return text


HEADING_SIZE = 1.3  # text this much larger than the page's body text is a heading candidate


def _large(fragments) -> list[tuple[float, str]]:
    """Fragments set in a larger size than most of the page's text (by characters)."""
    sizes = Counter()
    for size, text in fragments:
        sizes[size] += len(text.strip())
    if not sizes:
        return []
    body = sizes.most_common(1)[0][0]
    return [
        (size, re.sub(r"\s+", " ", clean_line(text)).strip())
        for size, text in fragments
        if size >= body * HEADING_SIZE and re.search(r"[^\W\d_]{2}", text)
    ]


def _needs_password() -> str:
    return _("De PDF is met een wachtwoord beveiligd. Upload een versie zonder wachtwoord.")


def _page_labels(reader) -> list[str] | None:
    """The file's own page labels, only when it defines them (pypdf invents "1", "2", … otherwise)."""
    if "/PageLabels" not in reader.trailer["/Root"]:
        return None
    return list(reader.page_labels)


def clean_line(text: str) -> str:
    """Ligatures spelled out, soft hyphens and stray control characters removed, right-trimmed."""
    text = text.translate(LIGATURES).replace("\u00ad", "")
    text = "".join(ch for ch in text if ch in "\t\u00a0" or unicodedata.category(ch)[0] != "C")
    return text.rstrip()


class _HTMLText(html.parser.HTMLParser):
    """Visible text of an HTML file, one line per block, headings as Markdown '#' lines."""

    BLOCKS = {"p", "div", "li", "br", "tr", "section", "article", "blockquote", "ul", "ol", "table"}
    HIDDEN = {"style", "head", "title", "template", "noscript"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines, self.current, self.hidden, self.heading = [], [], 0, 0

    def _flush(self):
        text = re.sub(r"\s+", " ", "".join(self.current)).strip()
        if text:
            self.lines.append(("#" * self.heading + " " if self.heading else "") + text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag == "script" or any(
            name.startswith("on") or (value or "").strip().lower().startswith("javascript:")
            for name, value in attrs
        ):
            raise ExtractionError(_("Het HTML-bestand bevat scripts; die accepteren we niet."))
        if tag in self.HIDDEN:
            self.hidden += 1
        elif re.fullmatch(r"h[1-6]", tag):
            self._flush()
            self.heading = int(tag[1])
        elif tag in self.BLOCKS:
            self._flush()

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif re.fullmatch(r"h[1-6]", tag):
            self._flush()
            self.heading = 0
        elif tag in self.BLOCKS:
            self._flush()

    def handle_data(self, data):
        if not self.hidden:
            self.current.append(data)


def _text_lines(fmt: str, data: bytes) -> list[str]:
    if b"\x00" in data:
        raise ExtractionError(_("Het bestand is geen tekstbestand (het bevat binaire gegevens)."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ExtractionError(_("Het tekstbestand is niet in UTF-8 gecodeerd.")) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if fmt == HTML:
        parser = _HTMLText()
        parser.feed(text)
        parser.close()
        parser._flush()
        return [clean_line(line) for line in parser.lines]
    return [clean_line(line) for line in text.split("\n")]


# --- pages: furniture and numbers ------------------------------------------------------------------


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", line)).strip().casefold()


def _edges(page: Page) -> list[int]:
    filled = [i for i, line in enumerate(page.lines) if line.strip()]
    return sorted(set(filled[:EDGE_LINES] + filled[-EDGE_LINES:]))


def _mark_furniture(pages: list[Page], hints: dict):
    """Running headers and footers: lines at a page's edge that repeat on many pages (digits aside)."""
    patterns = [re.compile(p) for p in hints.get("furniture", [])]
    repeated = set()
    if len(pages) >= 4:
        counts = Counter(key for page in pages for key in {_key(page.lines[i]) for i in _edges(page)})
        threshold = max(3, len(pages) // 5)
        repeated = {key for key, n in counts.items() if n >= threshold and key.strip("#")}
    for page in pages:
        edges = set(_edges(page)) if len(pages) > 1 else set()
        page.furniture = [
            any(p.search(line) for p in patterns)
            or (i in edges and (_key(line) in repeated or bool(PAGE_NUMBER.match(line))))
            for i, line in enumerate(page.lines)
        ]


def _candidates(page: Page) -> set[int]:
    """Numbers that may be the page's printed number: on an edge line, alone or glued to furniture."""
    found = set()
    for i in _edges(page):
        line = page.lines[i].strip()
        if m := PAGE_NUMBER.match(line):
            found.add(int(m[1]))
        elif page.furniture[i]:
            for run in re.findall(r"\d+", line):
                # "Verkiezingsprogramma 202510" is page 10: every tail of a digit run may be it.
                found.update(int(run[k:]) for k in range(len(run)) if len(run) - k <= 4)
                found.update(int(run[:k]) for k in range(1, min(len(run), 4) + 1))
    return found


def _number_pages(pages: list[Page], warnings: list[str]):
    """Without page labels: the printed number where it is found, consistent with its neighbours."""
    if all(page.source == "label" for page in pages):
        return
    candidates = [_candidates(page) for page in pages]
    offsets = Counter(
        page.index - n for page, found in zip(pages, candidates, strict=True) for n in found
        if -10 <= page.index - n <= 20
    )  # fmt: skip
    offset, support = offsets.most_common(1)[0] if offsets else (0, 0)
    confident = support >= max(2, len(pages) // 3)
    for page, found in zip(pages, candidates, strict=True):
        printed = page.index - offset
        if confident and printed in found:
            page.number, page.source = str(printed), "printed"
        elif confident and printed >= 1:
            page.number, page.source = str(printed), "inferred"
        else:
            page.number, page.source = str(page.index), "index"
    if not confident:
        warnings.append(
            _("Geen paginanummers gevonden op de pagina's: locaties gebruiken het paginanummer van de PDF.")
        )


# --- layout: headings, items, labels ------------------------------------------------------------


def _heading(text: str, hints_patterns, following: str) -> tuple[int, str]:
    """(level, title) when the line is a heading, else (0, "")."""
    for pattern, level in hints_patterns:
        if m := pattern.match(text):
            return level, (m.group("title") if "title" in pattern.groupindex else text).strip()
    if m := CHAPTER_WORD.match(text):
        title = m[2].strip() or (following if following and not ENDS_SENTENCE.search(following) else "")
        return 1, f"{m[1]} {title}".strip()
    short = len(text) <= 90 and not ENDS_SENTENCE.search(text) and not TOC_ENTRY.search(text)
    if short and (m := SECTION_NUMBER.match(text)) and m[2][0].isupper():
        return m[1].count(".") + 1, f"{m[1]} {m[2].strip()}"
    if short and CHAPTER_NUMBER.match(text) and following[:1].isupper():
        return 1, text.strip()
    return 0, ""


MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")


def _size_levels(pages: list[Page], hints: dict) -> dict[float, tuple[int, dict]]:
    """Heading sizes in the document: {size: (level, hint)}. By default the largest is level 1, the
    next 2, the rest 3; a document's `heading_sizes` hint ([{size, level, case?, names?}], sizes within a quarter
    of a point) names them instead, and large type of any other size is then not a heading."""
    sizes = sorted({size for page in pages for size, _text in page.large}, reverse=True)
    named = hints.get("heading_sizes")
    if not named:
        return {size: (min(i + 1, 3), {}) for i, size in enumerate(sizes)}
    return {
        size: (int(h["level"]), h) for size in sizes for h in named if abs(size - float(h["size"])) <= 0.25
    }


def _large_size(text: str, page: Page) -> float | None:
    """The size of a line set (mostly) in large type, else None."""
    line = re.sub(r"\s+", " ", text).strip()
    if len(line) < 3 or len(line) > 90 or BULLET.match(line) or GENERIC_BULLET.match(line):
        return None  # an item is never a heading, whatever large words it shares
    sizes = [size for size, part in page.large if part and (part in line or line in part)]
    covered = sum(len(part) for size, part in page.large if part and part in line)
    if sizes and (covered >= 0.6 * len(line) or any(line in part for _size, part in page.large)):
        return max(sizes)
    return None


OPENS_QUOTE = re.compile(r"^[“‘„\"]")
CLOSES_QUOTE = re.compile(r"[”’\"]\W*$")


def _cased(title: str, hint: dict, first: bool) -> str:
    """ALL-CAPS headings in sentence case ("1. STERKE SAMENLEVING," → "1. Sterke samenleving,"), the
    hint's `names` ("Nederland") keeping their capital."""
    if hint.get("case") != "capitalize":
        return title
    title = title.lower()
    for name in hint.get("names", ()):
        title = re.sub(rf"\b{re.escape(name.lower())}\b", name, title)
    if first and (m := re.search(r"[^\W\d_]", title)):
        title = title[: m.start()] + title[m.start()].upper() + title[m.start() + 1 :]
    return title


def _toc_pages(pages: list[Page]) -> set[str]:
    """The page numbers a table of contents gives (alone on a line, or at the end of an entry)."""
    found = set()
    for page in pages:
        if any(TOC_TITLE.match(line) for line in page.lines[:8]):
            for line in page.lines:
                if m := re.match(r"^\s*(\d{1,4})\s*$", line) or re.search(
                    r"(?:\s{2,}|\.{3,}\s*)(\d{1,4})\s*$", line
                ):
                    found.add(str(int(m[1])))
    return found


def layout(pages: list[Page], hints: dict) -> list[Line]:
    """A PDF's lines: numbered, headings marked, items counted, each with its location label, and a
    blank line where a paragraph ends (a PDF has none).

    Large type is a heading when its size is a heading size; a heading set over several lines (the
    next ones in the same size, even in lower case) is one heading; a pull quote (large type that
    opens with a quotation mark, up to the line that closes it) repeats the text and is furniture.
    With the hint `toc_chapters`, the first large heading on a page the table of contents names starts
    a chapter (level 1), whatever its size: some documents set chapters and sections alike."""
    patterns = [(re.compile(h["pattern"]), int(h.get("level", 1))) for h in hints.get("headings", [])]
    levels = _size_levels(pages, hints)
    chapter_pages = _toc_pages(pages) if hints.get("toc_chapters") else set()
    lines, path, item, number = [], [], 0, 0

    def paragraph_break():
        # A PDF has no blank lines: mark where a paragraph ends, for passages and the viewer.
        nonlocal number
        if lines and lines[-1].text and not lines[-1].furniture:
            number += 1
            lines.append(Line(number, "", label=lines[-1].label, page=lines[-1].page))

    for page in pages:
        toc = any(TOC_TITLE.match(line) for line in page.lines[:8])
        body = sorted(
            len(line.strip())
            for line, f in zip(page.lines, page.furniture, strict=True)
            if line.strip() and not f
        )
        short = body[len(body) // 2] * 0.75 if body else 0
        texts = [(line, furniture) for line, furniture in zip(page.lines, page.furniture, strict=True)]
        heading_size, pull_quote = None, False  # the large size of the heading line just before
        chapter_due = page.number in chapter_pages
        for i, (raw, furniture) in enumerate(texts):
            number += 1
            text = raw.strip()
            size = _large_size(text, page) if text and page.large and not furniture else None
            pull_quote = pull_quote and bool(size)  # it goes on over consecutive lines of large type
            if size and not toc and (pull_quote or OPENS_QUOTE.match(text)):
                pull_quote = not CLOSES_QUOTE.search(text)
                furniture = True
            if furniture:
                lines.append(Line(number, text, furniture=True, page=page.number))
                continue
            following = next((t.strip() for t, f in texts[i + 1 :] if t.strip() and not f), "")
            level, title = (0, "") if toc or not text else _heading(text, patterns, following)
            if not level and not toc and size in levels:
                level, hint = levels[size]
                continued = bool(size == heading_size and lines and lines[-1].heading)
                goes_on = text.endswith(",") and _large_size(following, page) == size
                if continued:
                    level, title = lines[-1].heading, _cased(text, hint, first=False)
                elif not (ENDS_SENTENCE.search(text) and not goes_on) and not text[0].islower():
                    title = _cased(text, hint, first=True)
                    if chapter_due:
                        level, chapter_due = 1, False
                else:
                    level = 0
            title = re.sub(r"\s+", " ", title)
            if level and lines and lines[-1].heading == level and path and path[-1][0] == level:
                # A heading set over two lines is one heading.
                path[-1] = (level, f"{path[-1][1]} {title}")
            elif level and path and path[-1][1] == title:
                pass  # the chapter's title repeated at the top of its first page
            elif level:
                path = [p for p in path if p[0] < level] + [(level, title)]
                item = 0
            elif BULLET.match(raw) or GENERIC_BULLET.match(raw):
                paragraph_break()
                item += 0 if SUB_BULLET.match(raw) else 1
                text = GENERIC_BULLET.sub("", BULLET.sub("", raw)).strip()
            elif m := NUMBERED_ITEM.match(raw):
                paragraph_break()
                item = int(m[1])
            heading_size = size if level else None
            label = " › ".join([p[1] for p in path] + ([f"punt {item}"] if item else [])) or "Begin"
            if page.number:
                label += f" · {page.reference}"
            if level:
                paragraph_break()
            lines.append(Line(number, text, label=label, heading=level, page=page.number))
            if not level and text and len(text) < short and SENTENCE_END.search(text):
                paragraph_break()
    return lines


GENERIC_BULLET = re.compile(r"^\s*[•●▪■◦‣›→]\s+")
SUB_BULLET = re.compile(r"^\s*→")  # D66's sub-bullets and link leftovers: not a new item
MARKDOWN_BULLET = re.compile(r"^\s*[-*+]\s+")


# --- text files: the same ideas, with the document's hints for what a text file cannot show --------


@dataclass
class _HeadingHint:
    pattern: re.Pattern
    level: int
    label: str = ""  # format with the pattern's named groups, e.g. "H{number} {title}"; "" = the line
    sequence: bool = False  # only when its {number} is one more than the previous one's
    toc_page: bool = False  # the heading starts the page after the one the table of contents gives
    item_word: str = ""  # items under it are called this ("hoofdpunt") until their numbering restarts
    join_next: bool = False  # a title that continues on the next line
    run_in: bool = (
        False  # the heading opens a paragraph ("De belastingen hervormen. Door …"): the line stays text
    )
    case: str = ""  # "capitalize" for ALL-CAPS headings

    @classmethod
    def parse(cls, hint: dict) -> _HeadingHint:
        return cls(re.compile(hint["pattern"]), int(hint.get("level", 1)), hint.get("label", ""),
                   bool(hint.get("sequence")), bool(hint.get("toc_page")), hint.get("item_word", ""),
                   bool(hint.get("join_next")), bool(hint.get("run_in")), hint.get("case", ""))  # fmt: skip


SUBHEADING_LEVEL = 9  # below every numbered level


def _is_subheading(lines: list[str], i: int, previous: str) -> bool:
    """A short line without closing punctuation after a finished sentence, before new text."""
    text = lines[i].strip()
    if not (2 < len(text) <= 75) or BULLET.match(lines[i]) or not text[0].isupper():
        return False
    if re.search(r"[.,;:!?–-]$", text) or (previous and not SENTENCE_END.search(previous)):
        return False
    following = next((ln.strip() for ln in lines[i + 1 :] if ln.strip()), "")
    return bool(following) and (following[0].isupper() or following[0] in "•→")


def text_layout(raw_lines: list[str], hints: dict, markdown: bool = False) -> list[Line]:
    """Headings, items and pages of a text file. Pages exist only where the hints say how to find
    them: `page_marker` (a line naming its page), `page_break` (a line that starts the next page) and
    the page numbers of a table of contents (`toc`), and `page_starts` (line numbers) where a text
    lost its page breaks beyond what a pattern can tell. A heading of level 0 is a part of the document
    (a letter and its annexes): it stays in the location above every numbered level."""
    headings = [_HeadingHint.parse(h) for h in hints.get("headings", [])]
    furniture = [re.compile(p) for p in hints.get("furniture", [])]
    marker = re.compile(hints["page_marker"]) if hints.get("page_marker") else None
    page_break = re.compile(hints["page_break"]) if hints.get("page_break") else None
    page_name = hints.get("page_name", "p.")
    page_starts = set(
        hints.get("page_starts", [])
    )  # line numbers that begin a page, where no pattern can tell
    toc = {}
    if hints.get("toc"):
        for raw in raw_lines[:80]:
            if m := re.match(hints["toc"], raw):
                toc[m["number"]] = (re.sub(r"\s+", " ", m["title"]).strip(), int(m["page"]))
    markdown = markdown or bool(hints.get("markdown"))
    subheadings = not markdown and hints.get("subheadings", True)
    lines, item, item_word, previous = [], 0, "", ""
    path = [(0, hints["start_part"], None)] if hints.get("start_part") else []
    page, fresh_page = hints.get("first_page"), False
    numbers: dict[int, int] = {}
    for n, raw in enumerate(raw_lines, 1):
        stripped = raw.strip()
        if marker and (m := marker.match(raw)):
            page, fresh_page = int(m["page"]), True
            lines.append(Line(n, stripped, furniture=True, page=page))
            continue
        if any(p.search(raw) for p in furniture):
            lines.append(Line(n, stripped, furniture=True, page=page))
            continue
        level, title, hint = None, "", None
        for candidate in headings if stripped else ():
            if not (m := candidate.pattern.match(raw)):
                continue
            groups = {k: (v or "").strip() for k, v in m.groupdict().items()}
            number = groups.get("number", "")
            if candidate.sequence and int(number) != numbers.get(candidate.level, 0) + 1:
                continue
            if candidate.toc_page:
                if number not in toc:
                    continue
                groups["title"], toc_page = toc[number]
                page, fresh_page = toc_page + 1, True  # after the chapter's divider page
            if candidate.sequence:
                numbers[candidate.level] = int(number)
            title = candidate.label.format(**groups) if candidate.label else stripped
            if candidate.join_next:
                following = raw_lines[n].strip() if n < len(raw_lines) else ""
                if (
                    following
                    and (following[0].islower() or title.endswith(("–", "-", ",")))
                    and len(following) < 60
                ):
                    title = f"{title} {following}"
                title = title.rstrip(" –-,")
            title = title.capitalize() if candidate.case == "capitalize" else title
            level, hint = candidate.level, candidate
            break
        if level is None and markdown and (m := MARKDOWN_HEADING.match(stripped)):
            level, title = len(m[1]), strip_markdown(m[2]).strip()
        if level is None and subheadings and stripped and _is_subheading(raw_lines, n - 1, previous):
            level, title = SUBHEADING_LEVEL, stripped
        if (
            stripped
            and page is not None
            and not fresh_page
            and (n in page_starts or (page_break and page_break.match(raw)))
        ):
            page += 1
        if stripped:
            # After a heading a new text begins, as after a finished sentence.
            fresh_page, previous = False, "." if level is not None else stripped
        text = strip_markdown(raw).strip() if markdown else raw.strip()
        if level is not None:
            path = [p for p in path if p[0] < level] + [(level, title, hint)]
            item, item_word = 0, (hint.item_word if hint else "")
            text = title if markdown and MARKDOWN_HEADING.match(stripped) else text
        elif BULLET.match(raw) or GENERIC_BULLET.match(raw) or (markdown and MARKDOWN_BULLET.match(raw)):
            item += 0 if SUB_BULLET.match(raw) else 1
            text = GENERIC_BULLET.sub("", BULLET.sub("", raw))
            text = strip_markdown(MARKDOWN_BULLET.sub("", text)).strip() if markdown else text.strip()
        elif path and (m := NUMBERED_ITEM.match(raw)):
            if item_word and int(m[1]) == 1 and item:
                # The list with its own name ("HOOFDPUNTEN") has ended: its numbering restarts.
                path = [p for p in path if not (p[2] and p[2].item_word)]
                item_word = ""
            item = int(m[1])
        shown = [p[1] for p in path if not (p[2] and p[2].item_word)]
        point = [f"{item_word or 'punt'} {item}"] if item else []
        label = " › ".join((shown or [hints.get("start", "")]) + point).strip(" ›") or "Begin"
        if page:
            label += f" · {page_name} {page}"
        shown_level = 0 if level is None or (hint and hint.run_in) else max(1, min(level, 3))
        lines.append(Line(n, text, label=label, heading=shown_level, page=page or None))
    return lines
