"""web/workshop/briefing.py: the briefing as one printable HTML page and its PDF."""
from __future__ import annotations

from decimal import Decimal

from pdf_text import pdf_pages, pdf_text

from graph.workshop.briefing import Briefing, Finding, Goal, Initiative, PlanPart, briefing
from web.printing import pdf_from_html
from web.workshop.briefing import render_briefing

SCRIPT = "<script>alert(1)</script>"


def hostile_briefing() -> Briefing:
    part = PlanPart("https://x/plan", f"Plan {SCRIPT}", ["vedtaget af"], [Goal("https://x/g", f"Mål {SCRIPT}", "mål")], False,
                    [Initiative("https://x/i", f"Indsats {SCRIPT}", [(2024, Decimal(1_500_000))], [SCRIPT])], True)
    return Briefing("https://x/body", f"Udvalg {SCRIPT}", [part], [SCRIPT], [Finding("Overlap", "overlap", [SCRIPT], 7, True)],
                    True, f"Tag {SCRIPT} med")


def test_every_text_from_the_data_is_escaped():
    html = render_briefing(hostile_briefing(), "da", f"Workshop {SCRIPT}", "2024-05-01")
    assert SCRIPT not in html and html.count("&lt;script&gt;") >= 8
    assert "1.500.000" in html                      # Danish thousands separator
    assert "Listen er forkortet" in html and "Viser 1 af 7." in html   # cut lists say so


def test_english_texts_and_amounts():
    html = render_briefing(hostile_briefing(), "en", "Workshop", "2024-05-01")
    assert "What we ask you to bring" in html and "1,500,000" in html and '<html lang="en">' in html


def test_the_pdf_names_the_committee_and_a_goal_in_danish(example_store):
    found = briefing(example_store, "da", "org/koebenhavn/biu", ["doc/koebenhavn/integrationshandleplan-2019-22"],
                     "org/koebenhavn", "Tal for ledigheden i 2023")
    pdf = pdf_from_html(render_briefing(found, "da", "Workshop om integration", "1. maj 2024"))
    assert len(pdf_pages(pdf)) == 1, "the committee's briefing fits on one A4 page"
    text = pdf_text(pdf)
    assert "Til: Beskæftigelses- og Integrationsudvalget" in text
    assert "Jobparate ledige (fokusområde, under Job)" in text
    assert "Tal for ledigheden i 2023" in text and "side 1 af" in text
