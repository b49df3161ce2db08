"""Standard RDF files (Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD), parsed by Oxigraph without network access.

Before Oxigraph sees a file, the shapes it cannot survive are refused with their line: RDF/XML entity
bombs and deep nesting (expat reads the XML first, which also gives XML errors a line), and JSON-LD
nested so deep that Oxigraph's recursive expansion overflows the stack and kills the process.
"""
from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
from xml.parsers import expat

from loaders.errors import LoadError, utf8_text
from loaders.literals import describe, expected_form, invalid_literals

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
# Far deeper than any real data nests; Oxigraph's JSON-LD expansion crashed at a few thousand
# nested objects and its RDF/XML parser slows quadratically with depth.
MAX_NESTING = 256
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKET = re.compile(rb"[\[\]{}]")


def read_rdf_file(path: Path, graph: str) -> list[ox.Quad]:
    """Quads of the file; triples in its default graph go into the file's own graph, named graphs stay."""
    rdf_format = RDF_FORMATS[path.suffix.lower()]
    target = ox.NamedNode(graph)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(path, f"cannot read {rdf_format.name}: {exc.strerror or exc}") from None
    if rdf_format == ox.RdfFormat.RDF_XML:
        _check_xml(path, data)
    elif rdf_format == ox.RdfFormat.JSON_LD:
        _check_json_nesting(path, data)
    try:
        parsed = list(ox.parse(data, format=rdf_format, base_iri=path.resolve().as_uri()))
    except SyntaxError as exc:
        line, column = _position(exc)
        raise LoadError(path, f"not valid {rdf_format.name}: {_message(exc)}", line, column) from None
    except ValueError as exc:
        raise LoadError(path, f"cannot read {rdf_format.name}: {exc}") from None
    _check_literals(path, data, parsed)
    return [item if isinstance(getattr(item, "graph_name", None), (ox.NamedNode, ox.BlankNode))
            else ox.Quad(item.subject, item.predicate, item.object, target) for item in parsed]


def _check_literals(path: Path, data: bytes, parsed: list) -> None:
    """Refuse the first literal Oxigraph cannot read as its datatype, at the line where its text stands."""
    bad = invalid_literals(item.object for item in parsed if isinstance(item.object, ox.Literal))
    if bad:
        literal = bad[0]
        raise LoadError(path, f"{describe(literal)} is not valid for its datatype", _line_of(data, literal.value),
                        hint=f"expected {expected_form(literal.datatype.value)}")


def _line_of(data: bytes, text: str) -> int | None:
    """The first line where the literal's text is written quoted (Turtle, N-Triples, JSON-LD) or as element text."""
    raw = text.encode("utf-8")
    for needle in (b'"' + raw + b'"', b"'" + raw + b"'", b">" + raw + b"<", raw):
        at = data.find(needle)
        if at >= 0:
            return data.count(b"\n", 0, at) + 1
    return None


class _XmlRefused(Exception):
    def __init__(self, problem: str, line: int, column: int, hint: str | None = None) -> None:
        super().__init__(problem)
        self.problem, self.line, self.column, self.hint = problem, line, column, hint


def _check_xml(path: Path, data: bytes) -> None:
    """Read the XML with expat first: well-formedness errors get their line, and entity declarations that
    refer to other entities or to outside files (entity-expansion bombs, external entities) are refused
    before anything expands them. Plain entities such as `<!ENTITY xsd "http://...#">` stay allowed."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    depth = 0

    def refuse(problem: str, hint: str | None = None) -> None:
        raise _XmlRefused(problem, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1, hint)

    def entity(name: str, is_parameter: int, value: str | None, _base: str | None, system: str | None,
               public: str | None, _notation: str | None) -> None:
        if is_parameter or value is None or system or public:
            refuse(f"the entity '{name}' is declared as a parameter or external entity", "only plain text entities are allowed")
        if "&" in value or "%" in value:
            refuse(f"the entity '{name}' refers to other entities (nested entities can expand without limit)",
                   "write the text out or use entities that hold plain text")

    def start(_name: str, _attributes: dict) -> None:
        nonlocal depth
        depth += 1
        if depth > MAX_NESTING:
            refuse(f"elements nested more than {MAX_NESTING} deep")

    def end(_name: str) -> None:
        nonlocal depth
        depth -= 1

    parser.EntityDeclHandler = entity
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except _XmlRefused as refused:
        raise LoadError(path, refused.problem, refused.line, refused.column, refused.hint) from None
    except expat.ExpatError as exc:
        if exc.code == expat.errors.codes[expat.errors.XML_ERROR_INVALID_TOKEN] and b"encoding=" not in data[:200]:
            utf8_text(path, data)  # a Latin-1 letter reads as an invalid token: say what it really is
        raise LoadError(path, f"not valid XML: {expat.ErrorString(exc.code)}", exc.lineno, exc.offset + 1) from None


def _check_json_nesting(path: Path, data: bytes) -> None:
    """Refuse JSON nested deeper than MAX_NESTING; strings are blanked first so brackets in text do not count."""
    text = _JSON_STRING.sub(b'""', data)  # JSON strings hold no raw line breaks: line numbers stay right
    depth = 0
    for match in _JSON_BRACKET.finditer(text):
        depth += 1 if match.group() in (b"[", b"{") else -1
        if depth > MAX_NESTING:
            line = text.count(b"\n", 0, match.start()) + 1
            raise LoadError(path, f"arrays and objects nested more than {MAX_NESTING} deep", line,
                            hint="real data nests a few levels; was the file generated by mistake?")


def _position(exc: SyntaxError) -> tuple[int | None, int | None]:
    return getattr(exc, "lineno", None), getattr(exc, "offset", None)


def _message(exc: SyntaxError) -> str:
    return str(exc.msg if getattr(exc, "msg", None) else exc).splitlines()[0]
