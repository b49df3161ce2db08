"""Where terms live and how people write them: the namespaces, the one IRI shortener (`curie`), its
inverse (`expand`) and the one "did you mean" (`suggest`).

Every layer names IRIs through these, so a resource reads the same on a page, in the report, in a
CLI message and in a load error, and what one part prints another part reads back.
"""
from __future__ import annotations

import os
import re
from typing import Iterable
from urllib.parse import quote, unquote

from rapidfuzz import fuzz, process

PG = "https://w3id.org/policygraph/ontology#"
ORG = "http://www.w3.org/ns/org#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
TIME = "http://www.w3.org/2006/time#"
DCAT = "http://www.w3.org/ns/dcat#"
ELI = "http://data.europa.eu/eli/ontology#"
SCHEMA = "http://schema.org/"
FOAF = "http://xmlns.com/foaf/0.1/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SH = "http://www.w3.org/ns/shacl#"
SD = "http://www.w3.org/ns/sparql-service-description#"   # the endpoint's self-description only,
FORMATS = "http://www.w3.org/ns/formats/"                  # so not among PREFIXES

PREFIXES: dict[str, str] = {
    "pg": PG, "org": ORG, "skos": SKOS, "dct": DCT, "prov": PROV, "time": TIME, "dcat": DCAT, "eli": ELI,
    "schema": SCHEMA, "foaf": FOAF, "rdf": RDF, "rdfs": RDFS, "owl": OWL, "xsd": XSD, "sh": SH,
}
DEFAULT_BASE = "https://w3id.org/policygraph/id/"
GRAPH_BASE = DEFAULT_BASE + "graph/"
INFERRED_GRAPH = GRAPH_BASE + "derived"                 # the derived links (graph/pipeline/derive.py)
OWL_INFERRED_GRAPH = GRAPH_BASE + "inferred-owl"        # OWL reasoning's conclusions (graph/pipeline/reasoning.py)
DATA_PREFIX = "id"                            # `id:org/koebenhavn` is the data IRI base + org/koebenhavn

SUGGESTION_CUTOFF = 70                        # rapidfuzz WRatio, 0-100: below it a hint misleads more than it helps
_ABSOLUTE = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)


def base_iri() -> str:
    """The base for data IRIs; configurable so a municipality can publish under its own domain."""
    base = os.environ.get("POLICYGRAPH_BASE", DEFAULT_BASE)
    return base if base.endswith(("/", "#")) else base + "/"


def file_graph(relative_path: str) -> str:
    """The named graph of a loaded file: its path relative to the folder it was loaded from,
    percent-encoded, because file names hold spaces and letters an IRI cannot (æøå, –)."""
    return f"{base_iri()}graph/{quote(relative_path, safe='/')}"


def file_of_graph(graph: str) -> str | None:
    """The path of the file a named graph was loaded from (file_graph's inverse); None for other graphs,
    the derived and inferred ones included."""
    marker = f"{base_iri()}graph/"
    if not graph.startswith(marker) or graph in (INFERRED_GRAPH, OWL_INFERRED_GRAPH):
        return None
    return unquote(graph[len(marker):])


def workshop_graph(workshop_id: str) -> str:
    """The named graph of one workshop's decisions (graph/workshop/writeback.py). Not under `graph/`,
    where the graphs of loaded files live: a workshop graph is never taken for, or collides with, a file's."""
    return f"{base_iri()}workshop-graph/{quote(workshop_id, safe='')}"


def is_workshop_graph(graph: str) -> bool:
    """True for a workshop's graph: what questions, network and matrix mark, or leave out on request."""
    return graph.startswith(f"{base_iri()}workshop-graph/")


def all_prefixes() -> dict[str, str]:
    """PREFIXES and `id:` for the data base, as queries and typed names may use them."""
    return {**PREFIXES, DATA_PREFIX: base_iri()}


def split(iri: str) -> tuple[str, str] | None:
    """(prefix, local name) of the longest namespace holding the IRI, `id` for a data IRI (so a base
    chosen above the ontology's namespace still leaves `pg:` terms as `pg:`); None when no namespace
    holds it or the IRI is the namespace itself."""
    found = [(len(ns), prefix) for prefix, ns in all_prefixes().items() if iri.startswith(ns) and len(iri) > len(ns)]
    if not found:
        return None
    length, prefix = max(found)
    return prefix, iri[length:]


def curie(iri: str) -> str:
    """An IRI as a reader wants to see it: `pg:Committee` for a term of a known vocabulary,
    `org/koebenhavn` (relative to the base) for a data IRI, the IRI itself otherwise.
    A relative id that `expand` would read as something else keeps its `id:` prefix."""
    found = split(iri)
    if found is None:
        return iri
    prefix, local = found
    if prefix == DATA_PREFIX:
        return local if ":" not in local else f"{DATA_PREFIX}:{local}"
    return f"{prefix}:{local}"


def prefixed(iri: str) -> str:
    """An IRI as query text writes it: `pg:Committee`, `id:org/koebenhavn`, else `<iri>`. For output
    that is read back as a term (the CLI's tables and NAME=VALUE, a literal's datatype in a message),
    where `curie`'s bare relative id or bare IRI would be ambiguous."""
    found = split(iri)
    return f"{found[0]}:{found[1]}" if found else f"<{iri}>"


def expand(name: str) -> str:
    """The full IRI of a name as `curie` or `prefixed` writes it or a person types it: `<iri>`, an absolute IRI,
    `prefix:local` for a known prefix (`id:` included), else an id relative to the base."""
    text = name.strip()
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    if _ABSOLUTE.match(text) or text.startswith("urn:"):
        return text
    prefix, sep, local = text.partition(":")
    prefixes = all_prefixes()
    if sep and prefix in prefixes:
        return prefixes[prefix] + local
    return base_iri() + text


def suggest(typed: str | Iterable[str], choices: Iterable[str]) -> str | None:
    """The choice closest to what was typed (any of several spellings of it), or None when nothing
    is close enough: one scorer and one cut-off for every "did you mean" of the CLI, the web and the loaders."""
    words = [typed] if isinstance(typed, str) else list(typed)
    options = list(choices)
    best: tuple[str, float] | None = None
    for word in words:
        found = process.extractOne(word, options, scorer=fuzz.WRatio, score_cutoff=SUGGESTION_CUTOFF)
        if found and (best is None or found[1] > best[1]):
            best = (found[0], found[1])
    return best[0] if best else None
