"""A workshop's accepted decisions in its own named graph: the statements with their provenance,
deterministic, replaced whole in one transaction, valid under the shapes, and kept by a reload."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph.pipeline.load import check_store, load_into_store
from graph.pipeline.validation import violations
from graph.store import OxigraphStore
from graph.workshop.writeback import (AcceptedFocusArea, AcceptedLink, AcceptedMembership, CrossImpact, Person,
                                      WorkshopRecord, is_workshop_graph, workshop_graph, workshop_quads, write_back)
from ontology import PG, PROV, RDF, file_graph
from small_graph import GOOD, SECOND_PLAN

T = "https://w3id.org/policygraph/id/t/"
ANNA = Person("p1", "Anna", T + "udvalg")
SOMEONE = Person("p2", None, None)
MONDAY = 1_700_000_000.25  # 2023-11-14T22:13:20.250Z


def record(**changes) -> WorkshopRecord:
    base = dict(
        id="ws-1", iri=None, title="Koordinering af ungeindsatser", date="2024-03-05", municipality=T + "kommune",
        facilitator="Fie Facilitator", participants=(ANNA, SOMEONE),
        links=(AcceptedLink("prop-1", T + "plan", T + "plan2", "synergy", "Samme unge", ANNA, (SOMEONE,),
                            MONDAY, MONDAY + 60),),
        memberships=(AcceptedMembership("prop-2", T + "persona", T + "tg-unge", SOMEONE, MONDAY, MONDAY + 120),),
        focus_areas=(AcceptedFocusArea("prop-3", T + "plan", T + "persona", "Sprog i familien", ANNA,
                                       MONDAY, MONDAY + 180),),
        impacts=(CrossImpact(T + "maal", T + "maal2", (2, 3, 1, 2), MONDAY + 240),),
    )
    base.update(changes)
    return WorkshopRecord(**base)


def triples(quads) -> set[tuple[str, str, str]]:
    return {(q.subject.value, q.predicate.value, q.object.value) for q in quads}


def test_the_accepted_statements_are_in_the_workshop_graph():
    quads = workshop_quads(record())
    assert {q.graph_name.value for q in quads} == {workshop_graph("ws-1")}
    found = triples(quads)
    assert (T + "plan", PG + "synergyWith", T + "plan2") in found
    assert (T + "persona", PG + "memberOfTargetGroup", T + "tg-unge") in found


def test_each_decision_names_its_statement_and_provenance():
    found = triples(workshop_quads(record()))
    decision = next(s for s, p, o in found if p == RDF + "subject" and o == T + "plan")
    about = {(p, o) for s, p, o in found if s == decision}
    assert (RDF + "type", PG + "WorkshopDecision") in about
    assert (RDF + "predicate", PG + "synergyWith") in about and (RDF + "object", T + "plan2") in about
    assert (PG + "rationale", "Samme unge") in about
    proposer = next(o for p, o in about if p == PROV + "wasAttributedTo")
    assert (proposer, "http://xmlns.com/foaf/0.1/name", "Anna") in found
    assert (proposer, PROV + "actedOnBehalfOf", T + "udvalg") in found
    supporter = next(o for p, o in about if p == PG + "supportedBy")
    assert {o for s, p, o in found if s == supporter and p.endswith("label")} == {"anonym deltager", "anonymous participant"}
    workshop = next(o for p, o in about if p == PROV + "wasGeneratedBy")
    assert (workshop, RDF + "type", PG + "Workshop") in found
    facilitator = next(o for p, o in about if p == PG + "acceptedBy")
    assert (workshop, PG + "facilitatedBy", facilitator) in found


def test_times_are_utc_date_times():
    quads = workshop_quads(record())
    times = {q.predicate.value: q.object for q in quads
             if q.predicate.value in (PROV + "generatedAtTime", PG + "proposedAtTime") and "decision/prop-1" in q.subject.value}
    assert times[PG + "proposedAtTime"].value == "2023-11-14T22:13:20.250Z"
    assert times[PROV + "generatedAtTime"].value == "2023-11-14T22:14:20.250Z"
    assert times[PROV + "generatedAtTime"].datatype.value.endswith("#dateTime")


def test_cross_impact_summarises_the_scores():
    found = {p: o for s, p, o in triples(workshop_quads(record())) if "cross-impact" in s}
    assert found[PG + "influencingGoal"] == T + "maal" and found[PG + "influencedGoal"] == T + "maal2"
    assert (found[PG + "meanScore"], found[PG + "scoreSpread"]) == ("2.000", "0.707")
    assert (found[PG + "minScore"], found[PG + "maxScore"], found[PG + "scoreCount"]) == ("1", "3", "4")


def test_texts_people_typed_carry_no_language_tag():
    quads = workshop_quads(record())
    typed = [q.object for q in quads if isinstance(q.object, ox.Literal) and q.object.value in
             ("Sprog i familien", "Samme unge", "Koordinering af ungeindsatser", "Anna", "Fie Facilitator")]
    assert len(typed) == 5 and all(literal.language is None for literal in typed)


def test_quads_are_deterministic():
    assert workshop_quads(record()) == workshop_quads(record())


def test_an_existing_workshop_is_not_described_again():
    seed = T + "seed-workshop"
    found = triples(workshop_quads(record(iri=seed)))
    assert (seed, RDF + "type", PG + "Workshop") not in found
    assert any(s == seed and p == PG + "facilitatedBy" for s, p, o in found)
    assert all(not s.startswith(seed) or p != RDF + "type" or o != PG + "Workshop" for s, p, o in found)


def test_an_unknown_relation_or_score_is_refused():
    link = record().links[0]
    with pytest.raises(ValueError):
        workshop_quads(record(links=(AcceptedLink(**{**link.__dict__, "relation": "friendship"}),)))
    with pytest.raises(ValueError):
        workshop_quads(record(impacts=(CrossImpact(T + "maal", T + "maal2", (4,), MONDAY),)))


def test_workshop_graphs_are_not_file_graphs():
    assert is_workshop_graph(workshop_graph("ws-1"))
    assert not is_workshop_graph(file_graph("workshop/ws-1"))
    assert workshop_graph("a/b") != workshop_graph("a-b")


def loaded_store(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "plans.ttl").write_text(GOOD + SECOND_PLAN, encoding="utf-8")
    store = OxigraphStore(tmp_path / "store")
    load_into_store(store, [data])
    return store, data


def test_writing_twice_gives_the_same_graph_and_a_smaller_record_replaces_it(tmp_path):
    store, _ = loaded_store(tmp_path)
    count = write_back(store, record())
    first = sorted(map(str, store.quads(workshop_graph("ws-1"))))
    assert count == len(first) == len(workshop_quads(record()))
    write_back(store, record())
    assert sorted(map(str, store.quads(workshop_graph("ws-1")))) == first
    write_back(store, record(links=()))
    assert (T + "plan", PG + "synergyWith", T + "plan2") not in triples(store.quads(workshop_graph("ws-1")))


def test_a_failed_write_leaves_the_store_as_it_was(tmp_path, monkeypatch):
    store, _ = loaded_store(tmp_path)
    write_back(store, record(links=()))
    before = sorted(map(str, store.quads()))
    original = store.replace_graphs

    def write_then_fail(contents, then=()):
        original(contents, then)
        raise RuntimeError("disk vanished")

    monkeypatch.setattr(store, "replace_graphs", write_then_fail)
    with pytest.raises(RuntimeError):
        write_back(store, record())
    assert sorted(map(str, store.quads())) == before


def test_the_written_graph_passes_the_shapes(tmp_path):
    store, _ = loaded_store(tmp_path)
    write_back(store, record())
    found = check_store(store)
    assert violations(found) == [], "\n".join(map(str, violations(found)))


def test_a_broken_decision_is_a_violation(tmp_path):
    store, _ = loaded_store(tmp_path)
    write_back(store, record(facilitator="Fie"))
    decision = next(q.subject for q in store.quads(workshop_graph("ws-1")) if q.predicate.value == RDF + "subject")
    store.update(f"DELETE WHERE {{ GRAPH ?g {{ {decision} <{PROV}wasGeneratedBy> ?w }} }}")
    assert any("workshop" in f.message for f in violations(check_store(store)))


def test_a_reload_of_the_data_keeps_the_workshop_graph(tmp_path):
    store, data = loaded_store(tmp_path)
    write_back(store, record())
    written = sorted(map(str, store.quads(workshop_graph("ws-1"))))
    load_into_store(store, [data])
    assert sorted(map(str, store.quads(workshop_graph("ws-1")))) == written
