"""/search and its .json twin over the example graph: hits linked to resource pages with their
passage, facets as links with counts, paging, the header's box on every page, escaping, 400s."""
from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from graph.pipeline.load import ontology_content
from graph.store import GraphContent, OxigraphStore
from web import create_app

ID = "https://w3id.org/policygraph/id/"
PG = "https://w3id.org/policygraph/ontology#"
FRITIDSJOB = "/id/doc/koebenhavn/integrationshandleplan-2019-22/fritidsjob"


@pytest.fixture
def hostile_client():
    graph = ox.NamedNode(ID + "graph/test.yaml")
    q = lambda s, p, o: ox.Quad(ox.NamedNode(s), ox.NamedNode(p), o, graph)  # noqa: E731
    store = OxigraphStore()
    store.replace_graphs([ontology_content(), GraphContent(graph.value, [
        q(ID + "theme/x", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", ox.NamedNode(PG + "Theme")),
        q(ID + "theme/x", "http://www.w3.org/2004/02/skos/core#prefLabel",
          ox.Literal("<script>alert(1)</script> Trivsel", language="da")),
        q(ID + "theme/x", "http://purl.org/dc/terms/description",
          ox.Literal("Trivsel <img src=x onerror=alert(2)> for alle", language="da")),
    ])])
    yield create_app({"STORE": store, "TESTING": True}).test_client()
    store.close()


def test_the_page_lists_hits_linked_to_their_pages_with_the_passage(example_client):
    page = example_client.get("/search?q=Sikker+By&lang=da").get_data(as_text=True)
    assert f'href="{FRITIDSJOB}">Fritidsjob</a>' in page
    assert "<mark>Sikker</mark> <mark>By</mark>" in page
    assert "Københavns Kommune" in page and "Viser 1–1 af 1" in page


def test_the_page_speaks_english_in_english(example_client):
    page = example_client.get("/search?q=Sikker+By&lang=en").get_data(as_text=True)
    assert "Leisure-time jobs" in page and "Showing 1–1 of 1" in page and "Narrow down" in page


def test_the_json_twin_answers_the_same_search(example_client):
    data = example_client.get("/search.json?q=diskrimination&lang=da").get_json()
    page = example_client.get("/search?q=diskrimination&lang=da").get_data(as_text=True)
    assert data["total"] >= 5 and data["first"] == 1
    assert all(hit["url"] in page for hit in data["hits"])
    assert {"type", "municipality", "document", "period"} <= set(data["facets"])


def test_facets_are_links_with_counts_that_narrow_the_search(example_client):
    data = example_client.get("/search.json?q=diskrimination").get_json()
    initiative = next(v for v in data["facets"]["type"] if v["short"] == "pg:Initiative")
    narrowed = example_client.get(initiative["url"].replace("/search?", "/search.json?")).get_json()
    assert narrowed["total"] == initiative["count"] and narrowed["filters"] == {"type": "pg:Initiative"}
    assert all(hit["type"] == PG + "Initiative" for hit in narrowed["hits"])


def test_a_municipality_filter_takes_the_short_id_and_the_full_iri_alike(example_client):
    short = example_client.get("/search.json?q=integration&municipality=org/koebenhavn").get_json()
    full = example_client.get(f"/search.json?q=integration&municipality={ID}org/koebenhavn").get_json()
    assert short["total"] == full["total"] > 0


def test_paging_says_where_it_is_and_links_on(example_client):
    first = example_client.get("/search.json?q=integration").get_json()
    assert first["total"] > 20 and (first["first"], first["last"]) == (1, 20)
    second = example_client.get(first["next_url"].replace("/search?", "/search.json?")).get_json()
    assert second["first"] == 21 and second["previous_url"]
    assert {h["iri"] for h in first["hits"]}.isdisjoint(h["iri"] for h in second["hits"])


def test_every_page_has_the_search_box_in_its_header(example_client):
    for path in ("/", "/questions", "/network", "/search"):
        page = example_client.get(path).get_data(as_text=True)
        header = page[page.index('<header'):page.index('</header>')]
        form = re.search(r'<form class="site-search"[^>]*>', header).group(0)
        assert 'role="search"' in form and 'action="/search"' in form
        assert '<label for="site-search-q">' in header and 'id="site-search-q" name="q"' in header


def test_labels_and_passages_are_escaped(hostile_client):
    page = hostile_client.get("/search?q=trivsel").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page
    assert "<mark>Trivsel</mark>" in page


def test_a_hostile_query_is_answered_not_failed(example_client):
    response = example_client.get("/search", query_string={"q": '" OR * NEAR('})
    assert response.status_code == 200 and "<mark>" not in response.get_data(as_text=True)


@pytest.mark.parametrize("args", [{"q": "x", "page": "abc"}, {"q": "x", "page": "0"}, {"q": "x", "page": "9" * 5000},
                                  {"q": "x" * 201}])
def test_bad_input_is_a_400_with_a_sentence(example_client, args):
    response = example_client.get("/search.json", query_string=args)
    assert response.status_code == 400 and response.get_json()["error"]


def test_no_words_asks_for_some(example_client):
    page = example_client.get("/search?lang=en").get_data(as_text=True)
    assert "Type one or more words to search." in page
