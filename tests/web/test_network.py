"""The /network page and its .json twin over the example graph: filters as a GET form, 400 with a
message for malformed input, 404 for an unknown focus, escaping, no CDN, and the table alternative."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.pipeline.load import ontology_content
from graph.store import GraphContent, OxigraphStore
from web import create_app

ID = "https://w3id.org/policygraph/id/"
PG = "https://w3id.org/policygraph/ontology#"
PLAN = ID + "doc/koebenhavn/integrationshandleplan-2019-22"
G = ox.NamedNode(ID + "graph/test.yaml")


@pytest.fixture
def hostile_client():
    store = OxigraphStore()
    q = lambda s, p, o: ox.Quad(ox.NamedNode(s), ox.NamedNode(p), o, G)  # noqa: E731
    store.replace_graphs([ontology_content(), GraphContent(G.value, [
        q(ID + "doc/x", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", ox.NamedNode(PG + "Policy")),
        q(ID + "doc/x", "http://purl.org/dc/terms/title", ox.Literal("</script><script>alert(1)</script>", language="da")),
    ])])
    yield create_app({"STORE": store, "TESTING": True}).test_client()
    store.close()


def _embedded(page: str) -> dict:
    found = re.search(r'<script type="application/json" id="net-data">(.*?)</script>', page, re.S)
    return json.loads(found.group(1))


def test_network_page_draws_with_vendored_vis_network_and_no_cdn(example_client):
    page = example_client.get("/network?lang=en").get_data(as_text=True)
    assert "/static/vendor/vis-network/vis-network.min.js" in page and "/static/network.js" in page
    assert "cdn" not in page.lower() and "https://cdn" not in page and "bootstrap" not in page.lower()
    data = _embedded(page)
    assert data["nodes"] and data["readable"]["minimum"] >= 14
    layout = data["options"]["layout"]
    assert not layout["hierarchical"]["enabled"] and not data["options"]["physics"]["enabled"]  # the same every time
    assert all("x" in n and "y" in n for n in data["nodes"])  # placed by the server (graph/explore/network_layout.py)
    assert all(n["url"].startswith("/") and n["json"].endswith("format=json") for n in data["nodes"])


def test_every_form_control_has_a_label(example_client):
    page = example_client.get("/network").get_data(as_text=True)
    start = page.index("<form", page.index("<main"))  # the page's own form, not the header's search box
    form = page[start:page.index("</form>", start)]
    ids = re.findall(r'<(?:select|input)[^>]*\bid="([^"]+)"', form)
    assert ids and all(f'<label for="{i}">' in form for i in ids)


def test_neighbourhood_legend_findings_and_table_alternative(example_client):
    page = example_client.get("/network", query_string={"focus": PLAN, "hops": "1", "lang": "en"}).get_data(as_text=True)
    assert "<h1>Network: Integration Action Plan 2019-22</h1>" in page
    assert "Legend" in page and "action plan" in page and "<svg" in page
    assert "<details" in page and "Links shown" in page
    assert "Overlapping initiatives" in page


def test_json_twin_has_nodes_edges_and_the_cut_notice_data(example_client):
    data = example_client.get("/network.json", query_string={"view": "all", "cap": "25"}).get_json()
    assert len(data["nodes"]) == 25 and data["cut_nodes"] > 0 and data["edges"]
    assert data["filters"]["cap"] == 25
    page = example_client.get("/network", query_string={"view": "all", "cap": "25", "lang": "en"}).get_data(as_text=True)
    assert "too large to show in full" in page


def test_filters_narrow_the_network(example_client):
    everything = example_client.get("/network.json").get_json()
    kbh = example_client.get("/network.json", query_string={"municipality": ID + "org/koebenhavn"}).get_json()
    assert 0 < len(kbh["nodes"]) < len(everything["nodes"])
    year = example_client.get("/network.json", query_string={"year": "2021", "doctype": "ActionPlan"}).get_json()
    assert year["nodes"] and all(n["category"] == "actionplan" for n in year["nodes"])


@pytest.mark.parametrize("query, message", [
    ({"hops": "9"}, "1 to 3"), ({"hops": "x"}, "1 to 3"), ({"year": "20x1"}, "four-digit"),
    ({"year": "123456"}, "four-digit"), ({"doctype": "Bogus"}, "Unknown document type"),
    ({"municipality": "not an iri"}, "not a valid IRI"), ({"view": "3d"}, "Unknown view"),
    ({"cap": "0"}, "node limit")])
def test_malformed_input_is_400_with_a_message(example_client, query, message):
    response = example_client.get("/network", query_string={**query, "lang": "en"})
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    twin = example_client.get("/network.json", query_string={**query, "lang": "en"})
    assert twin.status_code == 400 and message in twin.get_json()["error"]


@pytest.mark.parametrize("year", ["２０２１", "٢٠٢١"])
def test_year_in_other_digits_is_refused(example_client, year):
    """Python's int() reads ٢٠٢١ as 2021; the filter must not."""
    twin = example_client.get("/network.json", query_string={"year": year, "lang": "en"})
    assert twin.status_code == 400 and "four-digit" in twin.get_json()["error"]


def test_unknown_focus_is_404(example_client):
    assert example_client.get("/network", query_string={"focus": "javascript:alert(1)"}).status_code == 404
    assert example_client.get("/network.json", query_string={"focus": ID + "no/such"}).status_code == 404


def test_hostile_labels_cannot_break_out_of_the_embedded_json(hostile_client):
    page = hostile_client.get("/network").get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert _embedded(page)["nodes"][0]["fullLabel"] == "</script><script>alert(1)</script>"


def test_in_a_browser_the_network_stabilises_and_the_panel_shows_the_clicked_node(example_app):
    """Chromium draws the page offline: physics stops, a click fills the side panel as text, and no
    request leaves the server (no CDN), and the Content-Security-Policy blocks nothing. A missing
    Chromium fails (tests/browser_support.chromium_or_fail)."""
    import threading

    from werkzeug.serving import make_server

    from tests.browser_support import CHROMIUM_ARGS, PageProblems, chromium_or_fail

    chromium = chromium_or_fail()
    from playwright.sync_api import sync_playwright

    server = make_server("127.0.0.1", 0, example_app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    requests: list[str] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            problems = PageProblems()
            problems.watch(page)
            page.on("request", lambda r: requests.append(r.url))
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(f"{base}/network?focus={PLAN}&lang=en")
            page.wait_for_function("() => document.getElementById('net-status').textContent.includes('drawn')", timeout=30000)
            assert page.evaluate("window.policygraphNetwork.physics.options.enabled") is False
            page.locator("#net-canvas").scroll_into_view_if_needed()
            box = page.locator("#net-canvas").bounding_box()
            spot = page.evaluate(f"(() => {{ const n = window.policygraphNetwork; const p = n.getPositions(['{PLAN}'])['{PLAN}']; return n.canvasToDOM(p); }})()")
            page.mouse.click(box["x"] + spot["x"], box["y"] + spot["y"])
            page.wait_for_function("() => document.querySelector('#net-panel-body h3') && document.querySelector('#net-panel-body a[href]')", timeout=10000)
            assert page.text_content("#net-panel-body h3") == "Integration Action Plan 2019-22"
            assert page.get_attribute("#net-panel-body a[href]", "href") == "/id/doc/koebenhavn/integrationshandleplan-2019-22"
            assert not errors and not problems.csp_violations, problems.csp_violations
            browser.close()
    finally:
        server.shutdown()
    assert requests and all(u.startswith(base) for u in requests)


def test_a_workshop_link_is_drawn_apart_explained_and_can_be_left_out(workshop_store):
    client = create_app({"STORE": workshop_store, "TESTING": True}).test_client()
    edges = client.get("/network.json?findings=0&lang=en").get_json()["edges"]
    decided = [e for e in edges if e.get("workshop")]
    assert len(decided) == 1 and decided[0]["dashes"] and decided[0]["color"]["color"] != "#555555"
    assert decided[0]["title"].endswith("(from a workshop)") and decided[0]["label"].startswith("◆")
    page = client.get("/network?findings=0&lang=en").get_data(as_text=True)
    assert "Link from a workshop decision (not from the documents)" in page
    assert "has synergy with (from a workshop)" in page
    left_out = client.get("/network.json?findings=0&workshops=exclude").get_json()["edges"]
    assert not any(e.get("workshop") for e in left_out) and len(left_out) == len(edges) - 1


def test_without_workshops_the_network_has_no_workshop_legend(example_client):
    page = example_client.get("/network?findings=0&lang=en").get_data(as_text=True)
    assert "Link from a workshop decision" not in page


# ------------------------------------------------------------------------------ the same parameters everywhere
def test_network_takes_a_short_id_and_a_full_iri_alike(example_client):
    short = example_client.get("/network.json", query_string={"municipality": "org/koebenhavn"}).get_json()
    full = example_client.get("/network.json", query_string={"municipality": ID + "org/koebenhavn"}).get_json()
    assert short["nodes"] and short["nodes"] == full["nodes"]
    page = example_client.get("/network", query_string={"municipality": ID + "org/koebenhavn", "lang": "en"})
    assert '<option value="org/koebenhavn" selected>' in page.get_data(as_text=True)
    focus = example_client.get("/network.json", query_string={"focus": "doc/koebenhavn/integrationshandleplan-2019-22"})
    assert focus.status_code == 200 and any(n["id"] == PLAN for n in focus.get_json()["nodes"])


def test_a_malformed_network_value_is_refused_in_the_readers_language(example_client):
    da = example_client.get("/network", query_string={"committee": "not an id", "lang": "da"}).get_data(as_text=True)
    en = example_client.get("/network", query_string={"committee": "not an id", "lang": "en"}).get_data(as_text=True)
    assert "ikke en gyldig" in da and "not a valid" not in da.split("<main", 1)[-1]
    assert "not a valid" in en


def test_links_between_two_nodes_are_summarised_unless_every_link_is_asked_for(example_client):
    query = {"view": "all", "findings": "0", "municipality": ID + "org/koebenhavn", "lang": "en"}
    summarised = example_client.get("/network.json", query_string=query).get_json()
    every = example_client.get("/network.json", query_string={**query, "edges": "all"}).get_json()
    pairs = [frozenset((e["from"], e["to"])) for e in summarised["edges"]]
    assert len(pairs) == len(set(pairs)), "two lines between the same two nodes"
    assert len(every["edges"]) > len(summarised["edges"]) and every["every_link"]
    assert sum(e["count"] for e in summarised["edges"]) == len(every["edges"])
    combined = next(e for e in summarised["edges"] if e["count"] > 1)
    assert "×" in combined["title"] or ";" in combined["title"]
    page = example_client.get("/network", query_string=query).get_data(as_text=True)
    assert "Show every link separately" in page and "edges=all" in page


def test_the_view_downloads_as_one_offline_html_file_with_no_address_in_it(example_client):
    response = example_client.get("/network.html", query_string={"focus": PLAN, "hops": "2", "lang": "da"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "attachment" in response.headers["Content-Disposition"]
    html = response.get_data(as_text=True)
    assert not re.search(r"https?://", html, re.I), re.findall(r".{40}https?://.{40}", html)[:3]
    assert not re.search(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=", html, re.I)  # nothing fetched
    assert '<html lang="da">' in html and "Integrationshandleplan 2019-22" in html
    assert "vis.Network" in html and "policygraphNetwork" in html  # vis-network and our script inlined
    assert html.count("</script>") == html.count("<script")         # nothing inlined ends its element early
    data = _embedded(html)
    assert data["standalone"] and all(isinstance(n["id"], int) and "url" not in n for n in data["nodes"])
    assert {n["fullLabel"] for n in data["nodes"]} >= {"Integrationshandleplan 2019-22"}
    page = example_client.get("/network", query_string={"focus": PLAN, "lang": "en"}).get_data(as_text=True)
    assert "/network.html?" in page and "Save as HTML file" in page


def test_the_offline_file_refuses_malformed_filters_like_the_page(example_client):
    response = example_client.get("/network.html", query_string={"hops": "9", "lang": "en"})
    assert response.status_code == 400 and "1 to 3" in response.get_data(as_text=True)


# --- in a browser: readable at the first zoom on a laptop and a projector, in Danish and English -----

LAPTOP = {"width": 1280, "height": 800}
PROJECTOR = {"width": 1920, "height": 1080}
READABLE = {"laptop": 14, "projector": 19}   # CSS px: web/drawing.py READABLE_PX at these widths

_LABEL_SIZES = """() => {
  const n = window.policygraphNetwork, scale = n.getScale(), box = n.canvas.frame.canvas.getBoundingClientRect();
  const ids = n.body.nodeIndices, positions = n.getPositions(ids);
  const shown = ids.filter(id => { const p = n.canvasToDOM(positions[id]);
                                   return p.x >= 0 && p.y >= 0 && p.x <= box.width && p.y <= box.height; });
  return {sizes: shown.map(id => n.body.nodes[id].options.font.size * scale), shown: shown.length,
          columns: ids.map(id => [n.body.data.nodes.get(id).category, positions[id].x])};
}"""


# The rows each plan's nodes are drawn at, as vis-network placed them on the canvas.
_PLAN_ROWS = """() => { const n = window.policygraphNetwork; const rows = {};
  const positions = n.getPositions();
  n.body.data.nodes.get().forEach(x => { if (x.plan) { (rows[x.plan] = rows[x.plan] || []).push(positions[x.id].y); } });
  return rows; }"""


@pytest.fixture(scope="module")
def network_browser(example_store):
    """One Chromium and one live server for the module's browser tests (launching is the slow part)."""
    from tests.browser_support import CHROMIUM_ARGS, chromium_or_fail, serve

    executable = chromium_or_fail()
    from playwright.sync_api import sync_playwright

    server = serve(create_app({"STORE": example_store}))
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium, server
        chromium.close()
    server.close()
    from graph.explore.network import clear_findings_cache
    clear_findings_cache()


@pytest.mark.parametrize("screen", ["laptop", "projector"])
@pytest.mark.parametrize("lang", ["da", "en"])
def test_labels_are_readable_at_the_first_zoom_the_layout_has_columns_and_axe_passes(network_browser, lang, screen):
    """A plan's neighbourhood (79 nodes) as a strategist first sees it: every label on screen drawn at
    READABLE px or more (vis-network's own scale times the font size), plans left of initiatives left
    of target groups, the PNG for a slide at least twice the canvas, and no accessibility violation."""
    from tests.browser_support import SCREENSHOTS, OfflineGuard, PageProblems, axe_violations, describe_violations

    chromium, server = network_browser
    context = chromium.new_context(viewport=LAPTOP if screen == "laptop" else PROJECTOR, accept_downloads=True)
    guard = OfflineGuard()
    guard.install(context)
    page = context.new_page()
    problems = PageProblems()
    problems.watch(page)
    try:
        page.goto(server.url(f"/network?lang={lang}&view=all&findings=0&hops=2&focus={PLAN}"))
        page.wait_for_function("() => window.policygraphNetworkReady === true", timeout=30_000)
        measured = page.evaluate(_LABEL_SIZES)
        assert measured["shown"] >= 5, f"only {measured['shown']} nodes in the first view"
        assert min(measured["sizes"]) >= READABLE[screen] - 0.01, f"labels at {min(measured['sizes']):.1f} px"
        column = {}
        for category, x in measured["columns"]:
            column.setdefault(category, []).append(x)
        mean = {c: sum(xs) / len(xs) for c, xs in column.items()}
        assert mean["actionplan"] < mean["initiative"] < mean["targetgroup"], mean
        status = page.text_content("#net-status")
        assert status.startswith("Netværket er tegnet" if lang == "da" else "The network is drawn"), status
        canvas_width = page.evaluate("document.querySelector('#net-canvas').clientWidth")
        with page.expect_download() as download:
            page.click("#net-png")
        assert download.value.suggested_filename == "policygraph-network.png"
        png = page.evaluate("window.policygraphLastPng")
        assert png["width"] >= 2 * canvas_width and png["width"] >= 2400, png
        assert page.evaluate("window.policygraphNetwork.getScale()") > 0  # the view is back after the PNG
        with page.expect_download() as svg_download:  # the SVG for a slide, from the button beside the PNG's
            page.click("#net-svg")
        assert svg_download.value.suggested_filename == "policygraph-network.svg"
        svg = Path(svg_download.value.path()).read_text(encoding="utf-8")
        assert svg.startswith("<?xml") and ("Netværk" if lang == "da" else "Network") in svg
        blocks = page.evaluate(_PLAN_ROWS)  # each plan's nodes drawn together: their rows never interleave
        spans = sorted((min(ys), max(ys)) for ys in blocks.values() if len(ys) > 1)
        assert len(spans) >= 2 and all(a[1] < b[0] for a, b in zip(spans, spans[1:])), spans
        violations = axe_violations(page)
        assert not violations, describe_violations(f"/network ({lang}, {screen})", violations)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)  # the drawing as it first appears, for a person to judge
        page.locator(".net-layout").screenshot(path=str(SCREENSHOTS / f"network-readable-{screen}-{lang}.png"))
        assert not problems.script_errors + problems.csp_violations, problems.script_errors + problems.csp_violations
        assert not guard.blocked, guard.blocked
    finally:
        context.close()


def test_the_saved_html_file_draws_offline_from_disk_and_shows_a_clicked_node(network_browser, tmp_path):
    """The downloaded file opened from disk (file://), with every request but its own refused: it draws,
    and a click shows the node's full name and kind in the side panel."""
    chromium, server = network_browser
    context = chromium.new_context(viewport=LAPTOP, accept_downloads=True)
    page = context.new_page()
    try:
        page.goto(server.url(f"/network?lang=en&view=all&findings=0&focus={PLAN}"))
        with page.expect_download() as download:
            page.click("#net-html")
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        assert saved.name == "policygraph-network.html"
        requests: list[str] = []
        context.route("**/*", lambda route: (requests.append(route.request.url), route.continue_()
                                             if route.request.url.startswith("file:") else route.abort()))
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(saved.as_uri())
        page.wait_for_function("() => window.policygraphNetworkReady === true", timeout=30_000)
        spot = page.evaluate("""() => { const n = window.policygraphNetwork;
            const id = n.body.data.nodes.get().find(x => x.fullLabel === 'Integration Action Plan 2019-22').id;
            return n.canvasToDOM(n.getPositions([id])[id]); }""")
        page.locator("#net-canvas").click(position=spot)
        page.wait_for_function("() => document.querySelector('#net-panel-body h3')")
        assert page.text_content("#net-panel-body h3") == "Integration Action Plan 2019-22"
        assert "action plan" in page.inner_text("#net-panel-body")
        assert not errors and requests and all(u.startswith("file:") for u in requests), (errors, requests)
    finally:
        context.close()


def test_the_side_panel_marks_a_note_only_in_the_other_language(network_browser):
    """In Danish, the LGBTI+ policy's note exists only in English: the panel shows it with lang="en"
    and "(på engelsk)" after it, as the resource page does."""
    chromium, server = network_browser
    policy = ID + "doc/koebenhavn/lgbti-politik-2019-23"
    context = chromium.new_context(viewport=LAPTOP)
    page = context.new_page()
    try:
        page.goto(server.url(f"/network?lang=da&view=all&findings=0&focus={policy}"))
        page.wait_for_function("() => window.policygraphNetworkReady === true", timeout=30_000)
        spot = page.evaluate(f"""() => {{ const n = window.policygraphNetwork;
            return n.canvasToDOM(n.getPositions(['{policy}'])['{policy}']); }}""")
        page.locator("#net-canvas").click(position=spot)
        page.wait_for_function("() => document.querySelector('#net-panel-body dd .lang-mark')", timeout=10_000)
        marked = page.evaluate("""() => [...document.querySelectorAll('#net-panel-body dd .lang-mark')].map(
            m => [m.previousSibling.previousSibling.getAttribute('lang'), m.previousSibling.previousSibling.textContent,
                  m.textContent])""")
        assert any(lang == "en" and text.startswith("source/001 names this policy") and mark == "(på engelsk)"
                   for lang, text, mark in marked), marked
    finally:
        context.close()
