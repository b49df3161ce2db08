"""The synergy matrix and the timeline: accessible tables with numbers, filters by municipality,
.json twins, 400 for bad input, escaping, and the timeline's layout rules."""
from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from graph.pipeline.load import ontology_content
from graph.store import GraphContent, OxigraphStore
from graph.explore.timeline import Row, Step, layout, read_timeline
from web import create_app
from web.charts import level
from web.drawing import timeline_drawing

ID = "https://w3id.org/policygraph/id/"
PG = "https://w3id.org/policygraph/ontology#"
DCT = "http://purl.org/dc/terms/"
KBH = ID + "org/koebenhavn"
XSD = "http://www.w3.org/2001/XMLSchema#"
G = ox.NamedNode(ID + "graph/test.yaml")


@pytest.fixture
def small_client():
    """Two coordinated plans with a markup title, one with an open period and a dated step."""
    store = OxigraphStore()
    q = lambda s, p, o: ox.Quad(ox.NamedNode(s), ox.NamedNode(p), o, G)  # noqa: E731
    year = lambda y: ox.Literal(y, datatype=ox.NamedNode(XSD + "gYear"))  # noqa: E731
    a, b, m = ID + "doc/m/a", ID + "doc/m/b", ID + "org/m"
    store.replace_graphs([ontology_content(), GraphContent(G.value, [
        q(m, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", ox.NamedNode(PG + "Municipality")),
        q(a, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", ox.NamedNode(PG + "Policy")),
        q(a, DCT + "title", ox.Literal("<script>alert(1)</script>", language="da")),
        q(a, PG + "municipality", ox.NamedNode(m)), q(a, PG + "validFrom", year("2019")),
        q(b, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", ox.NamedNode(PG + "ActionPlan")),
        q(b, DCT + "title", ox.Literal("Plan B", language="da")), q(b, PG + "municipality", ox.NamedNode(m)),
        q(b, PG + "validFrom", year("2020")), q(b, PG + "validUntil", year("2021")),
        q(b, PG + "coordinatesWith", ox.NamedNode(a)),
        q(ID + "step/1", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", ox.NamedNode(PG + "ProcessStep")),
        q(ID + "step/1", "http://www.w3.org/ns/prov#used", ox.NamedNode(b)),
        q(ID + "step/1", PG + "date", ox.Literal("2019-11-05", datatype=ox.NamedNode(XSD + "date"))),
        q(ID + "step/1", "http://www.w3.org/2004/02/skos/core#prefLabel", ox.Literal("Vedtagelse", language="da")),
    ])])
    yield create_app({"STORE": store, "TESTING": True}).test_client()
    store.close()


def test_strength_levels_scale_to_the_strongest_pair():
    assert [level(v, 10) for v in (0, 1, 2, 5, 10)] == [0, 1, 1, 3, 5]
    assert level(3, 0) == 0


def test_matrix_is_a_table_with_scoped_headers_numbers_and_explained_cells(example_client):
    page = example_client.get("/matrix", query_string={"municipality": KBH, "lang": "en"}).get_data(as_text=True)
    table = page[page.index('<table class="matrix">'):page.index("</table>")]
    assert "<caption" in table and 'scope="col"' in table and 'scope="row"' in table
    links = re.findall(r'<a href="#(pair-\d+)"[^>]*>(\d+)</a>', table)
    assert links and all(f'id="{pair}"' in page for pair, _ in links)
    assert re.search(r'<td class="s[1-5]"><a href="#pair-', table)


def test_matrix_json_twin_and_coordination_measure(example_client):
    data = example_client.get("/matrix.json", query_string={"municipality": KBH}).get_json()
    assert data["question"] == "plan-synergies" and data["pairs"] and data["plans"]
    assert all(p["value"] > 0 and 1 <= p["level"] <= 5 for p in data["pairs"])
    coordination = example_client.get("/matrix.json", query_string={"measure": "coordination"}).get_json()
    assert coordination["question"] == "plan-coordination-matrix" and coordination["pairs"]


@pytest.mark.parametrize("query, status", [({"municipality": "not an iri"}, 400), ({"measure": "bogus"}, 400),
                                           ({"municipality": ID + "org/nowhere"}, 400)])
def test_matrix_rejects_bad_input_with_a_message(example_client, query, status):
    response = example_client.get("/matrix", query_string=query)
    assert response.status_code == status and 'role="alert"' in response.get_data(as_text=True)
    assert example_client.get("/matrix.json", query_string=query).get_json()["error"]


def test_matrix_and_timeline_escape_titles(small_client):
    matrix = small_client.get("/matrix").get_data(as_text=True)
    assert "&lt;script&gt;" in matrix and "<script>alert" not in matrix
    timeline = small_client.get("/timeline").get_data(as_text=True)
    assert "&lt;script&gt;" in timeline and "<script>alert" not in timeline


def test_timeline_draws_periods_open_ends_and_steps_with_a_table(small_client):
    page = small_client.get("/timeline?lang=en").get_data(as_text=True)
    assert '<svg class="timeline-svg"' in page and 'aria-labelledby="tl-title tl-desc"' in page and "<desc" in page
    assert 'class="period open"' in page and 'class="step"' in page
    assert "2019-11-05" in page and "<caption>" in page and ">open<" in page
    data = small_client.get("/timeline.json").get_json()
    assert [r["title"] for r in data["rows"]] == ["<script>alert(1)</script>", "Plan B"]
    assert data["first"] == 2019 and data["last"] == 2021


def test_timeline_filters_by_municipality(example_client):
    everything = example_client.get("/timeline.json").get_json()
    kbh = example_client.get("/timeline.json", query_string={"municipality": KBH}).get_json()
    assert 0 < len(kbh["rows"]) < len(everything["rows"])
    assert all(r["municipality"] == KBH for r in kbh["rows"])
    assert example_client.get("/timeline", query_string={"municipality": "bad iri"}).status_code == 400


def test_layout_keeps_unplaceable_documents_for_the_table():
    rows = [Row("a", "A", "policy", "", 2019, 2020), Row("b", "B", "plan", "", None, None),
            Row("c", "C", "plan", "", None, None, [Step("s", "S", "", "2018-07-01", "")])]
    timeline = layout(rows)
    assert [r.iri for r in timeline.rows] == ["c", "a"] and [r.iri for r in timeline.undated] == ["b"]
    drawing = timeline_drawing(timeline)
    step, period = drawing["rows"][0]["steps"][0], drawing["rows"][1]
    assert drawing["first"] == 2018 and step["x"] == 420 + 70 * 6 / 12      # July 2018: half a year in
    assert (period["x1"], period["x2"]) == (420 + 70, 420 + 3 * 70)          # 2019 to the end of 2020
    assert drawing["undated"][0]["x1"] == 0.0


def test_example_timeline_reads_dated_steps(example_store):
    timeline = read_timeline(example_store, "da", KBH)
    assert any(s.date for r in timeline.rows for s in r.steps)


def test_a_slow_matrix_answers_503_and_keeps_computing(example_app, monkeypatch):
    import time

    import graph.explore.network as nv

    def slow(*args, **kwargs):
        time.sleep(0.5)
        raise RuntimeError("late")
    monkeypatch.setattr("graph.questions.kept.run_named", slow)
    monkeypatch.setitem(example_app.config, "CHART_TIMEOUT", 0.05)
    nv.clear_findings_cache()
    client = example_app.test_client()
    page = client.get("/matrix", query_string={"municipality": ID + "org/silkeborg", "lang": "en"})
    assert page.status_code == 503 and page.headers["Retry-After"] == "30"
    assert "still running" in page.get_data(as_text=True)
    time.sleep(0.6)  # that run failed: nothing is cached, so the next request tries again
    twin = client.get("/matrix.json", query_string={"municipality": ID + "org/silkeborg", "lang": "en"})
    assert twin.status_code == 503 and "still running" in twin.get_json()["error"]
    time.sleep(0.6)
    monkeypatch.setitem(example_app.config, "CHART_TIMEOUT", 20)
    monkeypatch.undo()
    assert client.get("/matrix.json", query_string={"municipality": ID + "org/silkeborg"}).status_code == 200
    nv.clear_findings_cache()


def test_a_pair_a_workshop_linked_is_marked_in_its_cell_and_can_be_left_out(workshop_store):
    client = create_app({"STORE": workshop_store, "TESTING": True}).test_client()
    data = client.get("/matrix.json").get_json()
    decided = [p for p in data["pairs"] if p["workshop"]]
    assert len(decided) == 1 and data["workshop_pairs"] == 1
    page = client.get("/matrix?lang=en").get_data(as_text=True)
    assert '<span aria-hidden="true"> ◆</span><span class="visually-hidden"> (decided at a workshop)</span>' in page
    left_out = client.get("/matrix.json?workshops=exclude").get_json()
    assert not any(p["workshop"] for p in left_out["pairs"]) and len(left_out["pairs"]) == len(data["pairs"]) - 1
    assert "workshops=exclude" in left_out["question_url"]


# ------------------------------------------------------------------------------ the same parameters everywhere
@pytest.mark.parametrize("path", ["/matrix.json", "/timeline.json"])
def test_charts_take_a_short_id_and_a_full_iri_alike(example_client, path):
    short = example_client.get(path, query_string={"municipality": "org/koebenhavn"})
    full = example_client.get(path, query_string={"municipality": KBH})
    assert short.status_code == full.status_code == 200 and short.get_json() == full.get_json()


def test_the_form_offers_short_ids_and_marks_a_full_iri_as_chosen(example_client):
    page = example_client.get("/matrix", query_string={"municipality": KBH, "lang": "en"}).get_data(as_text=True)
    assert '<option value="org/koebenhavn" selected>' in page
    assert "/questions/plan-synergies?municipality=org/koebenhavn" in page   # the question page, same id
    short = example_client.get("/timeline", query_string={"municipality": "org/koebenhavn"}).get_data(as_text=True)
    assert '<option value="org/koebenhavn" selected>' in short


@pytest.mark.parametrize("lang, message", [
    ("da", "ukendt kommune 'org/koebenhavnn'; mente du 'org/koebenhavn'?"),
    ("en", "unknown municipality 'org/koebenhavnn'; did you mean 'org/koebenhavn'?")])
@pytest.mark.parametrize("path", ["/matrix", "/timeline"])
def test_a_wrong_municipality_is_one_message_in_the_readers_language(example_client, path, lang, message):
    import html

    response = example_client.get(path, query_string={"municipality": "org/koebenhavnn", "lang": lang})
    assert response.status_code == 400 and message in html.unescape(response.get_data(as_text=True))
    other = "unknown" if lang == "da" else "ukendt"
    assert other not in html.unescape(response.get_data(as_text=True))


def test_the_coordination_matrix_names_the_kinds_of_links(example_client):
    data = example_client.get("/matrix.json", query_string={"measure": "coordination", "lang": "da"}).get_json()
    kinds = {pair["kinds"] for pair in data["pairs"] if pair.get("kinds")}
    assert kinds and "relateret til" in " ".join(kinds)
    assert not any(word in " ".join(kinds) for word in ("coordinatesWith", "relation", "implements"))
