"""One print path for every document the app prints (the coherence report, workshop briefings,
records and letters): HTML with the print stylesheet (web/static/print.css), and PDF from that same
HTML with weasyprint, so that the paper from a browser's Ctrl+P and the PDF download look alike.

The PDF is made offline: weasyprint fetches what a document refers to only through `OfflineFetcher`,
which serves the app's own static files and `data:` URLs and refuses everything else, so a label in
the data that smuggles in `<img src="http://...">` (or `file:///etc/passwd`) makes no connection and
reads no file; the document still prints, without that resource.
"""
from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from flask import url_for
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ontology.texts import translate

STATIC = Path(__file__).resolve().parent / "static"
STATIC_URL_PATH = "/static/"          # where Flask serves web/static (url_for('static', ...))
BASE_URL = STATIC.as_uri() + "/"      # relative references in a document resolve inside web/static
DOCUMENT_TEMPLATES = Path(__file__).resolve().parent / "templates" / "files"
PRINTED_KEPT = 8                      # PDFs kept by the hash of their HTML (each some 100 kB)
LOG = logging.getLogger(__name__)
_PRINTED: OrderedDict[bytes, bytes] = OrderedDict()
_PRINTED_LOCK = threading.Lock()


class RefusedURL(ValueError):
    """A document referred to something outside the app's static files: not fetched."""


def static_file(url: str) -> Path | None:
    """The file under web/static that `url` names, or None. A `file:` URL counts when it lies inside
    web/static (after resolving `..` and links); so does the app's own `/static/...` path, which a page
    rendered for the browser carries and which weasyprint resolves against BASE_URL as `file:///static/...`."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = unquote(parts.path)
    candidates = [Path(path)]
    if path.startswith(STATIC_URL_PATH):
        candidates.append(STATIC / path[len(STATIC_URL_PATH):])
    for candidate in candidates:
        resolved = candidate.resolve()
        if resolved.is_relative_to(STATIC) and resolved.is_file():
            return resolved
    return None


class OfflineFetcher(URLFetcher):
    """weasyprint's fetcher limited to `data:` URLs and files of web/static. Refusing raises, which
    weasyprint logs before it goes on without the resource (`fail_on_errors` stays off)."""

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        found = static_file(url)
        if found is None:
            LOG.info("print: not fetched (only the app's static files are): %s", url[:200])
            raise RefusedURL(f"not fetched: {url[:200]}")
        return super().fetch(found.as_uri(), headers)


def pdf_from_html(html: str) -> bytes:
    """The PDF of a document rendered for print (A4, print.css, page numbers), without the network.
    Printing takes seconds (the report: 50 pages in about 4 s) while its HTML takes a fraction of
    one, so the last few PDFs are kept by the hash of their HTML: the same document asked for again
    (a reload, a second reader) is not printed again, and a changed one never comes from the cache."""
    key = hashlib.sha256(html.encode("utf-8")).digest()
    with _PRINTED_LOCK:
        if key in _PRINTED:
            _PRINTED.move_to_end(key)
            return _PRINTED[key]
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=OfflineFetcher()).write_pdf()
    with _PRINTED_LOCK:
        _PRINTED[key] = document
        while len(_PRINTED) > PRINTED_KEPT:
            _PRINTED.popitem(last=False)
    return document


def page_words(lang: str) -> dict[str, str]:
    """The words of the page numbers ("side 3 af 5" / "page 3 of 5"): print.css reads them from the
    `data-page-word` and `data-of-word` attributes of `<body>`, so the texts stay in ontology/texts."""
    return {"page": translate("print.page", lang), "of": translate("print.of", lang)}


def inline_stylesheet(name: str, media: str = "all") -> Markup:
    """A stylesheet of web/static written into the document: a file that is saved, mailed or opened
    on an intranet carries its own styles (our own files, so trusted as markup)."""
    css = (STATIC / name).read_text(encoding="utf-8")
    return Markup('<style media="{}">\n').format(media) + Markup(css) + Markup("</style>")


def linked_stylesheet(name: str, media: str = "all") -> Markup:
    """A stylesheet of web/static linked from a page the app serves (its CSP forbids inline styles);
    weasyprint fetches it through `OfflineFetcher` when the same page is printed to PDF."""
    return Markup('<link rel="stylesheet" href="{}" media="{}">').format(url_for("static", filename=name), media)


def print_context(*, inline: bool) -> dict[str, Any]:
    """What a printable template needs besides its data: `stylesheet(name, media)` and `page_words(lang)`.
    `inline` for documents saved as one file, linked for pages served by the app."""
    return {"stylesheet": inline_stylesheet if inline else linked_stylesheet, "page_words": page_words}


def document_environment(**globals_: Any) -> Environment:
    """Jinja over web/templates/files (documents to save or print, rendered without a request), with
    autoescape, inline stylesheets and the page-number words."""
    env = Environment(loader=FileSystemLoader(DOCUMENT_TEMPLATES), autoescape=select_autoescape(["html"]))
    env.globals.update(print_context(inline=True), **globals_)
    return env
