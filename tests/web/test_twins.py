"""web/twins.py: one view, its page and its twins; here the `.pdf` twin printed from the page's HTML."""
from __future__ import annotations

from flask import Blueprint, Flask
from pdf_text import pdf_text

from web.printing import print_context
from web.twins import Reply, twin

PAGE = """<!doctype html>{% set w = page_words('da') %}
<html lang="da"><head><meta charset="utf-8">
{{ stylesheet('print.css', 'print') }}</head><body data-page-word="{{ w.page }}" data-of-word="{{ w.of }}"><nav>MENU</nav><h1>{{ data.title }}</h1></body></html>"""


def app_with_a_printable_view(tmp_path) -> Flask:
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    app = Flask(__name__, template_folder=str(tmp_path), static_folder=str(tmp_path / "no-static"))
    bp = Blueprint("demo", __name__)

    @twin(bp, "/demo", "page.html", pdf=True)
    def demo() -> Reply:
        reply = Reply.of({"title": "Udvalgets mål for Østerbro"}, **print_context(inline=True))
        reply.filename = "demo"
        return reply

    app.register_blueprint(bp)
    return app


def test_the_pdf_twin_prints_the_pages_html(tmp_path):
    client = app_with_a_printable_view(tmp_path).test_client()
    page = client.get("/demo")
    assert page.status_code == 200 and "Udvalgets mål for Østerbro" in page.get_data(as_text=True)
    pdf = client.get("/demo.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.headers["Content-Disposition"] == 'inline; filename="demo.pdf"'
    text = pdf_text(pdf.data)
    assert "Udvalgets mål for Østerbro" in text and "side 1 af 1" in text and "MENU" not in text
    assert client.get("/demo.json").get_json() == {"title": "Udvalgets mål for Østerbro"}


def test_without_pdf_there_is_no_pdf_twin(example_client):
    assert example_client.get("/questions.pdf").status_code == 404
