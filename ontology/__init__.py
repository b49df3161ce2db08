"""The PolicyGraph ontology, SHACL shapes and authoring context as files, plus their namespaces.

This package imports nothing else of ours: every other layer asks it where the terms live.
"""
from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
ONTOLOGY_FILE = HERE / "policygraph.ttl"
SHAPES_FILE = HERE / "shapes.ttl"
CONTEXT_FILE = HERE / "context.jsonld"

PG = "https://w3id.org/policygraph/ontology#"
DEFAULT_BASE = "https://w3id.org/policygraph/id/"
ONTOLOGY_GRAPH = "https://w3id.org/policygraph/ontology"

PREFIXES: dict[str, str] = {
    "pg": PG,
    "org": "http://www.w3.org/ns/org#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "time": "http://www.w3.org/2006/time#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "schema": "http://schema.org/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
}


def base_iri() -> str:
    """The base for data IRIs; configurable so a municipality can publish under its own domain."""
    base = os.environ.get("POLICYGRAPH_BASE", DEFAULT_BASE)
    return base if base.endswith(("/", "#")) else base + "/"


@lru_cache(maxsize=1)
def authoring_context() -> dict:
    """The JSON-LD context that defines the YAML authoring format (the one place that knows it)."""
    with CONTEXT_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)["@context"]


def sparql_prefixes() -> str:
    """PREFIX lines for queries written by hand or shown in the UI."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
