"""The named questions as web pages: the library by kind, one page per question with a GET form,
results linked to resource pages, evidence on request, and .json/.csv twins."""
from __future__ import annotations

import csv
import io
import re

import pytest
from markupsafe import escape

from graph.questions.library import KINDS, load_library, run_named
from web import create_app

ID = "https://w3id.org/policygraph/id/"
LIBRARY = load_library()


def form_controls_have_labels(page: str) -> None:
    ids = re.findall(r'<(?:select|input|textarea)[^>]*\bid="([^"]+)"', page)
    assert ids
    for control in ids:
        assert f'<label for="{control}">' in page, control


# ------------------------------------------------------------------------------ the index
def test_index_groups_every_question_by_kind_in_library_order(example_client):
    page = example_client.get("/questions?lang=en").get_data(as_text=True)
    kinds_present = [k for k in KINDS if any(n.kind == k for n in LIBRARY.values())]
    positions = [page.index(f'<h2 id="kind-{kind}">') for kind in kinds_present]
    assert positions == sorted(positions)
    for named in LIBRARY.values():
        assert f'href="/questions/{named.id}"' in page
        assert str(escape(named.title["en"])) in page
    assert "Gaps" in page and "<h1>" in page


def test_index_speaks_danish_by_default(example_client):
    page = example_client.get("/questions").get_data(as_text=True)
    named = LIBRARY["plans-expiring-without-successor"]
    assert str(escape(named.title["da"])) in page and str(escape(named.question["da"])) in page
    assert "Huller" in page


def test_index_has_a_json_twin(example_client):
    data = example_client.get("/questions.json?lang=en").get_json()
    assert [d["id"] for d in data] == list(LIBRARY)
    first = {d["id"]: d for d in data}["plans-expiring-without-successor"]
    assert first["kind"] == "gap" and first["parameters"][0] == {
        "name": "year", "type": "year", "label": "Year", "required": False, "default": "2022"}
    assert first["csv"].endswith("/questions/plans-expiring-without-successor.csv")


# ------------------------------------------------------------------------------ one question
def test_question_page_shows_question_form_sparql_and_results(example_client):
    response = example_client.get("/questions/plans-expiring-without-successor?lang=en")
    page = response.get_data(as_text=True)
    named = LIBRARY["plans-expiring-without-successor"]
    assert response.status_code == 200
    assert str(escape(named.question["en"])) in page
    form_controls_have_labels(page)
    assert '<option value="org/koebenhavn">' in page           # iri parameter as a select of the graph's instances
    assert 'name="year"' in page and 'value="2022"' in page     # the default is filled in
    assert "<details" in page and "MINUS" in page and "pg:validUntil" in page  # the SPARQL, shown
    assert 'href="/workbench?query=' in page
    assert "<caption" in page and '<th scope="col">Plan or initiative</th>' in page
    result = run_named(example_client.application.config["STORE"], named, {}, "en")
    assert result.rows and page.count("<tr>") >= len(result.rows)


def test_result_iris_link_to_resource_pages_with_labels(example_client):
    page = example_client.get("/questions/plans-expiring-without-successor?lang=en").get_data(as_text=True)
    links = re.findall(r'<a href="(/id/[^"]+)" title="(https://[^"]+)">([^<]+)</a>', page)
    assert links
    for href, iri, text in links:
        assert iri == ID + href[len("/id/"):]
        assert not text.startswith("id:")   # a label, not the compact IRI


def test_parameters_change_the_answer_and_are_in_the_url(example_client):
    store = example_client.application.config["STORE"]
    named = LIBRARY["plans-expiring-without-successor"]
    early = run_named(store, named, {"year": "2018"}, "en")
    late = run_named(store, named, {"year": "2022"}, "en")
    assert len(early.rows) < len(late.rows)
    page = example_client.get("/questions/plans-expiring-without-successor?year=2018").get_data(as_text=True)
    assert 'value="2018"' in page
    assert f"{len(early.rows)} rækker" in page
    assert 'href="/questions/plans-expiring-without-successor.csv?year=2018"' in page


def test_malformed_year_is_a_400_with_the_message_next_to_the_form(example_client):
    response = example_client.get("/questions/plans-expiring-without-successor?year=20x2&lang=en")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "year must be a year of four digits like 2022, not &#39;20x2&#39;" in page
    main = page[page.index("<main"):]  # the question's form (the header's search box comes before it)
    assert 'role="alert"' in main and main.index('role="alert"') < main.index("</form>")
    assert 'aria-invalid="true"' in page and "Traceback" not in page
    form_controls_have_labels(page)


def test_unknown_committee_suggests_the_nearest_one(example_client):
    response = example_client.get("/questions/budget-per-committee-year?committee=org/koebenhavn/biuu&lang=en")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "did you mean &#39;org/koebenhavn/biu&#39;?" in page


def test_unknown_question_is_a_404(example_client):
    assert example_client.get("/questions/no-such-question").status_code == 404
    assert example_client.get("/questions/no-such-question.json").status_code == 404


def test_other_arguments_are_not_taken_as_parameters(example_client):
    response = example_client.get("/questions/dangling-references?lang=en&explain=&utm=x")
    assert response.status_code == 200


# ------------------------------------------------------------------------------ twins
def test_json_twin_has_the_same_rows_as_the_library(example_client):
    store = example_client.application.config["STORE"]
    named = LIBRARY["plans-expiring-without-successor"]
    expected = run_named(store, named, {"year": "2019"}, "en")
    data = example_client.get("/questions/plans-expiring-without-successor.json?year=2019&lang=en").get_json()
    assert data["columns"] == expected.columns and len(data["rows"]) == len(expected.rows)
    assert data["parameters_given"] == {"year": "2019"}
    first = data["rows"][0]["item"]
    assert first["type"] == "uri" and first["value"] == expected.rows[0]["item"].value and first["label"]


def test_csv_twin_has_a_header_and_one_line_per_row(example_client):
    store = example_client.application.config["STORE"]
    named = LIBRARY["overlapping-initiatives"]
    expected = run_named(store, named, {}, "da")
    response = example_client.get("/questions/overlapping-initiatives.csv")
    assert response.mimetype == "text/csv"
    table = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert table[0] == [named.heading(c, "da") for c in expected.columns] and len(table) == len(expected.rows) + 1
    assert table[0][:2] == ["Indsats 1", "Indsats 1 (navn)"]   # headings in the reader's language, for a spreadsheet


def test_twins_refuse_bad_parameters_with_400(example_client):
    bad = example_client.get("/questions/plans-expiring-without-successor.json?year=soon")
    assert bad.status_code == 400 and "four digits" in bad.get_json()["error"]
    bad_csv = example_client.get("/questions/plans-expiring-without-successor.csv?municipality=org/nowhere")
    assert bad_csv.status_code == 400 and bad_csv.mimetype == "text/plain" and "ukendt kommune" in bad_csv.get_data(as_text=True)


# ------------------------------------------------------------------------------ evidence
def test_evidence_is_offered_by_link_and_shown_on_request(example_client):
    plain = example_client.get("/questions/overlapping-initiatives?lang=en").get_data(as_text=True)
    assert "<blockquote" not in plain
    assert 'href="/questions/overlapping-initiatives?explain=1#answer-heading"' in plain
    explained = example_client.get("/questions/overlapping-initiatives?explain=1&lang=en").get_data(as_text=True)
    assert '<th scope="col">Sources</th>' in explained
    assert "<details>" in explained and "<blockquote lang=\"da\">" in explained and "(in Danish)" in explained
    assert 'name="explain" value="1"' in explained   # the form keeps the choice


def test_json_twin_carries_evidence_on_request(example_client):
    data = example_client.get("/questions/overlapping-initiatives.json?explain=1").get_json()
    assert len(data["evidence"]) == len(data["rows"])
    assert any(item["quote"] for items in data["evidence"] for item in items)


# ------------------------------------------------------------------------------ a small graph
PERSONA_GRAPH = """
@prefix pg: <https://w3id.org/policygraph/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://w3id.org/policygraph/id/persona/x> a pg:Persona ; skos:prefLabel "Ayse <script>alert(1)</script>"@da ;
    pg:memberOfTargetGroup <https://w3id.org/policygraph/id/tg/nobody> .
<https://w3id.org/policygraph/id/tg/nobody> a pg:TargetGroup ; skos:prefLabel "Ingen"@da .
"""


def test_results_from_a_small_graph_are_escaped(store_from_turtle):
    client = create_app({"STORE": store_from_turtle(PERSONA_GRAPH), "TESTING": True}).test_client()
    response = client.get("/questions/personas-without-initiative")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Ayse &lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert 'href="/id/persona/x"' in page


def test_csv_twin_neutralises_cells_a_spreadsheet_would_run(store_from_turtle):
    graph = PERSONA_GRAPH.replace("Ayse <script>alert(1)</script>", '=HYPERLINK(\\"http://evil\\",\\"x\\")')
    client = create_app({"STORE": store_from_turtle(graph), "TESTING": True}).test_client()
    table = list(csv.reader(io.StringIO(client.get("/questions/personas-without-initiative.csv").get_data(as_text=True))))
    cells = [cell for row in table[1:] for cell in row]
    assert "'=HYPERLINK(\"http://evil\",\"x\")" in cells and not any(c.startswith("=") for c in cells)


@pytest.mark.parametrize("qid", list(LIBRARY))
def test_every_library_question_renders_on_the_example_graph(example_client, qid):
    response = example_client.get(f"/questions/{qid}?lang=en")
    assert response.status_code == 200, response.get_data(as_text=True)[-500:]
    form_controls_have_labels(response.get_data(as_text=True)) if LIBRARY[qid].parameters else None


REQUIRED = """#+ id: plans-of-a-municipality
#+ kind: overview
#+ title: {da: "Planer i en kommune", en: "Plans of a municipality"}
#+ question: {da: "Hvilke planer har kommunen?", en: "Which plans does the municipality have?"}
#+ parameters:
#+   - name: municipality
#+     type: iri
#+     class: pg:Municipality
#+     label: {da: Kommune, en: Municipality}
#+     required: true
#+ columns:
#+   plan: {da: Plan, en: Plan}
SELECT ?plan WHERE { ?plan pg:municipality ?municipality }
"""


def test_a_required_parameter_shows_the_form_first_and_refuses_a_missing_value_later(example_client, monkeypatch):
    from graph.questions.library import parse_query_text

    named = parse_query_text(REQUIRED)
    monkeypatch.setattr("web.questions.library", lambda: {**LIBRARY, named.id: named})
    first = example_client.get("/questions/plans-of-a-municipality?lang=en")
    page = first.get_data(as_text=True)
    assert first.status_code == 200 and "Fill in the parameters" in page
    assert '<select id="p-municipality" name="municipality" required' in page and "(any)" not in page
    answered = example_client.get("/questions/plans-of-a-municipality?municipality=org/koebenhavn&lang=en")
    assert answered.status_code == 200 and "/id/doc/koebenhavn/" in answered.get_data(as_text=True)
    assert example_client.get("/questions/plans-of-a-municipality.json").status_code == 400


def test_numbers_are_right_aligned_in_result_tables(example_client):
    page = example_client.get("/questions/budget-per-plan-year?lang=en").get_data(as_text=True)
    assert '<td class="num">' in page


def test_an_answer_resting_on_workshop_decisions_says_so_and_links_to_one_without(workshop_store):
    client = create_app({"STORE": workshop_store, "TESTING": True}).test_client()
    page = client.get("/questions/plan-synergies?lang=en").get_data(as_text=True)
    assert "The answer also rests on decisions taken at workshops" in page and "Second plan" in page
    assert 'href="/questions/plan-synergies?workshops=exclude"' in page
    without = client.get("/questions/plan-synergies?workshops=exclude&lang=en").get_data(as_text=True)
    assert "Decisions taken at workshops are left out" in without and "Second plan" not in without
    assert 'name="workshops" value="exclude"' in without and 'href="/questions/plan-synergies"' in without


def test_the_json_twin_says_whether_workshop_decisions_were_used(workshop_store):
    client = create_app({"STORE": workshop_store, "TESTING": True}).test_client()
    used = client.get("/questions/plan-synergies.json").get_json()
    assert used["workshop_decisions"] == {"left_out": False, "in_answer": True} and used["rows"]
    left_out = client.get("/questions/plan-synergies.json?workshops=exclude").get_json()
    assert left_out["workshop_decisions"] == {"left_out": True, "in_answer": False} and not left_out["rows"]


def test_without_workshops_the_page_has_no_workshop_notice(example_client):
    page = example_client.get("/questions/plan-synergies?lang=en").get_data(as_text=True)
    assert "decisions taken at workshops" not in page


# ------------------------------------------------------------------------------ the same parameters everywhere
def test_a_question_takes_a_short_id_and_a_full_iri_alike_and_keeps_it_in_the_url(example_client):
    full = "https://w3id.org/policygraph/id/org/koebenhavn"
    by_short = example_client.get("/questions/goals-without-initiative.json?municipality=org/koebenhavn").get_json()
    by_full = example_client.get("/questions/goals-without-initiative.json", query_string={"municipality": full})
    assert by_full.status_code == 200 and by_full.get_json()["rows"] == by_short["rows"]
    page = example_client.get("/questions/goals-without-initiative", query_string={"municipality": full, "lang": "en"})
    html = page.get_data(as_text=True)
    assert '<option value="org/koebenhavn" selected>' in html       # the form shows the choice
    assert "goals-without-initiative.csv?municipality=https" in html  # the links keep what was given


@pytest.mark.parametrize("lang, message, other", [
    ("da", "ukendt kommune &#39;org/nowhere&#39;", "unknown"),
    ("en", "unknown municipality &#39;org/nowhere&#39;", "ukendt")])
def test_a_wrong_value_is_one_message_in_the_readers_language(example_client, lang, message, other):
    response = example_client.get(f"/questions/goals-without-initiative?municipality=org/nowhere&lang={lang}")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page and other not in page


def test_headings_come_from_the_metadata_in_the_pages_language(example_client):
    da = example_client.get("/questions/continuity-chains?lang=da").get_data(as_text=True)
    en = example_client.get("/questions/continuity-chains?lang=en").get_data(as_text=True)
    assert '<th scope="col">Forgænger</th>' in da and '<th scope="col">Predecessor</th>' in en
    assert ">afløser<" in da and ">replaces<" in en and ">replaces<" not in da   # link kinds by name


def test_counts_have_their_noun_in_the_right_number(example_client):
    page = example_client.get("/questions/overlapping-initiatives?explain=1&lang=da").get_data(as_text=True)
    assert re.search(r"<summary>(1 kilde|[2-9]\d* kilder)</summary>", page) and "<summary>1 kilder" not in page


# ------------------------------------------------------------------------------ pages of a long answer
def test_a_long_answer_is_paged_and_says_of_how_many(example_client, monkeypatch):
    monkeypatch.setattr("web.questions.PAGE_ROWS", 5)
    total = len(run_named(example_client.application.config["STORE"], load_library()["plan-synergies"], {}, "en").rows)
    assert total > 10
    page = example_client.get("/questions/plan-synergies?lang=en").get_data(as_text=True)
    assert f"Showing the 5 strongest of {total} (strongest link first)." in page
    assert page.count("<tr>") == 6 and 'rel="next"' in page and 'rel="prev"' not in page
    assert 'href="#p-municipality"' in page      # the municipality is offered as the first filter
    second = example_client.get("/questions/plan-synergies?lang=en&page=2").get_data(as_text=True)
    assert f"Showing rows 6-10 of {total}" in second and 'rel="prev"' in second
    danish = example_client.get("/questions/plan-synergies?lang=da").get_data(as_text=True)
    assert f"Viser de 5 stærkeste af {total}" in danish and "Næste side" in danish


def test_the_json_twin_pages_the_same_way_and_the_csv_carries_everything(example_client, monkeypatch):
    monkeypatch.setattr("web.questions.PAGE_ROWS", 5)
    data = example_client.get("/questions/plan-synergies.json?lang=en&page=2").get_json()
    total = data["total_rows"]
    assert len(data["rows"]) == 5 and data["page"] == 2 and data["first_row"] == 6 and data["pages"] == -(-total // 5)
    assert "page=3" in data["next"] and "page=1" in data["previous"] and data["ranked_by"] == "strongest link first"
    whole = example_client.get("/questions/plan-synergies.json?lang=en")
    first = whole.get_json()
    assert [r["plan1"] for r in first["rows"]] != [r["plan1"] for r in data["rows"]] or first["rows"] != data["rows"]
    csv_lines = example_client.get("/questions/plan-synergies.csv?lang=en").get_data(as_text=True).strip().splitlines()
    assert len(csv_lines) == total + 1


def test_a_page_past_the_end_shows_the_last_and_a_bad_page_is_a_400(example_client, monkeypatch):
    monkeypatch.setattr("web.questions.PAGE_ROWS", 5)
    data = example_client.get("/questions/plan-synergies.json?page=999").get_json()
    assert data["page"] == data["pages"] and data["next"] is None
    response = example_client.get("/questions/plan-synergies?page=two&lang=en")
    assert response.status_code == 400 and str(escape("There is no page 'two'")) in response.get_data(as_text=True)
    for huge in ("9" * 5000, "10001"):   # more digits than Python reads into an int, and past the last page anyone follows
        assert example_client.get(f"/questions/plan-synergies.json?page={huge}").status_code == 400


def test_an_answer_is_kept_until_the_data_changes(example_client):
    example_client.get("/questions/plan-synergies?lang=en")
    again = example_client.get("/questions/plan-synergies?lang=en").get_data(as_text=True)
    assert "kept answer, computed when the data last changed" in again


# ------------------------------------------------------------------------------ comparing two municipalities
COMPARE = "/questions/overlaps-between-municipalities"
BOTH = "municipality1=org/koebenhavn&municipality2=org/silkeborg&theme=theme/beskaeftigelse&targetGroup=tg/flygtninge"


@pytest.mark.parametrize("lang, first, second, heading, kind", [
    ("da", "Kommune 1", "Kommune 2", "Kommune 2: indsats eller indsatsområde", ">indsatsområde<"),
    ("en", "Municipality 1", "Municipality 2", "Municipality 2: initiative or focus area", ">focus area<")])
def test_the_compare_page_asks_for_two_municipalities_and_answers_with_both(example_client, lang, first, second,
                                                                             heading, kind):
    empty = example_client.get(f"{COMPARE}?lang={lang}").get_data(as_text=True)
    assert f'<label for="p-municipality1">{first}' in empty and f'<label for="p-municipality2">{second}' in empty
    for name in ("municipality1", "municipality2"):
        assert f'<select id="p-{name}" name="{name}" required' in empty
        assert '<option value="org/silkeborg">' in empty.split(f'id="p-{name}"', 1)[1].split("</select>", 1)[0]
    response = example_client.get(f"{COMPARE}?{BOTH}&lang={lang}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    form_controls_have_labels(page)
    assert '<option value="org/koebenhavn" selected>' in page and '<option value="org/silkeborg" selected>' in page
    assert f'<th scope="col">{heading}</th>' in page and kind in page
    assert 'href="/id/doc/koebenhavn/integrationshandleplan-2019-22/fritidsjob"' in page
    assert 'href="/id/doc/silkeborg/integrationsstrategi-2016-18/kerneomraade-2"' in page
    assert example_client.get(f"{COMPARE}.json?{BOTH}").get_json()["rows"]


def test_the_compare_twins_refuse_a_missing_second_municipality(example_client):
    response = example_client.get(f"{COMPARE}.json?municipality1=org/koebenhavn")
    assert response.status_code == 400 and "municipality2" in response.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["da", "en"])
def test_a_missing_second_municipality_asks_for_it_rather_than_failing(example_client, lang):
    from ontology.texts import translate

    response = example_client.get(f"{COMPARE}?municipality1=org/koebenhavn&lang={lang}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and str(escape(translate("q_fill_in", lang))) in page
    assert '<option value="org/koebenhavn" selected>' in page      # what was given is kept
    assert '<select id="p-municipality2" name="municipality2" required' in page and "<tbody>" not in page
