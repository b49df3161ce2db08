"""The network the web app draws: scoping by filters, neighbourhoods, the node cap and its notice,
findings that degrade instead of failing, and how web/drawing.py draws it (shapes and colours by
class, plain-text tooltips, bounded stabilisation)."""
from __future__ import annotations

import pytest

import graph.explore.network as nv
from graph.store import StoreError
from graph.explore.network import CATEGORIES, Filters, NetworkError, build_network, category_of, filter_choices
from web.drawing import CATEGORY_STYLES, DOCUMENT_CATEGORIES, network_drawing

ID = "https://w3id.org/policygraph/id/"
PG = "https://w3id.org/policygraph/ontology#"
PLAN = ID + "doc/koebenhavn/integrationshandleplan-2019-22"
KBH = ID + "org/koebenhavn"

SMALL = """
@prefix pg: <https://w3id.org/policygraph/ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@base <https://w3id.org/policygraph/id/> .
<org/m> a pg:Municipality ; skos:prefLabel "M"@da .
<doc/a> a pg:Policy ; dct:title "<script>alert(1)</script>"@da ; pg:municipality <org/m> ;
  pg:validFrom "2019"^^xsd:gYear ; pg:validUntil "2022"^^xsd:gYear ; pg:hasInitiative <doc/a/i> .
<doc/b> a pg:ActionPlan ; dct:title "B"@da ; pg:municipality <org/m> ; pg:implements <doc/a> ;
  pg:validFrom "2023"^^xsd:gYear .
<doc/a/i> a pg:Initiative ; skos:prefLabel "I"@da ; dct:audience <tg/x> .
<tg/x> a pg:TargetGroup ; skos:prefLabel "X"@da .
"""


@pytest.fixture
def small(store_from_turtle):
    return store_from_turtle(SMALL)


WORDS = {"overlap": "overlap", "synergy": "synergy", "gap": "gap", "links": "links", "policy": "policy",
         "actionplan": "action plan"}


def drawn(view, focus=None) -> dict:
    return network_drawing(view, WORDS, focus)


def test_every_category_has_its_own_shape_or_its_kind_in_words_so_colour_is_not_the_only_cue(small):
    """Documents share the box and write their kind under the title; every other kind has a shape."""
    assert set(CATEGORY_STYLES) == set(CATEGORIES)
    shapes = [(shape, dashed) for c, (shape, _, _, dashed) in CATEGORY_STYLES.items()
              if c not in DOCUMENT_CATEGORIES + ("other",)]
    assert len(set(shapes)) == len(shapes) and ("box", False) not in shapes
    labels = {n["id"]: n["label"] for n in drawn(build_network(small, "en", Filters(findings=False)))["nodes"]}
    assert labels[ID + "doc/b"] == "B\n(action plan)"
    assert category_of({PG + "ActionPlan"}) == "actionplan" and category_of(set()) == "other"


def test_the_graph_layer_hands_plain_data_without_looks(small):
    view = build_network(small, "en", Filters(findings=False))
    node = view.nodes[0]
    assert {"id", "label", "category", "findings", "short", "plan"} == set(vars(node))
    assert not any(k in vars(view) for k in ("options", "edges"))


def test_plans_view_links_documents_by_stated_relations(small):
    view = drawn(build_network(small, "en", Filters(findings=False)))
    ids = {n["id"] for n in view["nodes"]}
    assert ids == {ID + "doc/a", ID + "doc/b"}
    assert view["edges"][0]["from"] == ID + "doc/b" and view["edges"][0]["label"] == "implements"


def test_labels_and_tooltips_are_plain_strings_never_markup_built_here(small):
    view = drawn(build_network(small, "en", Filters(findings=False)))
    node = next(n for n in view["nodes"] if n["id"] == ID + "doc/a")
    assert node["label"] == "<script>alert(1)</script>\n(policy)"  # drawn on canvas, escaped in the page by tojson
    assert node["title"].startswith("<script>") and "<br" not in node["title"]


def test_whole_graph_filters_by_year_and_document_type(small):
    everything = build_network(small, "da", Filters(view="all", findings=False))
    assert ID + "tg/x" in {n.id for n in everything.nodes}
    in_2020 = build_network(small, "da", Filters(view="all", year=2020, findings=False))
    assert {ID + "doc/a", ID + "doc/a/i", ID + "tg/x"} <= {n.id for n in in_2020.nodes}
    assert ID + "doc/b" not in {n.id for n in in_2020.nodes}
    plans = build_network(small, "da", Filters(view="all", doctype="ActionPlan", findings=False))
    assert ID + "doc/a/i" not in {n.id for n in plans.nodes}


def test_neighbourhood_of_a_resource_by_hops(example_store):
    one = build_network(example_store, "da", Filters(focus=PLAN, hops=1, findings=False))
    two = build_network(example_store, "da", Filters(focus=PLAN, hops=2, findings=False))
    assert PLAN in {n.id for n in one.nodes} and len(two.nodes) > len(one.nodes)
    with pytest.raises(NetworkError):
        build_network(example_store, "da", Filters(focus=PLAN, hops=4))


def test_node_cap_keeps_documents_first_and_says_what_was_cut(example_store):
    view = build_network(example_store, "da", Filters(view="all", cap=30, findings=False))
    assert len(view.nodes) == 30 and view.cut_nodes == view.total_nodes - 30 > 0
    assert sum(view.cut_by_category.values()) == view.cut_nodes and view.cut_edges > 0
    assert all(n.category in ("policy", "strategy", "actionplan", "plan") for n in view.nodes)


def test_the_layout_is_given_as_positions_without_physics_or_a_layout_of_vis_networks_own(example_store):
    view = drawn(build_network(example_store, "da", Filters(findings=False)))
    assert not view["options"]["physics"]["enabled"] and not view["options"]["layout"]["hierarchical"]["enabled"]
    assert all(isinstance(n["x"], (int, float)) and isinstance(n["y"], (int, float)) for n in view["nodes"])
    assert len({(n["x"], n["y"]) for n in view["nodes"]}) == len(view["nodes"])  # no two on one spot


def test_a_plans_parts_and_the_target_groups_it_serves_are_drawn_with_it(small):
    view = build_network(small, "en", Filters(view="all", findings=False))
    plan = {n.id.rsplit("/id/", 1)[1]: n.plan.rsplit("/id/", 1)[1] for n in view.nodes if n.plan}
    assert plan["doc/a/i"] == "doc/a" and plan["tg/x"] == "doc/a" and plan["doc/a"] == "doc/a"


def test_findings_mark_overlaps_gaps_and_add_synergy_links(example_store):
    view = drawn(build_network(example_store, "en", Filters(view="all", municipality=KBH)))
    overlapping = [n for n in view["nodes"] if "overlap" in n["findings"]]
    assert overlapping and overlapping[0]["label"].endswith("[overlap]") and overlapping[0]["borderWidth"] == 5
    assert any(e.get("finding") == "synergy" for e in view["edges"])
    assert view["findings"]["overlap"] and not view["findings_error"]


def test_findings_failure_degrades_to_a_plain_network(example_store, monkeypatch):
    def broken(*args, **kwargs):
        raise StoreError("engine down")
    monkeypatch.setattr("graph.questions.kept.run_named", broken)
    nv.clear_findings_cache()
    view = build_network(example_store, "en", Filters())
    assert view.nodes and view.findings == {} and "engine down" in view.findings_error


def test_a_bug_in_the_findings_is_not_hidden(example_store, monkeypatch):
    """Only what can really happen (the store fails, a filter the question refuses) degrades to a
    plain network; a bug surfaces, to be logged by the web app's error handler."""
    monkeypatch.setattr("graph.questions.kept.run_named", lambda *a, **k: {}["no such key"])
    nv.clear_findings_cache()
    with pytest.raises(KeyError):
        build_network(example_store, "en", Filters())
    nv.clear_findings_cache()


def test_findings_that_take_too_long_are_skipped(example_store, monkeypatch):
    import time

    def slow(*args, **kwargs):
        time.sleep(0.5)
        raise RuntimeError("late")
    monkeypatch.setattr("graph.questions.kept.run_named", slow)
    nv.clear_findings_cache()
    found, error = nv.findings(example_store, "da", ID + "org/silkeborg", timeout=0.05)
    assert found == {} and error == "timeout"
    time.sleep(0.6)  # the one run ends (failing); nothing is cached from a failure
    assert ("findings", example_store, "da", ID + "org/silkeborg") not in nv._CACHE


def test_findings_are_computed_once_and_reused(example_store, monkeypatch):
    nv.clear_findings_cache()
    first, _ = nv.findings(example_store, "en", ID + "org/koebenhavn")
    monkeypatch.setattr("graph.questions.kept.run_named", lambda *a, **k: 1 / 0)
    again, error = nv.findings(example_store, "en", ID + "org/koebenhavn")
    assert again == first and not error
    nv.clear_findings_cache()


def test_filter_choices_are_labelled_and_sorted(example_store):
    choices = filter_choices(example_store, "da")
    assert (KBH, "Københavns Kommune") in choices["municipality"]
    assert choices["committee"] and choices["theme"] and choices["target_group"]


def test_a_link_only_a_workshop_decided_is_marked_and_can_be_left_out(workshop_store):
    t = "https://w3id.org/policygraph/id/t/"
    nv.clear_findings_cache()
    decided = [link for link in build_network(workshop_store, "en", Filters(findings=False)).links if link.workshop]
    assert [(link.source, link.target, link.label) for link in decided] == [(t + "plan", t + "plan2", "has synergy with")]
    left_out = build_network(workshop_store, "en", Filters(findings=False, workshops=False)).links
    assert not any(link.workshop or link.label == "has synergy with" for link in left_out)


def test_links_are_summarised_once_per_pair_in_order_with_kinds_counted():
    links = [nv.Link("a", "b", "implements"), nv.Link("c", "a", "replaces"), nv.Link("b", "a", "implements"),
             nv.Link("a", "b", "relates to"), nv.Link("a", "b", "", "synergy", "0.5"),
             nv.Link("a", "b", "implements", workshop=True)]
    summary = nv.summarise_links(links)
    assert [(s.source, s.target, s.count) for s in summary] == [("a", "b", 3), ("c", "a", 1), ("a", "b", 1),
                                                                ("a", "b", 1)]
    assert summary[0].kinds == [("implements", 2), ("relates to", 1)] and summary[0].both_ways
    assert not summary[1].both_ways and summary[2].finding == "synergy" and summary[2].strength == "0.5"
    assert summary[3].workshop and not summary[0].workshop
    assert nv.summarise_links(list(reversed(links)))[0].count == 1  # the workshop link first, then the rest


# ------------------------------------------------------------------------------ one municipality, read from it outwards
def _read_as_the_whole_country(store, monkeypatch):
    """The reader before: the whole country's network, then the municipality's share of it."""
    from graph.explore.analytics import only_municipality

    def whole(store_, lang, municipality, dataset, reach):
        national = nv.read_network_data(store_, lang, None, (), dataset is None)
        return only_municipality(store_, national, municipality)

    monkeypatch.setattr(nv, "_municipality_data", whole)


def _shape(view):
    return (sorted((n.id, n.label, n.category, tuple(n.findings)) for n in view.nodes),
            sorted((link.source, link.target, link.label, link.finding, link.workshop) for link in view.links),
            view.total_nodes, view.total_edges)


@pytest.mark.parametrize("municipality", [KBH, "https://w3id.org/policygraph/id/org/silkeborg"])
@pytest.mark.parametrize("filters", [{}, {"view": "all", "theme": "https://w3id.org/policygraph/id/theme/beskaeftigelse"},
                                     {"view": "all", "focus": PLAN, "hops": 2}, {"view": "all", "year": 2020},
                                     {"workshops": False}])
def test_one_municipality_read_from_it_outwards_draws_what_the_whole_country_read_drew(
        example_store, monkeypatch, municipality, filters):
    if "focus" in filters and municipality != KBH:
        pytest.skip("the focus is a Copenhagen plan")
    asked = Filters(municipality=municipality, findings=False, **filters)
    new = build_network(example_store, "da", asked)
    with monkeypatch.context() as patched:
        _read_as_the_whole_country(example_store, patched)
        old = build_network(example_store, "da", asked)
    assert _shape(new) == _shape(old) and (new.nodes or "year" in filters)


def test_the_whole_municipality_leaves_out_resources_two_links_away(example_store, monkeypatch):
    """view=all about one municipality: its documents, their parts and what is at most two links from
    them; the country-wide read also drew resources of no document further away (other municipalities'
    bodies and the links among them), now left out."""
    asked = Filters(municipality=KBH, view="all", findings=False, cap=100_000)
    new = build_network(example_store, "da", asked)
    with monkeypatch.context() as patched:
        _read_as_the_whole_country(example_store, patched)
        old = build_network(example_store, "da", asked)
    new_nodes, old_nodes = {n.id for n in new.nodes}, {n.id for n in old.nodes}
    assert new_nodes < old_nodes and len(new_nodes) > 50
    with monkeypatch.context() as patched:   # what was left out is more than two links from Copenhagen's plans
        _read_as_the_whole_country(example_store, patched)
        for far in old_nodes - new_nodes:
            reached = build_network(example_store, "da", Filters(municipality=KBH, view="all", findings=False,
                                                                 focus=far, hops=2))
            assert not any(n.id.startswith(ID + "doc/koebenhavn/") for n in reached.nodes)
