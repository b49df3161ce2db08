"""ontology/names.py: the namespaces, curie/prefixed/expand and the one "did you mean"."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from ontology import DEFAULT_BASE, PG, PREFIXES, SKOS, XSD, curie, expand, prefixed, suggest

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = [PG + "Committee", SKOS + "prefLabel", XSD + "gYear", DEFAULT_BASE + "org/koebenhavn/biu",
           DEFAULT_BASE + "doc/a:b", "http://example.org/x", "urn:isbn:123", PG]


def test_curie_writes_vocabulary_terms_prefixed_data_iris_relative_and_others_whole():
    assert curie(PG + "Committee") == "pg:Committee"
    assert curie(XSD + "gYear") == "xsd:gYear"
    assert curie(DEFAULT_BASE + "org/koebenhavn/biu") == "org/koebenhavn/biu"
    assert curie("http://example.org/x") == "http://example.org/x"
    assert curie(PG) == PG, "a namespace alone is not shortened to a bare prefix"


def test_a_relative_id_that_would_read_as_a_prefixed_name_keeps_id():
    assert curie(DEFAULT_BASE + "skos:x") == "id:skos:x"
    assert expand("skos:x") == SKOS + "x"


def test_prefixed_is_query_text():
    assert prefixed(DEFAULT_BASE + "org/koebenhavn") == "id:org/koebenhavn"
    assert prefixed(PG + "Goal") == "pg:Goal"
    assert prefixed("http://example.org/x") == "<http://example.org/x>"


@pytest.mark.parametrize("iri", SAMPLES)
def test_expand_reads_back_what_curie_and_prefixed_write(iri):
    assert expand(curie(iri)) == iri
    assert expand(prefixed(iri)) == iri


def test_expand_reads_what_people_type():
    assert expand(" org/koebenhavn ") == DEFAULT_BASE + "org/koebenhavn"
    assert expand("id:org/koebenhavn") == DEFAULT_BASE + "org/koebenhavn"
    assert expand("<https://example.org/a b>") == "https://example.org/a b"
    assert expand("dct:title") == PREFIXES["dct"] + "title"


def test_a_base_above_the_ontology_namespace_leaves_terms_prefixed(monkeypatch):
    monkeypatch.setenv("POLICYGRAPH_BASE", "https://w3id.org/policygraph/")
    assert curie(PG + "Goal") == "pg:Goal"
    assert curie("https://w3id.org/policygraph/org/x") == "org/x"


def test_suggest_finds_a_near_spelling_and_nothing_for_a_far_one():
    assert suggest("budjet", ["budget", "title", "audience"]) == "budget"
    assert suggest("xqzv", ["budget", "title", "audience"]) is None
    assert suggest("anything", []) is None


def test_suggest_takes_the_best_of_several_spellings():
    choices = ["org/koebenhavn/biu", "org/koebenhavn/beu", "org/aarhus"]
    assert suggest(["org/koebenhavn/biuu", "biuu"], choices) == "org/koebenhavn/biu"


def _namespace_constants(path: Path) -> list[str]:
    """Module-level NAME = "http..." assignments whose text starts with a known namespace."""
    namespaces = tuple(PREFIXES.values())
    found = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            if node.value.value.startswith(namespaces):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_only_ontology_defines_namespaces():
    found = [hit for package in ("graph", "loaders", "web", "bench") for path in sorted((ROOT / package).rglob("*.py"))
             for hit in _namespace_constants(path)]
    assert not found, "namespace constants outside ontology/names.py: " + ", ".join(found)


def test_a_file_graph_gives_back_its_file_and_other_graphs_none(monkeypatch):
    from ontology import INFERRED_GRAPH, OWL_INFERRED_GRAPH, file_graph, file_of_graph

    graph = file_graph("koebenhavn/Handleplan – Ærø 2019.yaml")
    assert " " not in graph and "Æ" not in graph
    assert file_of_graph(graph) == "koebenhavn/Handleplan – Ærø 2019.yaml"
    assert file_of_graph(INFERRED_GRAPH) is None and file_of_graph(OWL_INFERRED_GRAPH) is None
    assert file_of_graph("https://w3id.org/policygraph/ontology") is None
    monkeypatch.setenv("POLICYGRAPH_BASE", "https://data.kk.dk/id")
    assert file_of_graph(file_graph("a.yaml")) == "a.yaml"
