"""What a remote engine answers, read into pyoxigraph's own result types whatever its dialect.

Engines differ from the SPARQL 1.1 result formats in ways that matter here: Virtuoso names blank
nodes `nodeID://b10287` (not a blank node label Oxigraph accepts), answers ASK as a one-column
SELECT named `__ASK_RETVAL` (a row holding 1 when true, no row when false), and answers in XML when
it prefers. So the answer is read as plain JSON or XML first, set right, and only then handed to
Oxigraph's parser; anything that cannot be read is a StoreError, never a traceback."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from typing import Iterator

import pyoxigraph as ox

from graph.sparql.text import tokens
from graph.store.base import Result, StoreError

RESULTS_JSON = "application/sparql-results+json"
RESULTS_XML = "application/sparql-results+xml"
N_TRIPLES = "application/n-triples"
TURTLE = "text/turtle"
ASK_COLUMN = "__ASK_RETVAL"
_SPARQL_NS = "{http://www.w3.org/2005/sparql-results#}"
_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
_LABEL_CHARS = re.compile(r"[^A-Za-z0-9_]")
_GRAPH_FORMATS = {N_TRIPLES: ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
                  TURTLE: ox.RdfFormat.TURTLE, "application/x-turtle": ox.RdfFormat.TURTLE,
                  "application/rdf+xml": ox.RdfFormat.RDF_XML, "application/n-quads": ox.RdfFormat.N_QUADS}


def query_form(sparql: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first of these words in the text (after its prologue)."""
    for token in tokens(sparql):
        if token.kind == "word" and token.text.upper() in _FORMS:
            return token.text.upper()
    return "SELECT"


def accept_for(form: str) -> str:
    """The Accept header for a query form: tables and booleans as JSON results (XML as a second
    choice), graphs as N-Triples (Turtle second), so no engine answers a CONSTRUCT with a table."""
    if form in ("CONSTRUCT", "DESCRIBE"):
        return f"{N_TRIPLES}, {TURTLE};q=0.9"
    return f"{RESULTS_JSON}, {RESULTS_XML};q=0.9"


def read_answer(body: bytes, content_type: str, form: str) -> Result | Iterator[ox.Triple]:
    """The engine's answer to a query of `form`, in the types the embedded store returns."""
    media = content_type.split(";")[0].strip().lower()
    if form in ("CONSTRUCT", "DESCRIBE"):
        return _triples(body, media)
    if media in ("application/json", RESULTS_JSON) or (not media and body.lstrip()[:1] == b"{"):
        document = _json(body)
    elif media in (RESULTS_XML, "application/xml", "text/xml"):
        document = _xml_as_json(body)
    else:
        raise StoreError(f"the endpoint answered a {form} with {media or 'no content type'}, not SPARQL results")
    document = portable(document, form)
    try:
        return ox.parse_query_results(json.dumps(document).encode(), format=ox.QueryResultsFormat.JSON)
    except (SyntaxError, ValueError) as exc:
        raise StoreError(f"the endpoint sent results that cannot be read: {exc}") from None


def portable(document: dict, form: str) -> dict:
    """SPARQL 1.1 JSON results from an engine's dialect: ASK as a boolean, blank nodes with labels."""
    if not isinstance(document, dict):
        raise StoreError("the endpoint sent results that are not a SPARQL results document")
    if "boolean" in document:
        return {"head": {}, "boolean": _truth(document["boolean"])}
    head, results = document.get("head") or {}, document.get("results") or {}
    bindings = results.get("bindings") if isinstance(results, dict) else None
    if not isinstance(bindings, list):
        raise StoreError("the endpoint sent results without bindings")
    variables = [v for v in head.get("vars", []) if isinstance(v, str)]
    if form == "ASK" or variables == [ASK_COLUMN]:
        return {"head": {}, "boolean": any(_truth((row.get(ASK_COLUMN) or {}).get("value", True)) for row in bindings)}
    return {"head": {"vars": variables}, "results": {"bindings": [_row(row) for row in bindings]}}


def _row(row: dict) -> dict:
    out = {}
    for name, term in row.items():
        if isinstance(term, dict) and term.get("type") == "bnode":
            term = {"type": "bnode", "value": blank_label(str(term.get("value", "")))}
        elif isinstance(term, dict) and term.get("type") == "typed-literal":  # SPARQL 1.0 JSON
            term = {**term, "type": "literal"}
        out[name] = term
    return out


def blank_label(value: str) -> str:
    """A blank node label Oxigraph accepts: `nodeID://b10287` -> `b10287`, other odd characters `_`."""
    for prefix in ("nodeID://", "_:"):
        if value.startswith(prefix):
            value = value[len(prefix):]
    value = _LABEL_CHARS.sub("_", value) or "b"
    return value if value[0].isalpha() or value[0] == "_" else "b" + value


def _truth(value: object) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() not in ("0", "false", "")


def _json(body: bytes) -> dict:
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise StoreError(f"the endpoint sent results that are not JSON: {exc}") from None


def _xml_as_json(body: bytes) -> dict:
    """SPARQL XML results as the JSON document they stand for (bindings, or a boolean)."""
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as exc:
        raise StoreError(f"the endpoint sent results that are not XML: {exc}") from None
    boolean = root.find(f"{_SPARQL_NS}boolean")
    if boolean is not None:
        return {"head": {}, "boolean": _truth(boolean.text or "")}
    variables = [v.get("name") for v in root.iter(f"{_SPARQL_NS}variable")]
    rows = []
    for result in root.iter(f"{_SPARQL_NS}result"):
        row = {}
        for binding in result.findall(f"{_SPARQL_NS}binding"):
            term = _xml_term(binding)
            if term is not None:
                row[binding.get("name")] = term
        rows.append(row)
    return {"head": {"vars": variables}, "results": {"bindings": rows}}


def _xml_term(binding: ElementTree.Element) -> dict | None:
    for element in binding:
        kind = element.tag.replace(_SPARQL_NS, "")
        if kind == "uri":
            return {"type": "uri", "value": element.text or ""}
        if kind == "bnode":
            return {"type": "bnode", "value": element.text or ""}
        if kind == "literal":
            term = {"type": "literal", "value": element.text or ""}
            language = element.get("{http://www.w3.org/XML/1998/namespace}lang")
            if language:
                term["xml:lang"] = language
            elif element.get("datatype"):
                term["datatype"] = element.get("datatype")
            return term
    return None


def _triples(body: bytes, media: str) -> Iterator[ox.Triple]:
    rdf_format = _GRAPH_FORMATS.get(media)
    if rdf_format is None:
        raise StoreError(f"the endpoint answered a graph query with {media or 'no content type'}, not RDF")
    try:
        quads = list(ox.parse(body, format=rdf_format))
    except (SyntaxError, ValueError) as exc:
        raise StoreError(f"the endpoint sent RDF that cannot be read: {exc}") from None
    return iter([ox.Triple(q.subject, q.predicate, q.object) for q in quads])
