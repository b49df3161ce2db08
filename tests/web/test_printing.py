"""web/printing.py: one print path, HTML with print.css and the PDF from that same HTML, made offline."""
from __future__ import annotations

from pdf_text import pdf_pages, pdf_text

from web.printing import BASE_URL, STATIC, inline_stylesheet, page_words, pdf_from_html, static_file


def document(body: str, lang: str = "da", head: str = "") -> str:
    words = page_words(lang)
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">{head}</head>'
            f'<body data-page-word="{words["page"]}" data-of-word="{words["of"]}">{body}</body></html>')


def test_danish_letters_come_back_from_the_pdf():
    pdf = pdf_from_html(document("<h1>Beskæftigelses- og Integrationsudvalget</h1><p>ÆØÅ æøå på Østerbro</p>",
                                 head=inline_stylesheet("print.css", "print")))
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "Beskæftigelses- og Integrationsudvalget" in text and "ÆØÅ æøå på Østerbro" in text


def test_pages_are_numbered_in_the_documents_language_from_the_linked_stylesheet():
    """The app's pages link /static/print.css: the fetcher serves it from web/static (the page
    numbers come only from there)."""
    many = "".join(f"<p>Afsnit {n}</p>" for n in range(120))
    head = '<link rel="stylesheet" href="/static/print.css" media="print">'
    pages = pdf_pages(pdf_from_html(document(many, "da", head)))
    assert len(pages) >= 2
    assert f"side 1 af {len(pages)}" in pages[0] and f"side {len(pages)} af {len(pages)}" in pages[-1]
    english = pdf_pages(pdf_from_html(document(many, "en", head)))
    assert f"page 2 of {len(english)}" in english[1]


def test_a_document_referring_to_the_web_makes_no_connection_and_still_prints(listener):
    body = (f'<p>Trykt uden net</p><img src="{listener.url}x.png" alt="">'
            '<img src="http://example.org/x.png" alt="">')
    head = f'<link rel="stylesheet" href="{listener.url}style.css">'
    pdf = pdf_from_html(document(body, head=head))
    assert "Trykt uden net" in pdf_text(pdf)
    assert listener.seen() == []


def test_files_outside_web_static_are_not_read_but_data_urls_are(tmp_path):
    secret = tmp_path / "secret.css"
    secret.write_text('body::before { content: "HEMMELIG" }', encoding="utf-8")
    head = (f'<link rel="stylesheet" href="{secret.as_uri()}">'
            '<link rel="stylesheet" href="data:text/css,body::after%7Bcontent:%22DATAOK%22%7D">')
    text = pdf_text(pdf_from_html(document("<p>Indhold</p>", head=head)))
    assert "Indhold" in text and "DATAOK" in text and "HEMMELIG" not in text


def test_only_files_inside_web_static_are_served():
    assert static_file(BASE_URL + "print.css") == STATIC / "print.css"
    assert static_file("file:///static/print.css") == STATIC / "print.css"   # the app's /static/ path
    assert static_file(BASE_URL + "../printing.py") is None
    assert static_file("file:///static/../../etc/passwd") is None
    assert static_file("file:///etc/passwd") is None
    assert static_file("http://example.org/static/print.css") is None


def test_the_print_stylesheet_keeps_navigation_off_paper_and_headings_with_what_follows():
    css = (STATIC / "print.css").read_text(encoding="utf-8")
    pdf = pdf_from_html(document('<nav>MENU</nav><button>KNAP</button><p><a href="/x">et link</a></p>',
                                 head=inline_stylesheet("print.css", "print")))
    text = pdf_text(pdf)
    assert "et link" in text and "MENU" not in text and "KNAP" not in text
    assert "size: A4" in css and "break-after: avoid" in css and "break-inside: avoid" in css


def test_the_same_html_is_printed_once_and_a_changed_one_again(monkeypatch):
    import web.printing as printing

    printed = []
    real = printing.HTML

    def counting(**kwargs):
        printed.append(kwargs["string"])
        return real(**kwargs)

    monkeypatch.setattr(printing, "HTML", counting)
    first = pdf_from_html(document("<p>Første udgave af dokumentet</p>"))
    assert pdf_from_html(document("<p>Første udgave af dokumentet</p>")) == first and len(printed) == 1
    assert "Anden udgave" in pdf_text(pdf_from_html(document("<p>Anden udgave</p>"))) and len(printed) == 2
