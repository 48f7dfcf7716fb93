"""Small PDFs made by the tests themselves, for the edge cases (no binary fixtures in the tree)."""

import io


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(pages: list[list[str]], *, font_size: int = 11, bomb: int = 0) -> bytes:
    """A valid PDF with one Helvetica text line per entry (WinAnsi, so Latin-1 text only).

    `bomb`: the first page's content stream is instead `bomb` bytes of spaces, deflated (a few
    hundred KB in the file)."""
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        None,
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    kids = []
    for lines in pages:
        ops = ["BT", f"/F1 {font_size} Tf", "14 TL", "72 770 Td"]
        for line in lines:
            ops.append(f"({_escape(line)}) Tj T*")
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1")
        flate = ""
        if bomb and not kids:
            import zlib

            stream, flate = zlib.compress(b" " * bomb, 9), " /Filter /FlateDecode"
        objects.append(
            f"<< /Length {len(stream)}{flate} >>\nstream\n".encode("latin-1") + stream + b"\nendstream"
        )
        content = len(objects)
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {content} 0 R /Resources << /Font << /F1 3 0 R >> >> >>"
        )
        kids.append(len(objects))
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>"
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        body = body if isinstance(body, bytes) else body.encode("latin-1")
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


TOPICS = [
    "wonen",
    "zorg",
    "onderwijs",
    "klimaat",
    "werk",
    "veiligheid",
    "cultuur",
    "landbouw",
    "europa",
    "water",
]


def programme_pages(count: int = 6) -> list[list[str]]:
    """Pages with a running header, a chapter heading, body text and a printed page number."""
    return [
        ["Testpartij Verkiezingsprogramma 2025", f"Hoofdstuk {n} {TOPICS[n - 1].capitalize()}",
         f"Op pagina {n} staat een zin over {TOPICS[n - 1]}.", f"Over {TOPICS[n - 1]} zeggen we veel meer.",
         f"De tweede zin gaat ook over {TOPICS[n - 1]} en de mensen.", f"Ten slotte nog iets over {TOPICS[n - 1]}.",
         f"{n}"]
        for n in range(1, count + 1)
    ]  # fmt: skip


def encrypt(data: bytes, user_password: str, algorithm: str = "AES-256") -> bytes:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="eigenaar", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
