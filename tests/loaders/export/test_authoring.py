"""Export to the authoring format: every file in data/ loads, exports and loads again to the same graph,
and the exported file reads like the hand-made ones (nesting, places in lists, language maps, ids)."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic, to_isomorphic, graph_diff

from loaders import load_file
from loaders.authoring import POSITION
from loaders.export.authoring import authoring_data, authoring_yaml
from ontology import PG, RDF, base_iri

DATA = Path(__file__).resolve().parents[3] / "data"
FILES = sorted(DATA.rglob("*.yaml"))
PLAN_TYPES = tuple(PG + t for t in ("Policy", "Strategy", "ActionPlan", "Plan"))


def as_rdflib(quads: list[ox.Quad]) -> rdflib.Graph:
    graph = rdflib.Graph()
    text = ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads], format=ox.RdfFormat.N_TRIPLES)
    graph.parse(data=text.decode("utf-8"), format="nt")
    return graph


def documents_in(quads: list[ox.Quad]) -> list[str]:
    return sorted({q.subject.value for q in quads if q.predicate.value == RDF + "type" and q.object.value in PLAN_TYPES})


def round_trip(path: Path, root: Path, out_root: Path, document: str | None = None) -> tuple[rdflib.Graph, rdflib.Graph, str]:
    loaded = load_file(path, root)
    text = authoring_yaml(loaded.quads, base_iri(), document)
    exported = out_root / path.relative_to(root)
    exported.parent.mkdir(parents=True, exist_ok=True)
    exported.write_text(text, encoding="utf-8")
    again = load_file(exported, out_root)
    assert again.graph == loaded.graph
    return as_rdflib(loaded.quads), as_rdflib(again.quads), text


@pytest.mark.parametrize("path", FILES, ids=[p.relative_to(DATA).as_posix() for p in FILES])
def test_every_data_file_round_trips_to_the_same_graph(path: Path, tmp_path: Path):
    documents = documents_in(load_file(path, DATA).quads)
    before, after, _text = round_trip(path, DATA, tmp_path, documents[0] if len(documents) == 1 else None)
    if not isomorphic(before, after):
        _both, lost, added = graph_diff(to_isomorphic(before), to_isomorphic(after))
        pytest.fail(f"lost {sorted(lost)[:3]}, added {sorted(added)[:3]}")
    assert len(before) == len(after) > 10


def test_the_data_folder_holds_the_documents_the_round_trip_is_about():
    names = {p.relative_to(DATA).as_posix() for p in FILES}
    assert {"koebenhavn/integrationshandleplan-2019-22.yaml", "silkeborg/integrationsstrategi-2016-18.yaml"} <= names


def test_a_plan_is_written_nested_with_its_parts_in_their_places():
    path = DATA / "koebenhavn" / "integrationshandleplan-2019-22.yaml"
    loaded = load_file(path, DATA)
    data = authoring_data(loaded.quads, base_iri(), base_iri() + "doc/koebenhavn/integrationshandleplan-2019-22")
    assert list(data)[:3] == ["id", "type", "title"]
    assert data["id"] == "doc/koebenhavn/integrationshandleplan-2019-22"
    assert data["title"] == {"da": "Integrationshandleplan 2019-22", "en": "Integration Action Plan 2019-22"}
    assert data["validFrom"] == 2019 and data["municipality"] == "org/koebenhavn"
    first = data["initiatives"][0]
    assert first["id"].endswith("/haandholdt-og-kontinuerlig-virksomhedsindsats")   # the first row of the table
    assert first["targetGroups"] == ["tg/jobparate-ledige"]
    assert {"year": 2019, "amount": 3300, "currency": "DKK", "unitMultiplier": 1000, "perYear": True} in first["budget"]
    size = first["targetGroupSizes"][0]
    assert size["annualSize"] == 350 and size["sizeQualifier"] == "AtLeast"
    area = data["focusAreas"][0]
    assert area["initiatives"] == [first["id"]]          # a reference: the initiative is defined once
    assert list(data).index("focusAreas") > list(data).index("source")


def test_the_place_of_a_part_survives_even_when_the_file_lists_it_out_of_order(tmp_path: Path):
    (tmp_path / "plan.yaml").write_text(
        "id: doc/x/plan\ntype: ActionPlan\ntitle: {da: Plan}\ninitiatives:\n"
        "  - doc/x/plan/b\n"
        "  - {id: doc/x/plan/a, type: Initiative, label: {da: A}}\n"
        "  - {id: doc/x/plan/b, type: Initiative, label: {da: B}, partOf: doc/x/plan/a}\n", encoding="utf-8")
    before, after, text = round_trip(tmp_path / "plan.yaml", tmp_path, tmp_path / "out", base_iri() + "doc/x/plan")
    assert isomorphic(before, after)
    positions = {str(s): int(o) for s, p, o in after if str(p) == POSITION}
    assert positions == {base_iri() + "doc/x/plan/a": 2, base_iri() + "doc/x/plan/b": 3}


def test_facts_without_a_key_of_their_own_are_kept(tmp_path: Path):
    (tmp_path / "odd.yaml").write_text(
        "graph:\n"
        "  - id: doc/x/odd\n    type: [Plan, eli:LegalResource]\n    title: {da: Sær}\n"
        "    dct:title: uden sprog\n    pg:someNumber: 7\n    rdfs:seeAlso: {id: 'https://example.org/ab'}\n"
        "    notation: {'@value': '12', '@type': 'xsd:integer'}\n"
        "    validFrom: '0900'\n    amount: '1.10'\n"
        "  - {title: {en: a node without id}, note: {en: kept at the top}}\n", encoding="utf-8")
    before, after, text = round_trip(tmp_path / "odd.yaml", tmp_path, tmp_path / "out")
    assert isomorphic(before, after), text
    assert "eli:LegalResource" in text and "https://example.org/ab" in text


def test_ids_that_would_read_back_as_something_else_are_written_in_full(tmp_path: Path):
    (tmp_path / "ids.yaml").write_text(
        "id: doc/x/ids\ntype: Plan\ntitle: {da: Ider}\n"
        "relatedTo: [graph, 'https://example.org/other', 'urn:x:y']\n", encoding="utf-8")
    before, after, text = round_trip(tmp_path / "ids.yaml", tmp_path, tmp_path / "out", base_iri() + "doc/x/ids")
    assert isomorphic(before, after), text
    assert base_iri() + "graph" in text


def key_orders(node, found: dict[str, list[str]]) -> dict[str, list[str]]:
    """Each identified mapping's keys in the order written, by id."""
    if isinstance(node, dict):
        if isinstance(node.get("id"), str):
            found.setdefault(node["id"], list(node))
        for value in node.values():
            key_orders(value, found)
    elif isinstance(node, list):
        for value in node:
            key_orders(value, found)
    return found


@pytest.mark.parametrize("name", ["organisations/koebenhavn.yaml", "vocabularies/schemes.yaml", "sources.yaml",
                                  "koebenhavn/integrationshandleplan-2019-22.yaml"])
def test_keys_come_in_the_order_of_the_hand_made_files(name: str):
    from ruamel.yaml import YAML

    path = DATA / name
    hand = key_orders(YAML(typ="rt").load(path.read_text(encoding="utf-8")), {})
    ours = key_orders(YAML(typ="rt").load(authoring_yaml(load_file(path, DATA).quads, base_iri())), {})
    differ = [node for node, keys in hand.items()
              if [k for k in keys if k in ours[node]] != [k for k in ours[node] if k in keys]]
    # the one exception: the 2019-22 plan writes its description right after the title, where the
    # other documents write it after the municipality and period
    assert len(differ) <= (1 if "2019-22" in name else 0), differ


def test_a_part_without_a_name_of_its_own_keeps_its_place(tmp_path: Path):
    (tmp_path / "blank.yaml").write_text(
        "id: doc/x/blank\ntype: ActionPlan\ntitle: {da: Blank}\ninitiatives:\n"
        "  - doc/x/elsewhere\n"
        "  - {id: '_:a', type: Initiative, label: {da: Uden id}}\n", encoding="utf-8")
    before, after, text = round_trip(tmp_path / "blank.yaml", tmp_path, tmp_path / "out", base_iri() + "doc/x/blank")
    assert isomorphic(before, after), text
    assert sorted(int(o) for _s, p, o in after if str(p) == POSITION) == [2]
