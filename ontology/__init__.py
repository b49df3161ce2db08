"""The PolicyGraph ontology, SHACL shapes and authoring context as files, plus their namespaces.

This package imports nothing else of ours: every other layer asks it where the terms live and how
to write an IRI short (ontology.names).
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from ontology.names import (DCAT, DCT, DEFAULT_BASE, ELI, FOAF, FORMATS, GRAPH_BASE, INFERRED_GRAPH,
                            ORG, OWL, OWL_INFERRED_GRAPH, PG, PREFIXES, PROV, RDF, RDFS, SCHEMA, SD, SH, SKOS, TIME,
                            XSD, all_prefixes, base_iri, curie, expand, file_graph, file_of_graph,
                            is_workshop_graph, prefixed, suggest, workshop_graph)

HERE = Path(__file__).resolve().parent
ONTOLOGY_FILE = HERE / "policygraph.ttl"
SHAPES_FILE = HERE / "shapes.ttl"
CONTEXT_FILE = HERE / "context.jsonld"
EXTERNAL_LABELS_FILE = HERE / "external-labels.ttl"
ONTOLOGY_GRAPH = "https://w3id.org/policygraph/ontology"

__all__ = [
    "CONTEXT_FILE", "EXTERNAL_LABELS_FILE", "ONTOLOGY_FILE", "ONTOLOGY_GRAPH", "SHAPES_FILE", "authoring_context",
    "external_labels",
    "DEFAULT_BASE", "GRAPH_BASE", "INFERRED_GRAPH", "OWL_INFERRED_GRAPH", "PREFIXES",
    "DCAT", "DCT", "ELI", "FOAF", "FORMATS", "ORG", "OWL", "PG", "PROV", "RDF", "RDFS", "SCHEMA", "SD", "SH", "SKOS",
    "TIME", "XSD",
    "all_prefixes", "base_iri", "curie", "expand", "file_graph", "file_of_graph", "is_workshop_graph", "prefixed",
    "suggest", "workshop_graph",
]


@lru_cache(maxsize=1)
def authoring_context() -> dict:
    """The JSON-LD context that defines the YAML authoring format (the one place that knows it)."""
    with CONTEXT_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)["@context"]


@lru_cache(maxsize=1)
def external_labels() -> dict[str, dict[str, str]]:
    """IRI -> {language: name} for the terms of other vocabularies we name (external-labels.ttl)."""
    import pyoxigraph as ox

    names: dict[str, dict[str, str]] = {}
    for triple in ox.parse(path=str(EXTERNAL_LABELS_FILE), format=ox.RdfFormat.TURTLE):
        names.setdefault(triple.subject.value, {})[triple.object.language or ""] = triple.object.value
    return names
