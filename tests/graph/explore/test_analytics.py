"""Graph analytics on small graphs built here, and on the real example graph."""
from __future__ import annotations

from pathlib import Path

import pytest

from graph.explore import analytics as A

ROOT = Path(__file__).resolve().parents[3]
ID = "https://w3id.org/policygraph/id/"

PREFIXES = """
@prefix pg: <https://w3id.org/policygraph/ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix : <https://w3id.org/policygraph/id/> .
@prefix tg: <https://w3id.org/policygraph/id/tg/> .
@prefix theme: <https://w3id.org/policygraph/id/theme/> .
@prefix plan: <https://w3id.org/policygraph/id/plan/> .
@prefix ini: <https://w3id.org/policygraph/id/ini/> .
"""

# Two halves joined by one initiative (ini/bridge) that serves a group of each half; plan/e stands alone.
SMALL = PREFIXES + """
tg:unge a pg:TargetGroup ; skos:prefLabel "Unge"@da , "Young people"@en .
tg:unge-ledige a pg:TargetGroup ; skos:prefLabel "Unge ledige"@da ; skos:broader tg:unge .
tg:kvinder a pg:TargetGroup ; skos:prefLabel "Kvinder"@da , "Women"@en .
tg:aeldre a pg:TargetGroup ; skos:prefLabel "Ældre"@da .
theme:job a pg:Theme ; skos:prefLabel "Beskæftigelse"@da , "Employment"@en .

plan:a a pg:ActionPlan ; dct:title "Handleplan A"@da , "Action plan A"@en ; pg:implements plan:b ;
    dct:description "Flere unge ledige skal i job og uddannelse gennem virksomhedsrettede forløb."@da ;
    pg:hasInitiative ini:a1 , ini:a2 , ini:bridge .
plan:b a pg:Policy ; dct:title "Politik B"@da ;
    dct:description "Unge ledige skal have job og uddannelse; virksomhedsrettede forløb."@da .
plan:c a pg:ActionPlan ; dct:title "Handleplan C"@da ; pg:coordinatesWith plan:d ;
    dct:description "Kvinder uden for arbejdsmarkedet får sundhedsforløb."@da ;
    pg:hasInitiative ini:c1 , ini:c2 .
plan:d a pg:Plan ; dct:title "Plan D"@da ; dct:audience tg:kvinder .
plan:e a pg:Plan ; dct:title "Plan E"@da ; dct:audience tg:aeldre ;
    dct:description "Ældre borgere får besøg af frivillige."@da .

ini:a1 a pg:Initiative ; skos:prefLabel "A1"@da ; dct:audience tg:unge ; dct:subject theme:job .
ini:a2 a pg:Initiative ; skos:prefLabel "A2"@da ; dct:audience tg:unge-ledige .
ini:bridge a pg:Initiative ; skos:prefLabel "Broen"@da , "The bridge"@en ; dct:audience tg:unge , tg:kvinder .
ini:c1 a pg:Initiative ; skos:prefLabel "C1"@da ; dct:audience tg:kvinder .
ini:c2 a pg:Initiative ; skos:prefLabel "C2"@da ; dct:audience tg:kvinder .
"""


@pytest.fixture
def small(store_from_turtle):
    return store_from_turtle(SMALL)


def test_the_bridging_initiative_and_target_group_are_found(small):
    data = A.read_graph(small, "en")
    initiatives = A.bridging_initiatives(data)
    assert initiatives[0]["id"] == "ini/bridge" and initiatives[0]["label"] == "The bridge"
    groups = A.bridging_target_groups(data)
    assert {g["id"] for g in groups[:2]} == {"tg/unge", "tg/kvinder"}


def test_broader_target_groups_link_initiatives_at_half_weight(small):
    graph = A.initiative_network(A.read_graph(small))
    edge = graph.edges[ID + "ini/a1", ID + "ini/a2"]
    assert edge["related_groups"] == [(ID + "tg/unge", ID + "tg/unge-ledige")]
    assert edge["weight"] == 0.5


def test_an_isolated_plan_is_reported(small):
    data = A.read_graph(small)
    isolated = A.isolated_components(data)
    ids = [[m["id"] for m in c["members"]] for c in isolated]
    assert ["plan/e"] in ids
    assert not any("plan/a" in c for c in ids), "the largest group (plan/a, plan/b) is not reported"
    assert A.isolated_components(data) == isolated


def test_clusters_are_deterministic_and_split_the_halves(small):
    data = A.read_graph(small)
    clusters = A.plan_clusters(data)
    members = [{m["id"] for m in c["members"]} for c in clusters]
    assert {"plan/a", "plan/b"} in members or any({"plan/a", "plan/b"} <= m for m in members)
    assert not any({"plan/a", "plan/c"} <= m for m in members)
    assert A.plan_clusters(data) == clusters


def test_the_path_is_the_shortest_and_explained(small):
    data = A.read_graph(small, "en")
    steps = A.explained_path(data, "plan/b", "plan/d")
    # plan/b <-implements- plan/a -has initiative... : the shortest route goes through the bridge's group
    assert len(steps) == min(len(steps), 5)
    assert steps[0].source == "plan/b" and steps[-1].target == "plan/d"
    for before, after in zip(steps, steps[1:]):
        assert before.target == after.source
    assert steps[0].relation_label == "implements" and steps[0].forward is False
    text = A.format_path(steps)
    assert text.startswith("Politik B <--implements-- Action plan A")
    import networkx as nx
    assert len(steps) == nx.shortest_path_length(A.explained_graph(data), ID + "plan/b", ID + "plan/d")


def test_an_unknown_resource_suggests_a_near_id(small):
    data = A.read_graph(small)
    with pytest.raises(A.AnalyticsError, match="did you mean 'plan/b'"):
        A.explained_path(data, "plan/bb", "plan/d")
    assert A.explained_path(data, ID + "plan/a", "id:plan/b")[0].relation == "pg:implements"


def test_similarity_ranks_a_pair_sharing_groups_above_one_that_does_not(small):
    rows = A.plan_similarity(A.read_graph(small))
    score = {(r["a"], r["b"]): r["score"] for r in rows}
    assert score[("plan/c", "plan/d")] > score.get(("plan/d", "plan/e"), 0.0)
    assert ("plan/a", "plan/e") not in score


def test_suggestions_are_marked_and_never_stored(small):
    before = sorted(map(str, small.quads()))
    data = A.read_graph(small)
    suggestions = A.suggest_links(data, threshold=0.0)
    assert suggestions and all(s.kind == "suggested" and s.reasons for s in suggestions)
    pairs = {(s.a, s.b) for s in suggestions}
    assert ("plan/a", "plan/b") not in pairs, "a stated link is not suggested again"
    assert ("plan/c", "plan/d") not in pairs
    assert sorted(map(str, small.quads())) == before
    assert not any("suggested" in g for g in small.graphs())


def test_danish_stemming_joins_inflections():
    assert A.danish_tokens("ledige") == A.danish_tokens("ledig")
    assert "og" not in A.danish_tokens("unge og ledige")


def test_analyse_is_json_ready_and_deterministic(small):
    import json

    first = A.analyse(small, "en")
    assert json.loads(json.dumps(first)) == first
    assert A.analyse(small, "en") == first


# ------------------------------------------------------------------------------ the example graph

@pytest.fixture
def example(example_store):
    return example_store


def test_racism_action_plan_and_lgbti_policy_are_linked(example):
    data = A.read_graph(example, "en")
    graph = A.document_network(data)
    racism, lgbti = ID + "doc/koebenhavn/handleplan-racisme-og-diskrimination", ID + "doc/koebenhavn/lgbti-politik-2019-23"
    assert "coordinates with" in graph.edges[racism, lgbti]["relations"]
    steps = A.explained_path(data, "doc/koebenhavn/handleplan-racisme-og-diskrimination", "doc/koebenhavn/lgbti-politik-2019-23")
    assert len(steps) == 1 and steps[0].relation == "pg:coordinatesWith"
    clusters = A.plan_clusters(A.read_graph(example, "en", ID + "org/koebenhavn"))
    assert any({"doc/koebenhavn/handleplan-racisme-og-diskrimination", "doc/koebenhavn/lgbti-politik-2019-23"}
               <= {m["id"] for m in c["members"]} for c in clusters)


def test_example_findings_in_danish(example):
    found = A.analyse(example, "da", ID + "org/koebenhavn", top=5)
    assert found["bridging_target_groups"][0]["label"] == "Unge"
    assert found["bridging_initiatives"]
    assert all(s["kind"] == "suggested" for s in found["suggested_links"])


def test_cli_analyse_and_path(tmp_path):
    from click.testing import CliRunner

    from web.cli import main

    runner = CliRunner()
    store = str(tmp_path / "store")
    path = tmp_path / "small.ttl"
    path.write_text(SMALL, encoding="utf-8")
    assert runner.invoke(main, ["--store", store, "load", "--no-validate", str(path)]).exit_code == 0
    result = runner.invoke(main, ["--store", store, "analyse", "--format", "json"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["--store", store, "--lang", "en", "path", "plan/a", "plan/b"])
    assert result.exit_code == 0 and "Action plan A --implements--> Politik B" in result.output
    result = runner.invoke(main, ["--store", store, "path", "plan/x", "plan/b"])
    assert result.exit_code != 0 and "did you mean" in result.output
