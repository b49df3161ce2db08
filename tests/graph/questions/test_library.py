"""The named question library: metadata, parameters, every query on the example graph, and fixture
graphs that plant one problem (which must be found) next to a correct case (which must not)."""
from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.questions.explain import explain
from graph.questions.library import (LibraryError, QueryParameterError, allowed_values, load_library,
                                 parameter_choices, parse_query_text, run_named)

ROOT = Path(__file__).resolve().parents[3]
ID = "https://w3id.org/policygraph/id/"

PREFIXES = """
@prefix pg: <https://w3id.org/policygraph/ontology#> .
@prefix id: <https://w3id.org/policygraph/id/> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix schema: <http://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
id:org/m a pg:Municipality ; skos:prefLabel "M"@da .
id:org/m2 a pg:Municipality ; skos:prefLabel "M2"@da .
"""


@pytest.fixture(scope="module")
def library():
    return load_library()


def fixture_store(tmp_path, turtle: str):
    from graph.pipeline.load import load_into_store
    from graph.store import OxigraphStore

    path = tmp_path / "fixture.ttl"
    text = re.sub(r"\bid:([A-Za-z0-9/_-]+)", lambda m: f"<{ID}{m.group(1)}>", PREFIXES + textwrap.dedent(turtle))
    path.write_text(text, encoding="utf-8")
    store = OxigraphStore()
    load_into_store(store, [path], validate=False)
    return store


def ids(result, column: str) -> set[str]:
    return {row[column].value.replace(ID, "") for row in result.rows if row[column] is not None}


# ------------------------------------------------------------------------------------ metadata
GOOD = """\
#+ id: tiny
#+ kind: gap
#+ title: {da: "Lille", en: "Tiny"}
#+ question: {da: "Hvad?", en: "What?"}
#+ parameters:
#+   - name: year
#+     type: year
#+     default: 2022
#+ explain: [doc]
#+ columns:
#+   doc: {da: "Dokument", en: "Document", values: iris}
SELECT ?doc WHERE { ?doc pg:validUntil ?until FILTER(?until <= ?year) } ORDER BY ?doc
"""


def test_metadata_is_parsed():
    named = parse_query_text(GOOD, "tiny.rq")
    assert named.id == "tiny" and named.kind == "gap"
    assert named.title == {"da": "Lille", "en": "Tiny"}
    assert named.parameters[0].name == "year" and named.parameters[0].default == 2022
    assert named.explain == ("doc",)
    assert "#+" not in named.sparql and "SELECT ?doc" in named.sparql
    assert named.heading("doc", "da") == "Dokument" and named.heading("doc", "en") == "Document"
    assert named.column("doc").values == "iris"


@pytest.mark.parametrize("change, message", [
    (("#+ kind: gap", "#+ kind: gapp"), "tiny.rq:2: kind must be one of"),
    (("#+ kind: gap", "#+ kind: gap\n#+ colour: red"), "tiny.rq:3: unknown metadata key 'colour'"),
    (("#+ title: {da: \"Lille\", en: \"Tiny\"}", "#+ title: {da: \"Lille\"}"), "tiny.rq:3: title lacks a text in en"),
    (("#+     type: year", "#+     type: yearly"), "tiny.rq:7: parameter 'year' has type 'yearly'"),
    (("#+     default: 2022", "#+     default: 22"), "tiny.rq:8: default of 'year': year must be a year of four digits"),
    (("#+   - name: year", "#+   - name: yaer"), "parameter 'yaer' is not used as ?yaer"),
    (("#+ explain: [doc]", "#+ explain: [document]"), "tiny.rq:9: explain names 'document'"),
    (("#+ question: {da: \"Hvad?\", en: \"What?\"}", "#+ question: {da: \"Hvad?\", en: \"What?\""), "tiny.rq:"),
    (("ORDER BY ?doc", "ORDER BY ?doc }"), "SPARQL syntax error"),
    (("SELECT ?doc WHERE", "SELECT ?doc ?until WHERE"), "tiny.rq:10: columns lacks a heading for until"),
    (("#+ columns:\n#+   doc: {da: \"Dokument\", en: \"Document\", values: iris}\n", ""),
     "tiny.rq:1: columns lacks a heading for doc"),
    (('en: "Document", values', 'values'), "tiny.rq:11: column 'doc' lacks a heading in en"),
    (("values: iris", "values: names"), "column 'doc': values must be one of terms, iris"),
    (("#+   doc:", "#+   doc: {da: D, en: D}\n#+   dok:"), "columns names 'dok', which the SELECT does not return"),
])
def test_malformed_metadata_names_file_and_line(change, message):
    with pytest.raises(LibraryError) as caught:
        parse_query_text(GOOD.replace(*change), "tiny.rq")
    assert message in str(caught.value)


def test_missing_metadata_block():
    with pytest.raises(LibraryError, match="no '#\\+ ' metadata"):
        parse_query_text("SELECT * WHERE { ?s ?p ?o }", "bare.rq")


def test_duplicate_ids_are_refused(tmp_path):
    (tmp_path / "a.rq").write_text(GOOD)
    (tmp_path / "b.rq").write_text(GOOD)
    with pytest.raises(LibraryError, match="already used"):
        load_library(tmp_path)


def test_every_column_of_every_question_has_a_heading_in_both_languages(library):
    """Headings are data of the question: a page, the report, a CSV and the CLI never show `plan1`."""
    for named in library.values():
        assert [c.name for c in named.columns], named.id
        for column in named.columns:
            assert column.heading["da"].strip() and column.heading["en"].strip(), (named.id, column.name)
            assert column.heading["da"] != column.name, (named.id, column.name)


def test_library_has_every_kind_and_both_languages(library):
    kinds = {q.kind for q in library.values()}
    assert kinds == {"gap", "overlap", "synergy", "continuity", "consistency", "overview"}
    for named in library.values():
        assert set(named.title) >= {"da", "en"} and set(named.question) >= {"da", "en"}
        assert "ORDER BY" in named.sparql.upper(), f"{named.id} must order its rows"


# ------------------------------------------------------------------------------------ parameters
def test_unknown_committee_suggests_the_nearest(example_store, library):
    named = library["budget-per-committee-year"]
    with pytest.raises(QueryParameterError, match="unknown committee 'org/koebenhavn/biuu'; did you mean 'org/koebenhavn/biu'"):
        run_named(example_store, named, {"committee": "org/koebenhavn/biuu"})
    with pytest.raises(QueryParameterError, match="did you mean 'org/koebenhavn/biu'"):
        run_named(example_store, named, {"committee": "Beskæftigelses- og Integrationsudvalg"})
    rows = run_named(example_store, named, {"committee": "org/koebenhavn/biu"}).rows
    assert rows and {r["committee"].value for r in rows} == {ID + "org/koebenhavn/biu"}


def test_unknown_municipality_and_wrong_class(example_store, library):
    named = library["goals-without-initiative"]
    with pytest.raises(QueryParameterError, match="unknown municipality 'org/koebenhavnn'; did you mean 'org/koebenhavn'"):
        run_named(example_store, named, {"municipality": "org/koebenhavnn"})
    # exists, but is a committee, not a municipality
    with pytest.raises(QueryParameterError, match="unknown municipality"):
        run_named(example_store, named, {"municipality": "org/koebenhavn/biu"})


def test_iri_parameter_forms_are_equivalent(example_store, library):
    named = library["plans-expiring-without-successor"]
    forms = ["org/koebenhavn", "id:org/koebenhavn", f"<{ID}org/koebenhavn>", f"{ID}org/koebenhavn"]
    results = [run_named(example_store, named, {"municipality": f}).rows for f in forms]
    assert all(r == results[0] for r in results) and results[0]


@pytest.mark.parametrize("value", ["22", "2022-01", "twenty", "20222"])
def test_malformed_year_gives_a_clear_message(example_store, library, value):
    with pytest.raises(QueryParameterError, match=f"year must be a year of four digits like 2022, not '{value}'"):
        run_named(example_store, library["plans-expiring-without-successor"], {"year": value})


@pytest.mark.parametrize("value", ["２０２１", "٢٠٢١", "2٠21"])
def test_year_in_other_digits_is_refused_not_read_as_a_year_with_no_rows(example_store, library, value):
    """int() and regex \\d read full-width and Arabic-Indic digits; SPARQL then matches nothing."""
    with pytest.raises(QueryParameterError, match="digits 0-9"):
        run_named(example_store, library["plans-expiring-without-successor"], {"year": value})


def test_other_parameter_errors(example_store, library):
    named = library["plans-expiring-without-successor"]
    with pytest.raises(QueryParameterError, match="has no parameter 'yeer'"):
        run_named(example_store, named, {"yeer": "2022"})
    from dataclasses import replace

    required = replace(named, parameters=(replace(named.parameters[0], required=True, default=None),) + named.parameters[1:])
    with pytest.raises(QueryParameterError, match="needs the parameter 'year'"):
        run_named(example_store, required, {})


def test_typed_literals():
    from graph.questions.library import Parameter, _parse_literal

    assert _parse_literal(Parameter("y", "year", {}), 2021) == ox.Literal("2021", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear"))
    assert _parse_literal(Parameter("d", "date", {}), "2022-04-19").datatype.value.endswith("#date")
    assert _parse_literal(Parameter("n", "integer", {}), "42").value == "42"
    assert _parse_literal(Parameter("t", "text", {}), "social kontrol").value == "social kontrol"
    for ptype, bad in [("date", "19-04-2022"), ("date", "2022-02-30"), ("integer", "4.5"), ("text", " ")]:
        with pytest.raises(QueryParameterError):
            _parse_literal(Parameter("x", ptype, {}), bad)


def test_values_are_bound_not_pasted(example_store, library):
    named = library["plans-expiring-without-successor"]
    text_before = named.sparql
    result = run_named(example_store, named, {"year": "2014"})
    assert named.sparql == text_before and "2014" not in named.sparql
    assert {r["until"].value for r in result.rows} == {"2014"}


def test_allowed_values_for_dropdowns(example_store, library):
    choices = parameter_choices(example_store, library["goals-without-initiative"], "da")["municipality"]
    assert ("org/koebenhavn", "Københavns Kommune") in choices
    assert all(cid.startswith("org/") for cid, _ in choices)
    assert allowed_values(example_store, library["goals-without-initiative"].parameters[0], "en")


# ------------------------------------------------------------------------------------ every query
# A question with required parameters runs here with these values (the issue's own example).
REQUIRED_VALUES = {"overlaps-between-municipalities": {"municipality1": "org/koebenhavn", "municipality2": "org/silkeborg"}}


def values_for(named) -> dict[str, str]:
    """No values for a question that needs none; the example values for one that needs some."""
    if any(p.required and p.default is None for p in named.parameters):
        return REQUIRED_VALUES[named.id]
    return {}


def test_every_question_with_required_parameters_has_example_values(library):
    needing = {qid for qid, named in library.items() if any(p.required and p.default is None for p in named.parameters)}
    assert needing == set(REQUIRED_VALUES)


def test_every_query_runs_on_the_example_graph(example_store, library):
    for named in library.values():
        for lang in ("da", "en"):
            result = run_named(example_store, named, values_for(named), lang)
            assert result.columns and result.elapsed < 5
            keys = [tuple(str(r[c]) for c in result.columns) for r in result.rows]
            assert len(keys) == len(set(keys)), f"{named.id} repeats rows"
            again = run_named(example_store, named, values_for(named), lang)
            assert [tuple(str(r[c]) for c in again.columns) for r in again.rows] == keys, f"{named.id} is not deterministic"
        if any(p.name == "municipality" for p in named.parameters):
            scoped = run_named(example_store, named, {"municipality": "org/silkeborg"})
            for row in scoped.rows:
                if row.get("municipality") is not None:
                    assert row["municipality"].value == ID + "org/silkeborg", named.id


def test_explain_gives_passages_for_every_row(example_store, library):
    for named in library.values():
        result = run_named(example_store, named, values_for(named), "da")
        for row in result.rows[:3]:
            for item in explain(example_store, row, named, "da"):
                assert item.file.endswith(".txt") and item.quote and item.graph.startswith(ID + "graph/")


# ------------------------------------------------------------------------------------ gaps
def test_goals_without_initiative(tmp_path, library):
    store = fixture_store(tmp_path, """
    id:s a pg:Strategy ; pg:municipality id:org/m ; pg:hasGoal id:g-lonely , id:g-direct ; pg:hasFocusArea id:fa .
    id:fa a pg:FocusArea ; pg:hasGoal id:g-via-area .
    id:g-lonely a pg:Goal ; skos:prefLabel "Alene"@da .
    id:g-direct a pg:Goal . id:g-via-area a pg:Goal .
    id:p a pg:ActionPlan ; pg:municipality id:org/m ; pg:hasInitiative id:i1 , id:i2 .
    id:i1 a pg:Initiative ; pg:supports id:g-direct .
    id:i2 a pg:Initiative ; pg:supports id:fa .
    """)
    result = run_named(store, library["goals-without-initiative"], {}, "da")
    assert ids(result, "goal") == {"g-lonely"}
    assert result.rows[0]["goalLabel"].value == "Alene"


GOAL_BODIES = """
    id:org/m/c a pg:Committee ; org:unitOf id:org/m . id:org/m/a a pg:Administration ; org:unitOf id:org/m .
    id:org/m/c2 a pg:Committee ; org:unitOf id:org/m .
    id:s a pg:Strategy ; pg:municipality id:org/m ; pg:adoptedBy id:org/m/c ; pg:preparedBy id:org/m/a ;
        pg:hasGoal id:g-derived , id:g-stated , id:g-other .
    id:g-derived a pg:Goal . id:g-other a pg:Goal .
    id:g-stated a pg:Goal ; pg:responsibleBody id:org/m/c2 .
    id:bare a pg:Strategy ; pg:municipality id:org/m ; pg:hasGoal id:g-nobody . id:g-nobody a pg:Goal .
    id:p a pg:ActionPlan ; pg:municipality id:org/m ; pg:hasInitiative id:i . id:i a pg:Initiative ; pg:supports id:g-other .
"""


def test_goals_without_initiative_say_who_answers_for_them_and_whence(tmp_path, library):
    """Stated in the source (the goal's own pg:responsibleBody) or derived from the document (each of
    its responsible, adopting and preparing bodies, saying which), or unknown; committee or administration."""
    store = fixture_store(tmp_path, GOAL_BODIES)
    rows = run_named(store, library["goals-without-initiative"], {}, "en").rows
    found = {(r["goal"].value.replace(ID, ""), r["body"].value.replace(ID, "") if r["body"] else None,
              r["bodyKind"].value.rsplit("#", 1)[-1] if r["bodyKind"] else None, r["basis"].value,
              r["via"].value if r["via"] else None) for r in rows}
    assert found == {("g-derived", "org/m/c", "Committee", "DerivedFromDocument", "adoptedBy"),
                     ("g-derived", "org/m/a", "Administration", "DerivedFromDocument", "preparedBy"),
                     ("g-stated", "org/m/c2", "Committee", "StatedInSource", None),
                     ("g-nobody", None, None, "NoBodyGiven", None)}


def test_goals_without_initiative_are_counted_per_body(tmp_path, library):
    """"Which committee owns most goals without an initiative" (issue 16), answered by counting."""
    store = fixture_store(tmp_path, GOAL_BODIES + """
    id:s pg:hasGoal id:g-derived-2 . id:g-derived-2 a pg:Goal .
    """)
    rows = run_named(store, library["goals-without-initiative-per-body"], {"municipality": "org/m"}, "en").rows
    counted = [(r["body"].value.replace(ID, "") if r["body"] else None, r["basis"].value, int(r["goals"].value))
               for r in rows]
    assert counted[:2] == [("org/m/a", "DerivedFromDocument", 2), ("org/m/c", "DerivedFromDocument", 2)]
    assert set(counted[2:]) == {("org/m/c2", "StatedInSource", 1), (None, "NoBodyGiven", 1)}
    assert rows[0]["bodyKind"].value.endswith("#Administration") and rows[1]["bodyKind"].value.endswith("#Committee")


def test_the_example_goals_without_initiative_answer_to_an_administration_derived_from_the_strategy(example_store, library):
    """Silkeborg's three objectives name no responsible body; the strategy was prepared by the Employment
    Department ("Strategien beskriver, hvordan Beskæftigelsesafdelingen vil sikre ...", seed 002), so that is derived."""
    rows = run_named(example_store, library["goals-without-initiative"], {"municipality": "org/silkeborg"}, "en").rows
    assert len(rows) == 3
    assert {(r["body"].value, r["bodyKind"].value.rsplit("#", 1)[-1], r["basis"].value, r["via"].value) for r in rows} == {
        (ID + "org/silkeborg/beskaeftigelsesafdelingen", "Administration", "DerivedFromDocument", "preparedBy")}
    per_body = run_named(example_store, library["goals-without-initiative-per-body"], {}, "en").rows
    assert [(r["bodyLabel"].value, int(r["goals"].value)) for r in per_body] == [("Employment Department", 3)]


def test_areas_without_goal_initiative_or_funding(tmp_path, library):
    store = fixture_store(tmp_path, """
    id:pol a pg:Policy ; pg:municipality id:org/m ; pg:hasFocusArea id:empty , id:with-goal , id:funded , id:zero , id:bearing .
    id:empty a pg:FocusArea .
    id:with-goal a pg:FocusArea ; pg:hasGoal id:goal . id:goal a pg:Goal .
    id:funded a pg:FocusArea ; pg:hasInitiative id:i-funded .
    id:zero a pg:FocusArea ; pg:hasInitiative id:i-zero .
    id:bearing a pg:Bearing .
    id:plan a pg:ActionPlan ; pg:municipality id:org/m ; pg:hasFocusArea id:under-bearing .
    id:under-bearing a pg:FocusArea ; pg:underBearing id:bearing ; pg:hasInitiative id:i-b .
    id:i-funded a pg:Initiative ; pg:hasBudgetAllocation [ pg:fiscalYear "2020"^^xsd:gYear ; schema:value 5 ; pg:unitMultiplier 1000 ] .
    id:i-zero a pg:Initiative ; pg:hasBudgetAllocation [ pg:fiscalYear "2020"^^xsd:gYear ; schema:value 0 ; pg:unitMultiplier 1000 ] .
    id:i-b a pg:Initiative ; pg:hasBudgetAllocation [ pg:fiscalYear "2020"^^xsd:gYear ; schema:value 7 ] .
    """)
    assert ids(run_named(store, library["areas-without-goal-or-initiative"]), "area") == {"empty"}
    assert ids(run_named(store, library["areas-without-funded-initiative"]), "area") == {"empty", "with-goal", "zero"}


def test_target_groups_without_initiative(tmp_path, library):
    store = fixture_store(tmp_path, """
    id:tg/a a pg:TargetGroup . id:tg/b a pg:TargetGroup . id:tg/c a pg:TargetGroup .
    id:tg/b-narrow a pg:TargetGroup ; skos:broader id:tg/b .
    id:pol a pg:Policy ; pg:municipality id:org/m ; dct:audience id:tg/a ; pg:hasFocusArea id:fa .
    id:fa a pg:FocusArea ; dct:audience id:tg/b , id:tg/c .
    id:plan a pg:ActionPlan ; pg:municipality id:org/m ; pg:hasInitiative id:i-here .
    id:i-here a pg:Initiative ; dct:audience id:tg/b-narrow .
    id:other a pg:ActionPlan ; pg:municipality id:org/m2 ; pg:hasInitiative id:i-there .
    id:i-there a pg:Initiative ; dct:audience id:tg/a .
    """)
    result = run_named(store, library["target-groups-without-initiative"])
    assert ids(result, "group") == {"tg/a", "tg/c"}   # tg/a only served in another municipality


def test_committees_without_action_plan(tmp_path, library):
    store = fixture_store(tmp_path, """
    id:org/m/c1 a pg:Committee ; org:unitOf id:org/m ; skos:prefLabel "Udvalg 1"@da .
    id:org/m/c2 a pg:Committee ; org:unitOf id:org/m .
    id:pol a pg:Policy ; pg:municipality id:org/m ; pg:hasGoal id:g1 , id:g2 .
    id:g1 a pg:Goal ; pg:responsibleBody id:org/m/c1 .
    id:g2 a pg:Goal ; pg:responsibleBody id:org/m/c2 .
    id:plan a pg:ActionPlan ; pg:municipality id:org/m ; pg:adoptedBy id:org/m/c2 .
    """)
    result = run_named(store, library["committees-without-action-plan"], {"municipality": "org/m"})
    assert ids(result, "committee") == {"org/m/c1"} and ids(result, "responsibleFor") == {"g1"}


def test_plans_expiring_without_successor(tmp_path, library):
    store = fixture_store(tmp_path, """
    id:p1 a pg:ActionPlan ; pg:municipality id:org/m ; pg:validUntil "2021"^^xsd:gYear .
    id:p2 a pg:ActionPlan ; pg:municipality id:org/m ; pg:validUntil "2020"^^xsd:gYear .
    id:p3 a pg:ActionPlan ; pg:municipality id:org/m ; dct:replaces id:p2 ; pg:validUntil "2024"^^xsd:gYear ;
        pg:status pg:Adopted ; pg:hasInitiative id:k .
    id:i a pg:Initiative ; pg:fundingUntil "2022"^^xsd:gYear .
    id:j a pg:Initiative ; pg:fundingUntil "2019"^^xsd:gYear .
    id:k a pg:Initiative ; pg:continues id:j .
    """)
    named = library["plans-expiring-without-successor"]
    result = run_named(store, named)                       # default 2022
    assert ids(result, "item") == {"p1", "i"}               # p2 and j have adopted successors (k by its plan)
    assert {r["ends"].value for r in result.rows if r["item"].value.endswith("/i")} == {"fundingUntil"}
    assert {r["judgement"].value for r in result.rows} == {"NoSuccessor"}
    assert all(r["successor"] is None and r["successorStatus"] is None for r in result.rows)
    assert ids(run_named(store, named, {"year": 2020}), "item") == set()
    assert ids(run_named(store, named, {"year": "2030"}), "item") == {"p1", "i", "p3"}


def test_an_expiring_plan_whose_successor_is_only_planned_is_listed_with_it(tmp_path, library):
    """The extremism plan that expired with 2021 has a successor that is only planned (issue 16): listed,
    with the successor and its status; one with an expired (so once adopted) successor is not."""
    store = fixture_store(tmp_path, """
    id:old a pg:ActionPlan ; pg:municipality id:org/m ; pg:validUntil "2021"^^xsd:gYear ; pg:status pg:Expired .
    id:new a pg:ActionPlan ; pg:municipality id:org/m ; pg:status pg:Planned ; dct:replaces id:old ;
        dct:title "Ny plan"@da , "New plan"@en .
    id:unknown a pg:ActionPlan ; pg:municipality id:org/m ; pg:validUntil "2020"^^xsd:gYear .
    id:unknown-successor a pg:ActionPlan ; pg:municipality id:org/m ; dct:replaces id:unknown .
    id:gone a pg:ActionPlan ; pg:municipality id:org/m ; pg:validUntil "2018"^^xsd:gYear .
    id:gone-successor a pg:ActionPlan ; pg:municipality id:org/m ; pg:validUntil "2020"^^xsd:gYear ;
        pg:status pg:Expired ; dct:replaces id:gone .
    """)
    rows = {r["item"].value.replace(ID, ""): r for r in run_named(store, library["plans-expiring-without-successor"],
                                                                  {"year": 2021}, "en").rows}
    assert set(rows) == {"old", "unknown", "gone-successor"}
    assert rows["old"]["judgement"].value == "SuccessorNotAdopted"
    assert rows["old"]["successor"].value == ID + "new" and rows["old"]["successorLabel"].value == "New plan"
    assert rows["old"]["successorStatus"].value == "https://w3id.org/policygraph/ontology#Planned"
    assert rows["unknown"]["judgement"].value == "SuccessorStatusUnknown" and rows["unknown"]["successorStatus"] is None
    assert rows["gone-successor"]["judgement"].value == "NoSuccessor"


def test_personas_without_initiative(tmp_path, library):
    store = fixture_store(tmp_path, """
    id:tg/x a pg:TargetGroup . id:tg/y a pg:TargetGroup . id:tg/y-narrow a pg:TargetGroup ; skos:broader id:tg/y .
    id:w a pg:Workshop ; pg:hasPersona id:w/alone , id:w/reached , id:w/unknown .
    id:w/alone a pg:Persona ; pg:memberOfTargetGroup id:tg/x .
    id:w/reached a pg:Persona ; pg:memberOfTargetGroup id:tg/y-narrow , id:tg/x .
    id:w/unknown a pg:Persona .
    id:plan a pg:ActionPlan ; pg:hasInitiative id:i . id:i a pg:Initiative ; dct:audience id:tg/y .
    """)
    result = run_named(store, library["personas-without-initiative"])
    judged = {r["persona"].value.replace(ID, ""): r for r in result.rows}
    assert [r["persona"].value.replace(ID, "") for r in result.rows] == ["w/alone", "w/unknown", "w/reached"]
    assert judged["w/alone"]["judgement"].value == "NotReached" and judged["w/alone"]["reachedBy"] is None
    assert judged["w/unknown"]["judgement"].value == "NoTargetGroupGiven" and judged["w/unknown"]["groups"] is None
    assert judged["w/reached"]["judgement"].value == "Reached"
    assert judged["w/reached"]["reachedBy"].value == ID + "i"   # through the broader group y
    assert set(judged["w/reached"]["groups"].value.split()) == {ID + "tg/y-narrow", ID + "tg/x"}
    assert all(r["workshop"].value == ID + "w" for r in result.rows)


def test_personas_of_the_example_workshop_cannot_be_judged(example_store, library):
    """The workshop's personas have no target group in the source (slide 4 names only family roles):
    the question says they cannot be judged, instead of answering nothing as if all were reached."""
    result = run_named(example_store, library["personas-without-initiative"], {}, "da")
    assert len(result.rows) == 5
    assert {r["judgement"].value for r in result.rows} == {"NoTargetGroupGiven"}


# ------------------------------------------------------------------------------------ overlaps and synergies
OVERLAP = """
    id:tg/g a pg:TargetGroup . id:tg/g-narrow a pg:TargetGroup ; skos:broader id:tg/g .
    id:theme/t a pg:Theme . id:theme/t-narrow a pg:Theme ; skos:broader id:theme/t . id:theme/other a pg:Theme .
    id:a a pg:ActionPlan ; pg:municipality id:org/m ; pg:validFrom "2019"^^xsd:gYear ; pg:validUntil "2022"^^xsd:gYear ;
        pg:hasInitiative id:ia , id:id .
    id:b a pg:ActionPlan ; pg:municipality id:org/m ; pg:hasInitiative id:ib , id:ie .
    id:c a pg:ActionPlan ; pg:municipality id:org/m ; pg:hasInitiative id:ic .
    id:f a pg:ActionPlan ; pg:municipality id:org/m2 ; pg:hasInitiative id:if .
    id:ia a pg:Initiative ; dct:audience id:tg/g ; dct:subject id:theme/t .
    id:ib a pg:Initiative ; dct:audience id:tg/g-narrow ; dct:subject id:theme/t-narrow ;
        pg:hasBudgetAllocation [ pg:fiscalYear "2021"^^xsd:gYear ; schema:value 1 ] .
    id:ic a pg:Initiative ; dct:audience id:tg/g ; dct:subject id:theme/t ;
        pg:hasBudgetAllocation [ pg:fiscalYear "2015"^^xsd:gYear ; schema:value 1 ] .
    id:id a pg:Initiative ; dct:audience id:tg/g ; dct:subject id:theme/t .
    id:ie a pg:Initiative ; dct:audience id:tg/g ; dct:subject id:theme/other .
    id:if a pg:Initiative ; dct:audience id:tg/g ; dct:subject id:theme/t .
"""


def test_overlapping_initiatives(tmp_path, library):
    store = fixture_store(tmp_path, OVERLAP)
    result = run_named(store, library["overlapping-initiatives"], {}, "da")
    pairs = {(r["initiative1"].value.replace(ID, ""), r["initiative2"].value.replace(ID, "")) for r in result.rows}
    # ia-ib: narrower group, narrower theme, overlapping periods -> found once.
    # id-ib likewise (id is in plan a as well). ia-id: same plan. ic: other period. ie: other theme. if: other municipality.
    assert pairs == {("ia", "ib"), ("ib", "id")}
    row = next(r for r in result.rows if r["initiative1"].value.endswith("/ia"))
    assert row["group"].value == ID + "tg/g" and row["theme"].value == ID + "theme/t"


COMPARE = """
    id:tg/g a pg:TargetGroup . id:tg/g-narrow a pg:TargetGroup ; skos:broader id:tg/g . id:tg/h a pg:TargetGroup .
    id:theme/t a pg:Theme . id:theme/t-narrow a pg:Theme ; skos:broader id:theme/t . id:theme/other a pg:Theme .
    id:a a pg:ActionPlan ; pg:municipality id:org/m ; pg:validFrom "2019"^^xsd:gYear ; pg:validUntil "2022"^^xsd:gYear ;
        pg:hasInitiative id:ma , id:mb , id:mc .
    id:ma a pg:Initiative ; dct:audience id:tg/g ; dct:subject id:theme/t .
    id:mb a pg:Initiative ; dct:audience id:tg/h ; dct:subject id:theme/t .
    id:mc a pg:Initiative ; dct:audience id:tg/g ; dct:subject id:theme/other .
    id:s a pg:Strategy ; pg:municipality id:org/m2 ; pg:validFrom "2016"^^xsd:gYear ; pg:validUntil "2018"^^xsd:gYear ;
        pg:hasFocusArea id:fa ; pg:hasInitiative id:n1 .
    id:fa a pg:FocusArea ; dct:audience id:tg/g-narrow ; dct:subject id:theme/t-narrow ; skos:prefLabel "Fokus"@da .
    id:n1 a pg:Initiative ; dct:audience id:tg/g ; dct:subject id:theme/t ;
        pg:hasBudgetAllocation [ pg:fiscalYear "2017"^^xsd:gYear ; schema:value 1 ] .
"""


def test_overlaps_between_municipalities(tmp_path, library):
    """Pairs across two municipalities, one side each: the same group or a narrower one, a shared theme or
    a narrower one; a focus area counts as the effort of a municipality that names no initiatives."""
    store = fixture_store(tmp_path, COMPARE)
    named = library["overlaps-between-municipalities"]
    result = run_named(store, named, {"municipality1": "org/m", "municipality2": "org/m2"}, "da")
    pairs = {(r["initiative1"].value.replace(ID, ""), r["initiative2"].value.replace(ID, "")): r for r in result.rows}
    # mb: another group; mc: another theme
    assert set(pairs) == {("ma", "fa"), ("ma", "n1")}
    focus = pairs[("ma", "fa")]
    assert focus["kind2"].value.endswith("#FocusArea") and focus["initiative2Label"].value == "Fokus"
    assert focus["sharedGroup"].value == ID + "tg/g" and focus["sharedTheme"].value == ID + "theme/t"
    assert focus["plan1"].value == ID + "a" and focus["plan2"].value == ID + "s"
    assert (focus["from1"].value, focus["to1"].value, focus["from2"].value, focus["to2"].value) == ("2019", "2022", "2016", "2018")
    assert (pairs[("ma", "n1")]["from2"].value, pairs[("ma", "n1")]["to2"].value) == ("2017", "2017")  # its budget year
    # the other way round, the sides swap
    swapped = run_named(store, named, {"municipality1": "org/m2", "municipality2": "org/m"}, "da")
    assert {(r["initiative1"].value.replace(ID, ""), r["initiative2"].value.replace(ID, "")) for r in swapped.rows} == {
        ("fa", "ma"), ("n1", "ma")}
    # a chosen theme or group must hold both sides
    narrow = {"municipality1": "org/m", "municipality2": "org/m2"}
    assert {r["initiative2"].value.replace(ID, "") for r in run_named(store, named, {**narrow, "theme": "theme/t"}).rows} == {"fa", "n1"}
    assert not run_named(store, named, {**narrow, "theme": "theme/t-narrow"}).rows   # ma is about t, broader
    assert {r["initiative2"].value.replace(ID, "") for r in run_named(store, named, {**narrow, "targetGroup": "tg/g"}).rows} == {"fa", "n1"}
    assert not run_named(store, named, {**narrow, "targetGroup": "tg/h"}).rows


def test_overlaps_between_municipalities_needs_both(tmp_path, library):
    store = fixture_store(tmp_path, COMPARE)
    with pytest.raises(QueryParameterError, match="needs the parameter 'municipality2'"):
        run_named(store, library["overlaps-between-municipalities"], {"municipality1": "org/m"})


def test_copenhagen_and_silkeborg_compared_on_employment_for_refugees(example_store, library):
    """The issue's example: Copenhagen's leisure-time jobs for newly arrived young refugees (seed 004) and
    Silkeborg's core area and focus points on jobs for newly arrived refugees (seed 002)."""
    rows = run_named(example_store, library["overlaps-between-municipalities"],
                     {"municipality1": "org/koebenhavn", "municipality2": "org/silkeborg",
                      "theme": "theme/beskaeftigelse", "targetGroup": "tg/flygtninge"}, "da").rows
    pairs = {(r["initiative1"].value.replace(ID + "doc/", ""), r["initiative2"].value.replace(ID + "doc/", "")) for r in rows}
    assert pairs == {("koebenhavn/integrationshandleplan-2019-22/fritidsjob", f"silkeborg/integrationsstrategi-2016-18/{part}")
                     for part in ("kerneomraade-2", "fokuspunkt-2-1", "fokuspunkt-2-2")}
    assert all(r["sharedGroup"].value == ID + "tg/nytilkomne-flygtninge" for r in rows)


def test_the_compare_question_offers_both_municipalities(example_store, library):
    named = library["overlaps-between-municipalities"]
    first, second = named.parameters[0], named.parameters[1]
    assert (first.name, second.name) == ("municipality1", "municipality2")
    assert first.required and second.required and first.type == second.type == "iri"
    assert first.cls == second.cls == ("https://w3id.org/policygraph/ontology#Municipality",)
    choices = parameter_choices(example_store, named, "da")
    assert ("org/koebenhavn", "Københavns Kommune") in choices["municipality1"]
    assert choices["municipality1"] == choices["municipality2"]
    assert ("theme/beskaeftigelse", "Beskæftigelse") in choices["theme"] and choices["targetGroup"]


def test_plan_synergies(tmp_path, library):
    store = fixture_store(tmp_path, OVERLAP + """
    id:x a pg:Policy ; pg:municipality id:org/m2 ; pg:coordinatesWith id:f .
    """)
    result = run_named(store, library["plan-synergies"])
    pairs = {(r["plan1"].value.replace(ID, ""), r["plan2"].value.replace(ID, "")): r for r in result.rows}
    # a and c share group g and theme t; b shares group g with both but only narrower/other themes
    # (shared themes count exact matches); x and f are coordinated across municipalities.
    assert set(pairs) == {("a", "c"), ("f", "x")}
    assert int(pairs[("a", "c")]["sharedGroups"].value) == 1 and int(pairs[("a", "c")]["sharedThemes"].value) == 1
    assert int(pairs[("f", "x")]["coordinated"].value) == 1 and int(pairs[("f", "x")]["strength"].value) == 3
    strengths = [int(r["strength"].value) for r in result.rows]
    assert strengths == sorted(strengths, reverse=True)


# ------------------------------------------------------------------------------------ consistency
def test_budget_totals_mismatch(tmp_path, library):
    store = fixture_store(tmp_path, """
    id:p a pg:ActionPlan ; pg:municipality id:org/m ; pg:hasInitiative id:l1 , id:l2 ;
       pg:hasStatedTotal [ pg:totalFor id:p ; pg:fiscalYear "2020"^^xsd:gYear ; schema:value 300 ; pg:unitMultiplier 1000 ] ,
                         [ pg:totalFor id:p ; pg:fiscalYear "2021"^^xsd:gYear ; schema:value 0.35 ; pg:unitMultiplier 1000000 ] ,
                         [ pg:totalFor id:p ; schema:value 99 ; pg:unitMultiplier 1000000 ] .
    id:l1 a pg:Initiative ; pg:hasBudgetAllocation [ pg:fiscalYear "2020"^^xsd:gYear ; schema:value 100 ; pg:unitMultiplier 1000 ] ,
                                                   [ pg:fiscalYear "2021"^^xsd:gYear ; schema:value 100 ; pg:unitMultiplier 1000 ] .
    id:l2 a pg:Initiative ; pg:hasBudgetAllocation [ pg:fiscalYear "2020"^^xsd:gYear ; schema:value 200 ; pg:unitMultiplier 1000 ] ,
                                                   [ pg:fiscalYear "2021"^^xsd:gYear ; schema:value 200 ; pg:unitMultiplier 1000 ] .
    """)
    result = run_named(store, library["budget-totals-mismatch"])
    assert [(r["year"].value, float(r["stated"].value), float(r["computed"].value), float(r["difference"].value))
            for r in result.rows] == [("2021", 350000.0, 300000.0, -50000.0)]
    assert len(run_named(store, library["budget-totals"]).rows) == 2   # the yearless total is not compared


def test_funding_outside_validity(tmp_path, library):
    store = fixture_store(tmp_path, """
    id:p a pg:ActionPlan ; pg:municipality id:org/m ; pg:validFrom "2019"^^xsd:gYear ; pg:validUntil "2020"^^xsd:gYear ;
       pg:hasInitiative id:i .
    id:i a pg:Initiative ; pg:hasBudgetAllocation [ pg:fiscalYear "2020"^^xsd:gYear ; schema:value 5 ] ,
                                                  [ pg:fiscalYear "2021"^^xsd:gYear ; schema:value 5 ] ,
                                                  [ pg:fiscalYear "2022"^^xsd:gYear ; schema:value 0 ] .
    """)
    result = run_named(store, library["funding-outside-validity"])
    assert [(r["line"].value.replace(ID, ""), r["year"].value) for r in result.rows] == [("i", "2021")]


def test_dangling_references(tmp_path, library):
    store = fixture_store(tmp_path, """
    id:p a pg:ActionPlan ; pg:hasInitiative id:i .
    id:i a pg:Initiative ; pg:supports id:goal/missing , id:goal/there ; dct:audience id:tg/nowhere .
    id:goal/there a pg:Goal .
    """)
    result = run_named(store, library["dangling-references"])
    assert {(r["subject"].value.replace(ID, ""), r["object"].value.replace(ID, "")) for r in result.rows} == {
        ("i", "goal/missing"), ("i", "tg/nowhere")}
    assert all(r["graph"].value.endswith("fixture.ttl") for r in result.rows)


def test_dangling_references_of_one_municipality(tmp_path, library):
    store = fixture_store(tmp_path, """
    id:org/town a pg:Municipality . id:org/other a pg:Municipality .
    id:p a pg:ActionPlan ; pg:municipality id:org/town ; pg:hasInitiative id:i .
    id:i a pg:Initiative ; pg:supports id:goal/missing ; dct:audience id:tg/nowhere .
    id:q a pg:ActionPlan ; pg:municipality id:org/other ; pg:coordinatesWith id:doc/gone .
    """)
    found = lambda m: {(r["subject"].value.replace(ID, ""), r["object"].value.replace(ID, ""))  # noqa: E731
                       for r in run_named(store, library["dangling-references"], {"municipality": m}).rows}
    assert found("org/town") == {("i", "goal/missing"), ("i", "tg/nowhere")}
    assert found("org/other") == {("q", "doc/gone")}
    assert len(run_named(store, library["dangling-references"]).rows) == 3


def test_the_library_is_parsed_once_and_again_when_a_file_changes(tmp_path, monkeypatch):
    """Pages ask for the library on every request; parsing it took ~100 ms, so it is kept until a
    .rq file is added, removed or changed."""
    import os
    import shutil

    import graph.questions.library as lib

    for path in sorted(lib.QUERY_DIR.glob("*.rq"))[:2]:
        shutil.copy(path, tmp_path / path.name)
    monkeypatch.setattr(lib, "QUERY_DIR", tmp_path)
    parsed = []
    real = lib.load_library
    monkeypatch.setattr(lib, "load_library", lambda: parsed.append(1) or real(tmp_path))
    first = lib.library()
    assert lib.library() == first and len(parsed) == 1
    lib.library()["changed"] = None          # a caller's change stays its own
    assert "changed" not in lib.library() and len(parsed) == 1
    changed = sorted(tmp_path.glob("*.rq"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    os.utime(changed, ns=(1, 1))
    assert lib.library().keys() == first.keys() and len(parsed) == 2
