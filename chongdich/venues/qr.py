"""The venue's QR code (segno: pure Python) as PNG or SVG, and a one-page A4 PDF poster written by
hand: the QR drawn as filled squares (vector, sharp at any print size), a title, the venue's name
and its code. The PDF uses the standard Helvetica font, which has no Vietnamese letters, so the
poster's texts are written without diacritics; the HTML poster page (venues:poster) prints the
full Vietnamese text."""

from __future__ import annotations

import io
import unicodedata

import segno


def checkin_url(base: str, code: str) -> str:
    return f"{base.rstrip('/')}/venues/c/{code}/"


def qr_png(url: str, *, scale: int = 10) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def qr_svg(url: str, *, scale: int = 8) -> str:
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="svg", scale=scale, border=4, xmldecl=False,
                                                svgns=True)
    return out.getvalue().decode()


def _ascii(text: str) -> str:
    """What Helvetica can show: diacritics removed (đ → d), PDF string delimiters escaped."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    plain = "".join(c for c in unicodedata.normalize("NFD", text)
                    if unicodedata.category(c) != "Mn" and c.isascii() and c.isprintable())
    return plain.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def poster_pdf(*, url: str, name: str, code: str, address: str = "") -> bytes:
    """One A4 page (595 × 842 pt)."""
    qr = segno.make(url, error="m", micro=False)
    matrix = [list(row) for row in qr.matrix]
    size = len(matrix)
    side = 420.0
    cell = side / size
    x0, y0 = (595 - side) / 2, 220.0
    squares = []
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                squares.append(f"{x0 + c * cell:.2f} {y0 + (size - 1 - r) * cell:.2f} {cell:.2f} {cell:.2f} re")
    lines = [
        ("F1", 30, 760, "QUET MA QR DE KHAI BAO"),
        ("F1", 16, 730, "Scan to check in - Chong Dich"),
        ("F1", 24, 180, _ascii(name)[:40]),
        ("F2", 12, 155, _ascii(address)[:80]),
        ("F2", 14, 120, f"Ma dia diem: {code}"),
        ("F2", 10, 95, _ascii(url)[:90]),
    ]
    text = "".join(f"BT /{font} {pt} Tf {max((595 - len(s) * pt * 0.5) / 2, 36):.0f} {y} Td ({s}) Tj ET\n"
                   for font, pt, y, s in lines)
    stream = ("0 g\n" + "\n".join(squares) + "\nf\n" + text).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()
