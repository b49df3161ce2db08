"""Questions with and without workshop decisions: the dataset that leaves them out, and whether an
answer rests on them."""
from __future__ import annotations

from graph.questions.library import library, run_named, workshop_use
from graph.questions.workshop_scope import decided_pairs, only_workshops, without_workshops
from graph.workshop.writeback import is_workshop_graph

T = "https://w3id.org/policygraph/id/t/"


def pairs(result) -> set[tuple[str, str]]:
    return {(row["plan1"].value, row["plan2"].value) for row in result.rows}


def test_without_workshop_graphs_nothing_changes(store_from_turtle):
    from small_graph import GOOD
    store = store_from_turtle(GOOD)
    assert without_workshops(store) is None and only_workshops(store) is None and decided_pairs(store) == set()
    named = library()["plan-synergies"]
    result = run_named(store, named)
    assert workshop_use(store, named, {}, "en", result, False).as_json() == {"left_out": False, "in_answer": False}


def test_the_dataset_leaves_out_only_workshop_graphs(workshop_store):
    dataset = without_workshops(workshop_store)
    assert dataset.default_graphs and not any(is_workshop_graph(g) for g in dataset.default_graphs)
    assert set(dataset.default_graphs) | set(only_workshops(workshop_store).default_graphs) == set(workshop_store.graphs())


def test_a_workshop_synergy_counts_as_coordination_and_can_be_left_out(workshop_store):
    named = library()["plan-synergies"]
    with_them = run_named(workshop_store, named)
    without = run_named(workshop_store, named, without_workshops=True)
    assert (T + "plan", T + "plan2") in pairs(with_them)
    row = next(r for r in with_them.rows if r["plan2"].value == T + "plan2")
    assert row["links"].value == "synergyWith" and row["strength"].value == "3"
    assert (T + "plan", T + "plan2") not in pairs(without)
    assert workshop_use(workshop_store, named, {}, "en", with_them, False).in_answer
    assert workshop_use(workshop_store, named, {}, "en", without, True).as_json() == {"left_out": True, "in_answer": False}


def test_an_answer_the_workshop_does_not_touch_is_not_marked(workshop_store):
    named = library()["goals-without-initiative"]
    result = run_named(workshop_store, named)
    assert not workshop_use(workshop_store, named, {}, "en", result, False).in_answer


def test_decided_pairs_are_the_linked_resources(workshop_store):
    assert decided_pairs(workshop_store) == {frozenset((T + "plan", T + "plan2"))}
