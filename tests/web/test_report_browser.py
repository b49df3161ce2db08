"""The report for a meeting in a real browser (Chromium through Playwright) over the example graph: a
strategist opens one municipality's report, it is axe-clean, and printing it from the browser (its
print stylesheet, A4) gives a PDF with the summary first and the Danish (or English) headings, whose
pages are no wider than A4 portrait. The tab, its offline guard and the accessibility check are those
of tests/web/test_browser.py."""
from __future__ import annotations

import pytest

from tests.browser_support import screenshot
from tests.pdf_text import pdf_pages, pdf_text
from tests.web.test_browser import LAPTOP, _close, _visitor

HEADINGS = {"da": ("Sammenhængsrapport", "Sammenfatning", "Kilder"), "en": ("Coherence report", "Summary", "Sources")}
A4_WIDTH_PT = 595.3


@pytest.mark.parametrize("lang", ["da", "en"])
def test_a_municipalitys_report_printed_from_the_browser(browser, live_server, lang):
    import io

    import pdfplumber

    visitor = _visitor(browser, live_server, LAPTOP)
    try:
        page = visitor.page
        visitor.open(f"/report?municipality=org/koebenhavn&lang={lang}")
        title, summary, sources = HEADINGS[lang]
        assert title in page.locator("h1").inner_text()
        visitor.check_accessibility(f"/report?municipality=org/koebenhavn ({lang})")
        screenshot(page, f"report-koebenhavn-{lang}")
        page.emulate_media(media="print")
        document = page.pdf(format="A4", prefer_css_page_size=True)
        text = pdf_text(document)
        assert summary in text and sources in text and ("Københavns Kommune" in text or "City of Copenhagen" in text)
        assert text.index(summary) < text.rindex(sources)      # the summary first, the numbered sources last
        assert "Silkeborg" not in pdf_pages(document)[0]       # narrowed to the one municipality
        with pdfplumber.open(io.BytesIO(document)) as pdf:
            assert all(p.width <= A4_WIDTH_PT + 1 for p in pdf.pages) and len(pdf.pages) >= 2
        visitor.assert_clean()
    finally:
        _close(visitor)
