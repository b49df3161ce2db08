"""Search in a real browser (Chromium through Playwright) over the example graph: a person types in the
header's search box on the front page, presses Enter, sees ranked hits with the matching words marked,
narrows them with a facet and follows a hit to its page; axe-clean, offline, in Danish and English.
The tab, its offline guard and the accessibility check are those of tests/web/test_browser.py."""
from __future__ import annotations

import pytest

from tests.web.test_browser import LAPTOP, PHONE, _close, _visitor

HEADINGS = {"da": ("Søg", "Viser 1–", "Fritidsjob"), "en": ("Search", "Showing 1–", "Leisure-time jobs")}


@pytest.mark.parametrize("lang", ["da", "en"])
def test_typing_in_the_header_box_finds_the_initiative_and_follows_it(browser, live_server, lang):
    visitor = _visitor(browser, live_server, LAPTOP)
    try:
        page = visitor.page
        title, showing, initiative = HEADINGS[lang]
        visitor.open(f"/?lang={lang}")
        box = page.get_by_role("search").get_by_role("searchbox")
        box.fill("Sikker By")
        box.press("Enter")
        page.wait_for_url("**/search?q=Sikker+By*")
        assert page.locator("h1").inner_text() == title
        assert page.get_by_role("status").first.inner_text().startswith(showing)
        hit = page.locator(".search-hits > li").first
        assert hit.locator("mark").all_inner_texts() == ["Sikker", "By"]
        visitor.check_accessibility(f"/search?q=Sikker+By ({lang})")
        hit.get_by_role("link", name=initiative).click()
        page.wait_for_url("**/id/doc/koebenhavn/integrationshandleplan-2019-22/fritidsjob*")
        visitor.assert_clean()
    finally:
        _close(visitor)


@pytest.mark.parametrize("lang", ["da", "en"])
def test_a_facet_narrows_the_hits_and_the_page_is_axe_clean(browser, live_server, lang):
    visitor = _visitor(browser, live_server, LAPTOP)
    try:
        page = visitor.page
        visitor.open(f"/search?q=diskrimination&lang={lang}")
        before = page.locator(".search-hits > li").count()
        facet = page.locator(".search-facets a[href*='type=pg:Initiative']")
        facet.click()
        page.wait_for_url("**type=pg:Initiative*")
        after = page.locator(".search-hits > li").count()
        assert 0 < after < before
        assert page.locator(".search-facets a[aria-current='true']").count() == 1
        visitor.check_accessibility(f"/search?q=diskrimination&type=pg:Initiative ({lang})")
        visitor.assert_clean()
    finally:
        _close(visitor)


def test_the_search_box_fits_a_phone(browser, live_server):
    visitor = _visitor(browser, live_server, PHONE)
    try:
        visitor.open("/?lang=da")
        box = visitor.page.get_by_role("search").get_by_role("searchbox").bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        visitor.check_accessibility("/ on a phone (da)")
        visitor.assert_clean()
    finally:
        _close(visitor)
