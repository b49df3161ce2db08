"""Standard RDF files (Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD), parsed by Oxigraph without network access."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from loaders.errors import LoadError

RDF_FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
}


def read_rdf_file(path: Path, graph: str) -> list[ox.Quad]:
    """Quads of the file; triples in its default graph go into the file's own graph, named graphs stay."""
    rdf_format = RDF_FORMATS[path.suffix.lower()]
    target = ox.NamedNode(graph)
    try:
        parsed = list(ox.parse(path=str(path), format=rdf_format, base_iri=path.resolve().as_uri()))
    except SyntaxError as exc:
        line, column = _position(exc)
        raise LoadError(path, f"not valid {rdf_format.name}: {_message(exc)}", line, column) from None
    except (OSError, ValueError) as exc:
        raise LoadError(path, f"cannot read {rdf_format.name}: {exc}") from None
    return [item if isinstance(getattr(item, "graph_name", None), (ox.NamedNode, ox.BlankNode))
            else ox.Quad(item.subject, item.predicate, item.object, target) for item in parsed]


def _position(exc: SyntaxError) -> tuple[int | None, int | None]:
    return getattr(exc, "lineno", None), getattr(exc, "offset", None)


def _message(exc: SyntaxError) -> str:
    return str(exc.msg if getattr(exc, "msg", None) else exc).splitlines()[0]
