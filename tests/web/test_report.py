"""web/report.py: the coherence report as a saved file, a PDF printed from it (also by
`policygraph report --format pdf`), and the page /report with its .json and .pdf twins."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from pdf_text import pdf_text

from graph.questions.report import build_report
from web.cli import main
from web.report import render_html, render_pdf

DATA = Path(__file__).resolve().parents[2] / "data"
# Seed: data/koebenhavn/inklusionspolitik-2011-14.yaml, Bilag 1, afsnit 2
QUOTE = "«Politikken består af fire indsatsområder: 1. Alle børn og unge skal have en god start på livet»"


@pytest.fixture(scope="module")
def danish_pdf(example_store) -> bytes:
    return render_pdf(build_report(example_store, "da"))


def test_the_pdf_has_the_reports_danish_headings(danish_pdf):
    text = pdf_text(danish_pdf)
    for heading in ("Sammenhængsrapport", "Huller", "Overlap", "Synergier", "Kontinuitet", "Uoverensstemmelser"):
        assert heading in text
    assert re.search(r"side 1 af \d+", text)


def test_the_pdf_quotes_the_example_graphs_sources_as_numbered_notes(danish_pdf):
    text = pdf_text(danish_pdf)
    notes = text[text.rindex("Kilder"):]
    assert QUOTE in notes and re.search(r"\[\d+\]", text)


def test_the_saved_file_carries_its_styles_and_links_nothing(example_store):
    html = render_html(build_report(example_store, "en"))
    assert '<style media="print">' in html and "size: A4" in html
    assert '<body data-page-word="page" data-of-word="of">' in html
    assert "<link" not in html


def test_the_report_page_links_the_print_stylesheet_and_has_no_inline_style(example_client):
    """Served under the CSP (no inline styles): Ctrl+P gives the same paper as the PDF."""
    page = example_client.get("/report?lang=da").get_data(as_text=True)
    assert '<link rel="stylesheet" href="/static/print.css" media="print">' in page
    assert "<style" not in page and "Sammenhængsrapport" in page


def test_the_report_pdf_twin_prints_the_page(example_client):
    response = example_client.get("/report.pdf?lang=da")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert QUOTE in pdf_text(response.data)


def test_the_report_json_twin_names_the_findings(example_client):
    data = example_client.get("/report.json?lang=en").get_json()
    synergies = [row for s in data["sections"]["synergy"] for row in s["rows"]]
    assert data["lang"] == "en" and any("LGBTI+" in " ".join(row) for row in synergies)


def test_the_report_command_writes_a_pdf(tmp_path):
    store = str(tmp_path / "store")
    assert CliRunner().invoke(main, ["--store", store, "load", str(DATA)]).exit_code == 0
    output = tmp_path / "rapport.pdf"
    result = CliRunner().invoke(main, ["--store", store, "report", "--lang", "da", "--format", "pdf", "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert "Sammenhængsrapport" in pdf_text(output.read_bytes())


def test_the_served_report_is_reused_until_it_is_old(example_store, monkeypatch):
    """Page, .json and .pdf asked for together show one report (one time stamp, one print)."""
    import web.report as served

    built = []
    monkeypatch.setattr(served, "build_report",
                        lambda store, lang, scope: built.append(lang) or build_report(store, lang, scope))
    served._RECENT.clear()
    first = served.recent_report(example_store, "da")
    assert served.recent_report(example_store, "da") is first and built == ["da"]
    monkeypatch.setattr(served, "REPORT_TTL", 0.0)
    assert served.recent_report(example_store, "da") is not first and built == ["da", "da"]


def test_a_report_for_one_municipality_says_so_and_keeps_to_it(example_client, example_store):
    """Silkeborg (data/silkeborg/) has no LGBTI+ policy: that is Copenhagen's (data/koebenhavn/lgbti-politik-2019-23.yaml)."""
    whole = example_client.get("/report.json?lang=da").get_json()
    silkeborg = example_client.get("/report.json?lang=da&municipality=org/silkeborg").get_json()
    assert silkeborg["scope"]["municipality"].endswith("/org/silkeborg") and silkeborg["scope_label"]
    assert not any("LGBTI+" in " ".join(row) for s in silkeborg["sections"]["synergy"] for row in s["rows"])
    count = lambda data: sum(s["total"] for sections in data["sections"].values() for s in sections)  # noqa: E731
    assert 0 < count(silkeborg) < count(whole)
    page = example_client.get("/report?lang=da&municipality=org/silkeborg").get_data(as_text=True)
    assert "Sammenfatning" in page and "Silkeborg" in page


def test_an_unknown_scope_is_one_clear_message(example_client):
    refused = example_client.get("/report.json?lang=en&municipality=org/atlantis")
    assert refused.status_code == 404 and "Unknown municipality, committee or plan: org/atlantis" in refused.get_json()["error"]


def test_the_cli_writes_a_report_for_a_plan(example_store, tmp_path, monkeypatch):
    from graph.cli.context import Context

    monkeypatch.setattr(Context, "store", lambda self: example_store)
    out = tmp_path / "plan.md"
    done = CliRunner().invoke(main, ["report", "--format", "markdown", "-o", str(out),
                                     "--plan", "doc/koebenhavn/integrationshandleplan-2019-22"])
    assert done.exit_code == 0, done.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Coherence report: Integration Action Plan 2019-22") or "Integrationshandleplan 2019-22" in text.splitlines()[0]
