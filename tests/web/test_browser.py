"""The web app in a real browser (Chromium through Playwright) over the example graph: every page in
the menu in Danish and English passes axe-core's WCAG 2.1 AA checks, nothing leaves the machine, the
page frame (menu, language switch, skip link) works, the workbench runs a query and the network view
shows a node's details.

Pages are collected from the links the app itself shows (the menu, links to /id/ and /questions/), so
a new area is covered as soon as it is in the menu. A menu link to a missing or empty page fails, and
so does a page-specific check whose page or link is gone; a missing Chromium fails unless
POLICYGRAPH_SKIP_BROWSER=1."""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from tests.browser_support import (LiveServer, OfflineGuard, PageProblems, axe_violations, coloured_spots,
                                   describe_violations, links_starting_with, menu_links, screenshot,
                                   slug, wait_until_canvas_settles)

LANGS = ("da", "en")
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
PROJECTOR = {"width": 1920, "height": 1080}


@dataclass
class Visitor:
    """One browser tab with its own cookies, the offline guard and an eye on script errors."""

    server: LiveServer
    page: object
    guard: OfflineGuard
    problems: PageProblems
    findings: list[str] = field(default_factory=list)

    def open(self, path: str, wait_until: str = "load"):
        response = self.page.goto(self.server.url(path), wait_until=wait_until)
        assert response is not None and response.ok, f"{path}: HTTP {response.status if response else 'no response'}"
        return response

    def check_accessibility(self, label: str) -> None:
        """Collects axe findings instead of stopping at the first page, so one run lists them all."""
        violations = axe_violations(self.page)
        if violations:
            self.findings.append(describe_violations(label, violations))

    def assert_clean(self) -> None:
        problems = []
        if self.findings:
            problems.append("serious or critical accessibility violations:\n" + "\n".join(self.findings))
        if self.guard.blocked:
            problems.append("pages tried to reach beyond 127.0.0.1 (the app must work offline):\n    "
                            + "\n    ".join(self.guard.blocked))
        if self.problems.script_errors:
            problems.append("uncaught script errors:\n    " + "\n    ".join(self.problems.script_errors))
        if self.problems.csp_violations:
            problems.append("Content-Security-Policy violations:\n    " + "\n    ".join(self.problems.csp_violations))
        if self.problems.failed_responses:
            problems.append("failed sub-resource loads:\n    " + "\n    ".join(self.problems.failed_responses))
        assert not problems, "\n".join(problems)


def _visitor(browser, live_server, viewport: dict) -> Visitor:
    context = browser.new_context(viewport=viewport, service_workers="block")
    guard = OfflineGuard()
    guard.install(context)
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = PageProblems()
    problems.watch(page)
    return Visitor(live_server, page, guard, problems)


def _close(visitor: Visitor) -> None:
    """Every test, also one that does not ask, fails if a page tried to reach the internet or did
    something the Content-Security-Policy blocked."""
    visitor.page.context.close()
    if visitor.guard.blocked:
        pytest.fail("pages tried to reach beyond 127.0.0.1: " + ", ".join(visitor.guard.blocked), pytrace=False)
    if visitor.problems.csp_violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(visitor.problems.csp_violations), pytrace=False)


@pytest.fixture
def visitor(browser, live_server):
    visitor = _visitor(browser, live_server, LAPTOP)
    yield visitor
    _close(visitor)


@pytest.fixture
def projector(browser, live_server):
    visitor = _visitor(browser, live_server, PROJECTOR)
    yield visitor
    _close(visitor)


@pytest.fixture
def phone(browser, live_server):
    visitor = _visitor(browser, live_server, PHONE)
    yield visitor
    _close(visitor)


def _is_placeholder(visitor: Visitor) -> bool:
    """An empty page (no <main>, a few words), e.g. a stub put in so that a link resolves."""
    return visitor.page.locator("main").count() == 0 and len(visitor.page.inner_text("body")) < 200


def _no_placeholders(placeholders: list[str], checked: int) -> None:
    """Every page the menu links to is a real page: a broken or empty menu link fails."""
    assert not placeholders, f"checked {checked} page(s); empty pages (no <main>) behind menu links: {placeholders}"


def _menu_paths(visitor: Visitor, lang: str) -> list[str]:
    visitor.open(f"/?lang={lang}")
    paths = menu_links(visitor.page)
    assert paths, "the front page shows no main menu"
    return paths


def _first_link(visitor: Visitor, start: str, prefix: str, why: str) -> str:
    """The first link under `prefix` on the page at `start` (a missing page or link fails, naming what
    could then not be checked)."""
    response = visitor.page.goto(visitor.server.url(start))
    assert response is not None and response.ok, f"{start} did not open, so {why} cannot be checked"
    links = links_starting_with(visitor.page, prefix)
    assert links, f"no link to {prefix} on {start}, so {why} cannot be checked"
    return links[0]


# --- every page: accessibility, language, offline -------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_every_menu_page_passes_axe_in_the_chosen_language(visitor, lang):
    placeholders, paths = [], _menu_paths(visitor, lang)
    for path in paths:
        visitor.open(path)
        if _is_placeholder(visitor):
            placeholders.append(path)
            continue
        assert visitor.page.get_attribute("html", "lang") == lang, f"{path}: page not in {lang}"
        assert visitor.page.locator("h1").count() >= 1, f"{path}: no <h1> heading"
        visitor.check_accessibility(f"{path} ({lang})")
        screenshot(visitor.page, f"{slug(path)}-{lang}")
    visitor.assert_clean()
    _no_placeholders(placeholders, len(paths) - len(placeholders))


def test_offline_guard_blocks_and_reports_requests_to_the_internet(browser, live_server):
    """The guard is the second line behind the CSP (which refuses such a fetch first), so it is
    checked on a page with the CSP bypassed."""
    context = browser.new_context(bypass_csp=True)
    guard = OfflineGuard()
    guard.install(context)
    page = context.new_page()
    page.goto(live_server.url("/"))
    page.evaluate("fetch('https://cdn.example.org/lib.js').catch(() => null)")
    page.wait_for_timeout(200)
    context.close()
    assert guard.blocked == ["https://cdn.example.org/lib.js"]


def test_csp_refuses_what_the_pages_must_not_do_and_the_tests_see_it(visitor):
    """The policy is enforced (not only sent) and a violation reaches PageProblems, so the
    'no CSP violation' checks of every browser test can fail."""
    visitor.open("/")
    visitor.page.evaluate("""() => {
        fetch('https://cdn.example.org/lib.js').catch(() => null);
        const s = document.createElement('script'); s.textContent = 'window.ran = 1'; document.body.append(s);
    }""")
    visitor.page.wait_for_timeout(300)
    assert visitor.page.evaluate("() => window.ran") is None
    assert any("connect-src" in v for v in visitor.problems.csp_violations), visitor.problems.csp_violations
    assert any("script-src" in v for v in visitor.problems.csp_violations), visitor.problems.csp_violations
    assert visitor.guard.blocked == []    # the CSP stopped the fetch before it left the page
    visitor.problems.csp_violations.clear()


# --- the page frame -------------------------------------------------------------------------------

def test_language_switch_keeps_path_and_query_and_replaces_only_lang(visitor):
    visitor.open("/?lang=da&focus=doc%2Fx&tag=a&tag=b")
    switch = visitor.page.locator("nav.lang-switch a")
    assert switch.get_attribute("hreflang") == "en"
    switch.click()
    visitor.page.wait_for_load_state()
    url = urlsplit(visitor.page.url)
    assert url.path == "/"
    assert parse_qs(url.query) == {"focus": ["doc/x"], "tag": ["a", "b"], "lang": ["en"]}
    assert visitor.page.get_attribute("html", "lang") == "en"
    visitor.open("/")  # the choice is remembered without ?lang=
    assert visitor.page.get_attribute("html", "lang") == "en"
    visitor.assert_clean()


def test_menu_marks_the_current_page_for_sight_and_screen_readers(visitor):
    placeholders, paths = [], _menu_paths(visitor, "en")
    for path in paths:
        visitor.open(path)
        if _is_placeholder(visitor):
            placeholders.append(path)
            continue
        current = visitor.page.locator('nav .menu a[aria-current="page"]')
        assert current.count() == 1, f"{path}: {current.count()} menu entries marked as the current page"
        assert urlsplit(current.get_attribute("href")).path == urlsplit(path).path
        colours = current.evaluate("a => [getComputedStyle(a).backgroundColor, getComputedStyle(a.closest('header')).backgroundColor]")
        assert colours[0] != colours[1], f"{path}: the current menu entry looks like the others"
    visitor.assert_clean()
    _no_placeholders(placeholders, len(paths) - len(placeholders))


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_main_content(visitor):
    visitor.open("/")
    visitor.page.keyboard.press("Tab")
    focused = visitor.page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    assert visitor.page.locator("a.skip").is_visible()
    visitor.page.keyboard.press("Enter")
    assert visitor.page.evaluate("document.activeElement.id") == "main"
    visitor.assert_clean()


def test_keyboard_focus_is_visible_on_links_and_buttons(visitor):
    visitor.open("/")
    for _ in range(3):
        visitor.page.keyboard.press("Tab")
    style = visitor.page.evaluate("(() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; })()")
    assert style[0] != "none" and float(style[1].rstrip("px")) >= 2, f"focused element has no visible outline: {style}"


def test_front_page_tour_has_a_card_for_every_area_in_the_menu(visitor):
    paths = _menu_paths(visitor, "da")
    cards = visitor.page.eval_on_selector_all(".cards a[href]", "links => links.map(a => a.getAttribute('href'))")
    assert sorted(cards) == sorted(p for p in paths if urlsplit(p).path != "/")
    assert visitor.page.locator(".stat-tiles dd").count() >= 3
    assert visitor.page.locator("table.data-table tbody tr").count() >= 5, "the documents of the example graph"
    screenshot(visitor.page, "tour-home-da")
    screenshot(visitor.page, "readme-home-da", height=1250)
    visitor.assert_clean()


def test_every_menu_page_reflows_on_a_phone_without_sideways_scrolling(phone):
    wide, placeholders, paths = [], [], _menu_paths(phone, "en")
    for path in paths:
        phone.open(path)
        if _is_placeholder(phone):
            placeholders.append(path)
            continue
        # folded content (e.g. the network as tables) must reflow too once opened
        phone.page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        overflow = phone.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 1:
            wide.append(f"{path}: {overflow}px wider than the {PHONE['width']}px screen")
        screenshot(phone.page, f"phone-{slug(path)}")
    assert not wide, "pages that need sideways scrolling on a phone (WCAG 1.4.10 reflow):\n" + "\n".join(wide)
    phone.assert_clean()
    _no_placeholders(placeholders, len(paths) - len(placeholders))


def test_projector_gets_large_type_and_a_one_line_header(projector):
    projector.open("/?lang=da")
    size = float(projector.page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)"))
    assert size >= 20, f"body text is {size}px on a 1920px screen; a meeting room needs at least 20px"
    header = projector.page.locator("header").bounding_box()
    brand = projector.page.locator(".brand").bounding_box()
    assert header["height"] < brand["height"] * 2.5, "the header wraps onto several lines on a projector"
    screenshot(projector.page, "projector-home-da", height=PROJECTOR["height"])
    projector.assert_clean()


def test_menu_and_language_switch_are_large_enough_to_tap(phone):
    phone.open("/")
    sizes = phone.page.eval_on_selector_all(
        "header a", "links => links.map(a => [a.textContent.trim(), a.getBoundingClientRect().height])")
    small = [f"{text}: {height:.0f}px" for text, height in sizes if height < 44]
    assert not small, "header links under 44px high: " + ", ".join(small)


# --- pages reached through links --------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_a_resource_page_passes_axe(visitor, lang):
    path = _first_link(visitor, f"/?lang={lang}", "/id/", "a resource page")
    visitor.open(path)
    assert visitor.page.get_attribute("html", "lang") == lang
    visitor.check_accessibility(f"{path} ({lang})")
    screenshot(visitor.page, f"resource-{lang}")
    visitor.assert_clean()


PLAN_PAGE = "/id/doc/koebenhavn/integrationshandleplan-2019-22"


@pytest.mark.parametrize("lang", LANGS)
def test_the_plan_page_reads_as_the_plan_on_a_laptop_and_a_phone(visitor, phone, lang):
    """The 2019-22 plan: structure, the initiatives table with its totals and the key relations come
    first, the raw properties folded underneath; axe-clean, and on a 375 px phone only the wide table
    scrolls (inside its own region), never the page."""
    for who, size in ((visitor, "laptop"), (phone, "phone")):
        who.open(f"{PLAN_PAGE}?lang={lang}")
        page = who.page
        assert page.get_attribute("html", "lang") == lang
        assert page.locator("#res-structure").is_visible() and page.locator("table.res-plan").is_visible()
        assert not page.locator("#res-properties").is_visible(), "the raw properties are folded away"
        who.check_accessibility(f"{PLAN_PAGE} ({lang}, {size})")
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        assert page.locator("#res-properties").is_visible()
        who.check_accessibility(f"{PLAN_PAGE} ({lang}, {size}, unfolded)")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"the plan page is {overflow}px wider than the {size} screen"
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = false; })")
        screenshot(page, f"plan-page-{size}-{lang}")
        who.assert_clean()


@pytest.mark.parametrize("lang", LANGS)
def test_a_question_page_passes_axe(visitor, lang):
    path = _first_link(visitor, f"/questions?lang={lang}", "/questions/", "a question page")
    visitor.open(path)
    assert visitor.page.get_attribute("html", "lang") == lang
    section = visitor.page.locator('nav .menu a[aria-current="true"]')
    assert section.count() == 1 and urlsplit(section.get_attribute("href")).path == "/questions", \
        "a question page should mark Questions as the menu section it is in"
    visitor.check_accessibility(f"{path} ({lang})")
    screenshot(visitor.page, f"question-{lang}")
    visitor.assert_clean()


# --- the workbench and the network view --------------------------------------------------------------

WORKBENCH_QUERY = """PREFIX pg: <https://w3id.org/policygraph/ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?plan ?title WHERE { ?plan a pg:ActionPlan ; dct:title ?title } ORDER BY ?title LIMIT 5"""


def _open(visitor: Visitor, path: str, what: str) -> None:
    response = visitor.page.goto(visitor.server.url(path))
    assert response is not None and response.ok, f"{path} did not open, so {what} cannot be checked"
    assert not _is_placeholder(visitor), f"{path} is an empty page, so {what} cannot be checked"


def test_workbench_editor_runs_a_typed_query_and_shows_result_rows(visitor):
    _open(visitor, "/workbench?lang=en", "the SPARQL editor")
    editor = visitor.page.locator("#yasgui .CodeMirror").first
    editor.wait_for(state="visible")
    # CodeMirror keeps its text in its own model; set it there, as typing would, then run.
    editor.evaluate("(el, query) => el.CodeMirror.setValue(query)", WORKBENCH_QUERY)
    visitor.page.locator("#yasgui .yasqe_queryButton").first.click()
    rows = visitor.page.locator("#yasgui .yasr table tbody tr")
    rows.first.wait_for(state="visible")
    assert rows.count() == 5
    assert all(text.strip() for text in rows.all_inner_texts()), "empty result rows"
    visitor.check_accessibility("/workbench after running a query (en)")
    screenshot(visitor.page, "workbench-editor-en")
    visitor.assert_clean()


def test_workbench_plain_form_runs_a_query_without_the_editor_script(visitor):
    _open(visitor, "/workbench?lang=da", "the plain query form")
    form_box = visitor.page.locator("textarea[name=query]")
    form_box.fill(WORKBENCH_QUERY)
    with visitor.page.expect_navigation():
        form_box.locator("xpath=ancestor::form").locator("button[type=submit]").click()
    rows = visitor.page.evaluate(
        "[...document.querySelectorAll('main table tbody tr')].filter(tr => !tr.closest('#yasgui')).length")
    assert rows == 5, f"expected the 5 result rows under the form, saw {rows}"
    visitor.check_accessibility("/workbench with results (da)")
    screenshot(visitor.page, "workbench-results-da")
    visitor.assert_clean()


NETWORK_FOCUS = "/id/doc/koebenhavn/integrationshandleplan-2019-22"  # a plan with many parts, if listed


def _focus_iri(visitor: Visitor) -> str:
    """A document the front page links to, preferably one with a rich neighbourhood."""
    visitor.open("/?lang=en")
    links = links_starting_with(visitor.page, "/id/")
    assert links, "the front page links to no resource page, so there is no focus for the network view"
    chosen = NETWORK_FOCUS if NETWORK_FOCUS in links else links[0]
    return "https://w3id.org/policygraph/id/" + chosen.removeprefix("/id/")


def test_network_view_draws_the_graph_and_shows_a_clicked_node_in_the_side_panel(visitor):
    focus = _focus_iri(visitor)
    _open(visitor, f"/network?lang=en&focus={quote(focus, safe='')}", "the network view")
    canvas = visitor.page.locator("main canvas").first
    canvas.wait_for(state="visible")
    box = canvas.bounding_box()
    assert box and box["width"] > 250 and box["height"] > 250, f"the network canvas is too small: {box}"
    wait_until_canvas_settles(visitor.page, canvas)
    canvas.evaluate("c => c.scrollIntoView({block: 'center'})")  # points off screen cannot be clicked
    spots = coloured_spots(canvas)
    assert spots, "the network canvas is blank"
    panel = visitor.page.locator("#net-panel, aside").first
    before = panel.inner_text()
    for x, y in spots:
        canvas.click(position={"x": x, "y": y})
        visitor.page.wait_for_timeout(150)
        if panel.inner_text() != before:
            break
    after = panel.inner_text()
    assert after != before, f"clicking {len(spots)} drawn spots never changed the side panel:\n{after}"
    assert panel.locator("a[href]").count() >= 1, "the side panel should link to the node's resource page"
    visitor.check_accessibility("/network with a selected node (en)")
    screenshot(visitor.page, "network-focus-selected-en", hide=".vis-tooltip")  # no stale hover tooltip
    screenshot(visitor.page, "readme-network-en", height=1300, hide=".vis-tooltip")
    visitor.assert_clean()


# --- the page-frame helpers themselves (no browser needed) ------------------------------------------

def test_language_url_keeps_repeated_parameters_and_never_points_off_site(example_app):
    from web.home import url_in_language

    with example_app.test_request_context("/questions?tag=a&lang=da&tag=b&q=%3Cx%3E"):
        assert url_in_language("en") == "/questions?tag=a&tag=b&q=%3Cx%3E&lang=en"
    with example_app.test_request_context("/", environ_overrides={"PATH_INFO": "//elsewhere.example/"}):
        assert url_in_language("da") == "/elsewhere.example/?lang=da"


def test_switch_link_is_escaped_in_the_page(example_client):
    page = example_client.get("/?lang=da&q=%22%3E%3Cscript%3E").get_data(as_text=True)
    assert '"><script>' not in page
    assert 'href="/?q=%22%3E%3Cscript%3E&amp;lang=en"' in page
