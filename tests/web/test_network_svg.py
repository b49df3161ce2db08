"""The network as an SVG for a slide (web/network_svg.py, /network.svg): well-formed XML with the
same nodes and summarised links as /network.json at the same places, labels as text (escaped, never
an IRI, no address but the SVG namespace), a legend and the filters in words, readable at 1920 px."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest

from graph.pipeline.load import ontology_content
from graph.store import GraphContent, OxigraphStore
from web import create_app
from web.network_svg import MIN_PX, SLIDE_PX, SVG_NS, network_svg, wrapped

ID = "https://w3id.org/policygraph/id/"
PLAN = ID + "doc/koebenhavn/integrationshandleplan-2019-22"
FOCUS = {"view": "all", "findings": "0", "hops": "2", "focus": PLAN}
S = "{%s}" % SVG_NS


@pytest.fixture
def hostile_client():
    store = OxigraphStore()
    graph = ox.NamedNode(ID + "graph/test.yaml")
    store.replace_graphs([ontology_content(), GraphContent(graph.value, [
        ox.Quad(ox.NamedNode(ID + "doc/x"), ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                ox.NamedNode("https://w3id.org/policygraph/ontology#Policy"), graph),
        ox.Quad(ox.NamedNode(ID + "doc/x"), ox.NamedNode("http://purl.org/dc/terms/title"),
                ox.Literal("</script><script>alert(1)</script>", language="da"), graph)])])
    yield create_app({"STORE": store, "TESTING": True}).test_client()
    store.close()


def _svg(client, query: dict) -> tuple[ET.Element, str]:
    reply = client.get("/network.svg", query_string=query)
    assert reply.status_code == 200 and reply.mimetype == "image/svg+xml"
    assert "policygraph-network.svg" in reply.headers["Content-Disposition"]
    source = reply.get_data(as_text=True)
    return ET.fromstring(source.encode()), source


def _texts(root: ET.Element) -> list[str]:
    return [" ".join("".join(t.itertext()).split()) for t in root.iter(S + "text")]


@pytest.mark.parametrize("lang, title, kind", [("da", "Netværk: Integrationshandleplan 2019-22", "handleplan"),
                                               ("en", "Network: Integration Action Plan 2019-22", "action plan")])
def test_the_svg_parses_has_the_title_legend_and_labels_and_names_no_address(example_client, lang, title, kind):
    root, source = _svg(example_client, {**FOCUS, "lang": lang})
    texts = _texts(root)
    assert texts[0] == title and root.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
    assert kind in texts  # the legend names the kinds
    data = example_client.get("/network.json", query_string={**FOCUS, "lang": lang}).get_json()
    joined = " ".join(texts)
    for node in data["nodes"]:  # every label shown (its start: long ones wrap and end in "…")
        assert node["fullLabel"].split()[0] in joined, node["fullLabel"]
    assert re.findall(r"https?://[^\s\"'<]*", source) == [SVG_NS]
    assert ID not in source and "doc/koebenhavn" not in joined


def test_the_svg_draws_the_nodes_and_summarised_links_of_the_json_twin(example_client):
    root, _ = _svg(example_client, {**FOCUS, "lang": "en"})
    drawing = root.find(S + "g[@class='edges-and-nodes']")
    data = example_client.get("/network.json", query_string={**FOCUS, "lang": "en"}).get_json()
    lines = drawing.findall(S + "g/" + S + "line")
    shapes = [g for g in drawing.findall(S + "g") if g.find(S + "line") is None]
    assert len(lines) == len(data["edges"]) and len(shapes) == len(data["nodes"])
    names = [" ".join("".join(g.find(S + "title").itertext()).split()) for g in shapes]
    assert names == [" ".join(n["fullLabel"].split()) for n in data["nodes"]]
    every = example_client.get("/network.json", query_string={**FOCUS, "edges": "all"}).get_json()
    assert len(every["edges"]) > len(data["edges"])  # summarised: fewer lines than links


def test_a_plans_nodes_are_drawn_together_in_the_svg_as_on_the_page(example_client):
    data = example_client.get("/network.json", query_string={**FOCUS, "lang": "en"}).get_json()
    rows: dict[str, list[float]] = {}
    for node in data["nodes"]:
        if node["plan"]:
            rows.setdefault(node["plan"], []).append(node["y"])
    big = {plan: (min(ys), max(ys)) for plan, ys in rows.items() if len(ys) > 1}
    assert len(big) >= 2
    spans = sorted(big.values())
    assert all(a[1] < b[0] for a, b in zip(spans, spans[1:])), spans  # blocks never interleave
    root, _ = _svg(example_client, {**FOCUS, "lang": "en"})
    shapes = [g for g in root.find(S + "g[@class='edges-and-nodes']").findall(S + "g") if g.find(S + "line") is None]
    drawn: dict[str, list[float]] = {}  # the same nodes in the same order: their labels' height in the SVG
    for node, shape in zip(data["nodes"], shapes):
        if node["plan"] in big:
            drawn.setdefault(node["plan"], []).append(float(shape.find(S + "text").get("y")))
    spans = sorted((min(ys), max(ys)) for ys in drawn.values())
    assert all(a[1] < b[0] for a, b in zip(spans, spans[1:])), spans


def test_text_is_readable_when_the_svg_is_shown_1920_px_wide(example_client):
    root, _ = _svg(example_client, {"view": "all", "findings": "0", "lang": "en"})
    scale = SLIDE_PX / float(root.get("width"))
    sizes = [float(t.get("font-size")) for t in root.iter(S + "text")]
    assert min(sizes) * scale >= MIN_PX * 0.85 - 0.01, (min(sizes), scale)  # edge labels are 85 % of a label


def test_the_filters_are_said_in_words_and_hostile_labels_are_escaped(example_client, hostile_client):
    root, _ = _svg(example_client, {"municipality": "org/koebenhavn", "year": "2021", "lang": "da"})
    assert "Kommune: Københavns Kommune · År: 2021" in _texts(root)
    root, source = _svg(hostile_client, {"lang": "da"})
    assert "</script><script>alert(1)</script>" in " ".join(_texts(root))
    assert "<script" not in source


def test_malformed_filters_are_refused_as_on_the_page(example_client):
    assert example_client.get("/network.svg", query_string={"hops": "9"}).status_code == 400


def test_labels_wrap_at_words_and_stop_after_two_lines():
    assert wrapped("Integrationshandleplan for København 2019-2022", 20) == ["Integrationshandleplan"[:19] + "…",
                                                                              "for København…"]
    assert wrapped("Kort navn", 20) == ["Kort navn"]
    assert network_svg({"nodes": [], "edges": []}, {"synergy": "s", "workshop": "w"}, "T", [], "en").startswith("<?xml")
