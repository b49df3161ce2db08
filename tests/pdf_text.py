"""Reading a printed PDF back as text (pdfplumber), for tests of web/printing.py and its documents."""
from __future__ import annotations

import io

import pdfplumber


def pdf_pages(document: bytes) -> list[str]:
    """The text of every page, as pdfplumber reads it."""
    with pdfplumber.open(io.BytesIO(document)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def pdf_text(document: bytes) -> str:
    """All pages' text, whitespace runs as one space (a phrase may wrap at any space)."""
    return " ".join(" ".join(pdf_pages(document)).split())


def column_text(document: bytes, heading: str) -> str:
    """The text of the table column under `heading`, on every page, whitespace runs as one space:
    a quote wrapped inside a narrow cell reads back whole (whole-page text interleaves the lines
    of the cells beside it)."""
    parts = []
    with pdfplumber.open(io.BytesIO(document)) as pdf:
        for page in pdf.pages:
            words = [w for w in page.extract_words() if w["text"] == heading]
            for word in words:
                parts.append(page.crop((word["x0"] - 1, word["top"], page.width, page.height)).extract_text() or "")
    return " ".join(" ".join(parts).split())
