"""The /network page and its .json twin over the example graph: filters as a GET form, 400 with a
message for malformed input, 404 for an unknown focus, escaping, no CDN, and the table alternative."""
from __future__ import annotations

import json
import re

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
    assert data["nodes"] and data["options"]["physics"]["stabilization"]["iterations"] <= 400
    assert all(n["url"].startswith("/") and n["json"].endswith("format=json") for n in data["nodes"])


def test_every_form_control_has_a_label(example_client):
    page = example_client.get("/network").get_data(as_text=True)
    form = page[page.index("<form"):page.index("</form>")]
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
    assert _embedded(page)["nodes"][0]["label"] == "</script><script>alert(1)</script>"


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
