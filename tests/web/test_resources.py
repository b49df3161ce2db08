"""Linked-data pages over the example graph and a small graph built here: HTML, content
negotiation, the .json twin, 404/400 for unknown or hostile IRIs, and escaping."""
from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from graph.pipeline.load import ontology_content
from graph.store import GraphContent, OxigraphStore
from web import create_app

ID = "https://w3id.org/policygraph/id/"
PG = "https://w3id.org/policygraph/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
G = ox.NamedNode(ID + "graph/test.yaml")
INITIATIVE = "doc/koebenhavn/integrationshandleplan-2019-22/fritidsjob"


def q(s: str, p: str, o) -> ox.Quad:
    return ox.Quad(ox.NamedNode(s), ox.NamedNode(p), o, G)


@pytest.fixture
def hostile_client():
    """A graph whose labels and literals try to inject markup and links."""
    store = OxigraphStore()
    node = ID + "initiative/evil"
    store.replace_graphs([ontology_content(), GraphContent(G.value, [
        q(node, RDF_TYPE, ox.NamedNode(PG + "Initiative")),
        q(node, SKOS + "prefLabel", ox.Literal("<script>alert(1)</script>", language="da")),
        q(node, SKOS + "note", ox.Literal('"><img src=x onerror=alert(2)>', language="en")),
        q(node, PG + "supports", ox.NamedNode("javascript:alert(3)")),
    ])])
    yield create_app({"STORE": store, "TESTING": True}).test_client()
    store.close()


def test_resource_page_shows_labels_types_hierarchy_budget_and_sources(example_client):
    page = example_client.get(f"/id/{INITIATIVE}?lang=en").get_data(as_text=True)
    assert "<h1>Leisure-time jobs</h1>" in page
    assert 'href="/resource?iri=https://w3id.org/policygraph/ontology%23Initiative"' in page
    assert 'aria-current="page">Leisure-time jobs' in page          # breadcrumb
    assert "1,600,000 DKK" in page and 'class="bar"' in page       # budget table and bar
    assert "Tabel 1, Pejlemærke 2" in page                          # source place
    assert "serves target group" in page and "derived" in page      # ontology label, derived mark
    assert "Links to this resource" in page
    danish = example_client.get(f"/id/{INITIATIVE}?lang=da").get_data(as_text=True)
    assert "1.600.000 DKK" in danish and "betjener målgruppe" in danish


def test_resource_negotiates_rdf_formats_on_the_same_url(example_client):
    url = f"/id/{INITIATIVE}"
    turtle = example_client.get(url, headers={"Accept": "text/turtle"})
    assert turtle.mimetype == "text/turtle" and b"pg:hasBudgetAllocation" in turtle.data
    assert turtle.headers["Vary"] == "Accept"
    nt = example_client.get(url, headers={"Accept": "application/n-triples"})
    assert nt.mimetype == "application/n-triples" and f"<{ID}{INITIATIVE}>".encode() in nt.data
    jsonld = example_client.get(url, headers={"Accept": "application/ld+json"})
    assert jsonld.mimetype == "application/ld+json" and json.loads(jsonld.data)
    browser = example_client.get(url, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert browser.mimetype == "text/html"
    assert example_client.get(url + "?format=ttl").mimetype == "text/turtle"


def test_json_twin_by_suffix_and_by_format_parameter(example_client):
    for url in (f"/id/{INITIATIVE}.json", f"/id/{INITIATIVE}?format=json"):
        data = example_client.get(url + ("&" if "?" in url else "?") + "lang=en").get_json()
        assert data["label"] == "Leisure-time jobs" and data["page"] == f"/id/{INITIATIVE}"
        assert data["budgets"][0]["year"] == "2019" and data["hierarchy"][-1]["iri"] == ID + INITIATIVE


def test_iris_outside_our_base_have_pages_under_resource(example_client):
    response = example_client.get("/resource", query_string={"iri": PG + "Initiative", "lang": "en"})
    assert response.status_code == 200 and "<h1>initiative</h1>" in response.get_data(as_text=True)


def test_unknown_iri_is_404_and_malformed_input_is_400(example_client):
    assert example_client.get("/id/no/such/thing").status_code == 404
    missing_json = example_client.get("/id/no/such/thing.json")
    assert missing_json.status_code == 404 and missing_json.get_json()["code"] == "res_not_found"
    assert example_client.get("/resource", query_string={"iri": "javascript:alert(1)"}).status_code == 404
    assert example_client.get("/resource").status_code == 400
    assert example_client.get("/resource", query_string={"iri": "http://x/" + "a" * 10000}).status_code == 400
    bad = example_client.get("/resource", query_string={"iri": "not an iri"})
    assert bad.status_code == 400
    assert example_client.get(f"/id/{INITIATIVE}?format=exe").status_code == 400
    missing = example_client.get("/resource", query_string={"iri": "javascript:alert(1)", "format": "json"})
    assert missing.status_code == 404 and missing.get_json()["code"] == "res_not_found"


def test_hostile_labels_and_iris_are_escaped_and_never_linked(hostile_client):
    page = hostile_client.get("/id/initiative/evil").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page
    assert 'href="javascript:' not in page
    assert "/resource?iri=javascript:alert%283%29" in page or "/resource?iri=javascript:alert(3)" in page
    error = hostile_client.get("/resource", query_string={"iri": "http://x/<script>"}).get_data(as_text=True)
    assert "<script>" not in error


def test_rdf_serialisations_use_our_prefixes_and_full_data_iris(example_client):
    from graph.explore.describe import resource_triples
    from web.resources import serialize

    store = example_client.application.config["STORE"]
    triples = resource_triples(store, "https://w3id.org/policygraph/id/doc/koebenhavn/integrationshandleplan-2019-22")
    turtle = serialize(triples, "text/turtle").decode()
    assert "@prefix pg:" in turtle and "@base" not in turtle
    assert b"<https://w3id.org/policygraph/id/" in serialize(triples, "application/n-triples")
    assert serialize(triples, "application/ld+json").lstrip().startswith(b"[")


PLAN = "doc/koebenhavn/integrationshandleplan-2019-22"


def _section(page: str, heading_id: str) -> str:
    start = page.index(f'id="{heading_id}"')
    return page[start:page.index("</section>", start)]


def test_plan_page_shows_structure_table_and_relations_before_the_folded_properties(example_client):
    page = example_client.get(f"/id/{PLAN}?lang=da").get_data(as_text=True)
    structure, table = _section(page, "res-structure"), _section(page, "res-plan")
    # the YAML's order (table 1 of the annex), not the alphabet: 'Jobparate ledige' before 'Forebyggelse ...'
    assert structure.index("Jobparate ledige") < structure.index("Unge i job") < structure.index("Forebyggelse af social kontrol")
    assert structure.count("fokusområde:") == 7
    # initiatives under their bearing with the printed sub-total beside the computed one (1.000 kr. × 1.000)
    assert "Delsum, beregnet" in table and "Delsum, som trykt i dokumentet" in table and "I alt, som trykt i dokumentet" in table
    assert table.count("7.200.000") == 2 and table.count("11.000.000") == 8
    assert "Min. 350 jobparate med løbende optag" in table and "Beskæftigelses- og Integrationsudvalget" in table
    assert table.index("<th scope=\"col\" class=\"num\">2019</th>") < table.index("<th scope=\"col\" class=\"num\">2022</th>")
    assert "afviger" not in table, "the seed plan's totals add up"
    facts = _section(page, "res-key-facts")
    assert "afløser" in facts and "afløses af" in facts and "Integrationshandleplan 2017-2018" in facts
    assert page.index('id="res-plan"') < page.index("<details") < page.index('id="res-properties"')


def test_plan_page_reads_in_english_with_the_inverse_relation_named(example_client):
    page = example_client.get("/id/doc/koebenhavn/integrationshandleplan-2017-18?lang=en").get_data(as_text=True)
    facts = _section(page, "res-key-facts")
    assert "replaced by" in facts and "Integration Action Plan 2019-22" in facts
    assert "Total, computed" in _section(page, "res-plan") and "Structure of the plan" in page


def test_focus_area_breadcrumb_and_json_twin_of_the_plan(example_client):
    page = example_client.get(f"/id/{INITIATIVE}?lang=da").get_data(as_text=True)
    crumbs = page[page.index('class="res-crumbs"'):page.index("</nav>", page.index('class="res-crumbs"'))]
    assert crumbs.index("Integrationshandleplan 2019-22") < crumbs.index("Unge i job") < crumbs.index("Fritidsjob")
    data = example_client.get(f"/id/{PLAN}.json?lang=en").get_json()
    assert [p["label"] for p in data["structure"]][:2] == ["Job-ready unemployed", "Vulnerable unemployed"]
    assert data["table"]["years"] == ["2019", "2020", "2021", "2022"] and data["table"]["computed"]["2019"] == 11_000_000
    assert {r["key"] for r in data["relations"]} >= {"replaces", "replaced_by", "adopted_by"}


def test_organisation_page_lists_the_initiatives_it_answers_for(example_client):
    page = example_client.get("/id/org/koebenhavn/biu?lang=da").get_data(as_text=True)
    table = _section(page, "res-plan")
    assert "Indsatser der hører hertil" in page and "Fritidsjob" in table and "Integrationshandleplan 2019-22" in table


def test_amounts_are_written_with_the_readers_separators():
    from web.resources import format_amount

    assert [format_amount(1_600_000, "da"), format_amount(1_600_000, "en")] == ["1.600.000", "1,600,000"]
    assert [format_amount(2.5, "da"), format_amount(2.5, "en")] == ["2,50", "2.50"]
