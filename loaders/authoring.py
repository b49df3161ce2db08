"""The authoring format: one YAML file per document, read as YAML-LD through the bundled JSON-LD context.

JSON-LD silently drops keys its context does not define, so a typo would lose facts without a word.
This module therefore checks every key and value against the context first and reports the line.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any, Iterator

import pyoxigraph as ox
import rdflib
from rapidfuzz import process as fuzzy
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from loaders.errors import LoadError
from ontology import authoring_context

XSD = "http://www.w3.org/2001/XMLSchema#"
_LEXICAL_FORMS: dict[str, tuple[re.Pattern[str], str]] = {
    "gYear": (re.compile(r"^-?\d{4}$"), "a four-digit year such as 2019"),
    "date": (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "a date written YYYY-MM-DD, e.g. 2018-12-13"),
    "integer": (re.compile(r"^[+-]?\d+$"), "a whole number without thousands separators, e.g. 1500"),
    "decimal": (re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$"), "a number with '.' as decimal point, e.g. 3300 or 0.9"),
    "boolean": (re.compile(r"^(true|false)$"), "true or false"),
}
_LANGUAGE_TAG = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]+)*$")


def _term_definitions() -> dict[str, dict[str, Any]]:
    """Each context term as an expanded definition, so checks can ask for its @type and @container."""
    defs: dict[str, dict[str, Any]] = {}
    for key, value in authoring_context().items():
        if key.startswith("@"):
            continue
        defs[key] = value if isinstance(value, dict) else {"@id": value}
    return defs


def read_yaml(path: Path, text: str | None = None) -> Any:
    """Parse YAML keeping line numbers on every node; syntax errors name the line and column."""
    yaml = YAML(typ="rt")
    try:
        source = text if text is not None else path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise LoadError(path, f"not UTF-8 text (byte {exc.start})", hint="save the file as UTF-8") from None
    try:
        return yaml.load(source)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        raise LoadError(path, f"YAML syntax error: {exc.problem or exc.context}", line, column) from None
    except YAMLError as exc:
        raise LoadError(path, f"YAML syntax error: {exc}") from None


class _Checker:
    """Walks the YAML tree, checks keys and values against the context and returns plain JSON data."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.terms = _term_definitions()
        self.node_lines: dict[str, int] = {}

    def fail(self, problem: str, node: Any, key: Any = None, hint: str | None = None) -> LoadError:
        line = column = None
        if isinstance(node, (CommentedMap, CommentedSeq)):
            if key is not None and isinstance(node, CommentedMap):
                try:
                    line, column = node.lc.key(key) if key in node else node.lc.value(key)
                except (KeyError, TypeError):
                    line, column = node.lc.line, node.lc.col
            elif key is not None and isinstance(node, CommentedSeq):
                line, column = node.lc.item(key)
            else:
                line, column = node.lc.line, node.lc.col
            line, column = line + 1, column + 1
        return LoadError(self.path, problem, line, column, hint)

    def document(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, CommentedMap):
            raise LoadError(self.path, "expected a mapping at the top of the file (keys such as id, type, title)", 1)
        return self.node(data)

    def node(self, mapping: CommentedMap) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in mapping.items():
            if not isinstance(key, str):
                raise self.fail(f"key {key!r} is not text", mapping, key)
            if key == "@context":
                raise self.fail("files use the bundled context; remove '@context'", mapping, key)
            out[key] = self.value(key, value, mapping)
        if isinstance(out.get("id"), str):
            self.node_lines.setdefault(out["id"], mapping.lc.key("id")[0] + 1)
        return out

    def value(self, key: str, value: Any, parent: CommentedMap) -> Any:
        definition = self.terms.get(key)
        if definition is None:
            if ":" in key or key.startswith("@"):
                return self.plain(value, parent, key)
            suggestion = fuzzy.extractOne(key, list(self.terms))
            hint = f"did you mean '{suggestion[0]}'?" if suggestion and suggestion[1] >= 70 else "see the authoring format in the README"
            raise self.fail(f"unknown key '{key}'", parent, key, hint)
        if definition.get("@container") == "@language":
            return self.language_map(key, value, parent)
        if isinstance(value, CommentedSeq):
            return [self.single(key, definition, item, value, index) for index, item in enumerate(value)]
        return self.single(key, definition, value, parent, key)

    def single(self, key: str, definition: dict, value: Any, parent: Any, where: Any) -> Any:
        if isinstance(value, CommentedMap):
            return self.node(value)
        if value is None:
            raise self.fail(f"'{key}' has no value", parent, where, "leave the key out when the source is silent")
        datatype = definition.get("@type", "")
        if isinstance(datatype, str) and datatype.startswith("xsd:"):
            return self.typed_literal(key, datatype[4:], value, parent, where)
        if datatype in ("@id", "@vocab") or key == "id":
            if not isinstance(value, str) or not value.strip() or " " in value.strip():
                raise self.fail(f"'{key}' expects an identifier (a name without spaces), got {value!r}", parent, where)
            if datatype == "@vocab" and ":" not in value and value not in self.terms:
                suggestion = fuzzy.extractOne(value, [t for t in self.terms if t[:1].isupper()])
                hint = f"did you mean '{suggestion[0]}'?" if suggestion and suggestion[1] >= 70 else None
                raise self.fail(f"'{key}' has the unknown value '{value}'", parent, where, hint)
            return value
        return self.plain(value, parent, where)

    def typed_literal(self, key: str, datatype: str, value: Any, parent: Any, where: Any) -> str:
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, (dt.date, dt.datetime)):
            text = value.isoformat()[:10]
        elif isinstance(value, float) and datatype == "decimal":
            text = repr(value)
        else:
            text = str(value).strip()
        pattern, expected = _LEXICAL_FORMS.get(datatype, (re.compile(".*"), datatype))
        if not pattern.match(text):
            raise self.fail(f"'{key}' expects {expected}, got {value!r}", parent, where)
        return text

    def language_map(self, key: str, value: Any, parent: CommentedMap) -> dict[str, Any]:
        if not isinstance(value, CommentedMap):
            raise self.fail(f"'{key}' expects text per language, e.g. {{da: ..., en: ...}}", parent, key)
        out: dict[str, Any] = {}
        for lang, text in value.items():
            if not isinstance(lang, str) or not _LANGUAGE_TAG.match(lang):
                raise self.fail(f"'{key}' has {lang!r} where a language tag such as da or en was expected", value, lang)
            items = list(text) if isinstance(text, CommentedSeq) else [text]
            if not items or any(not isinstance(t, str) or not t.strip() for t in items):
                raise self.fail(f"'{key}' in '{lang}' expects non-empty text", value, lang)
            out[lang] = [str(t) for t in items] if isinstance(text, CommentedSeq) else str(text)
        return out

    def plain(self, value: Any, parent: Any, where: Any) -> Any:
        if isinstance(value, CommentedMap):
            return self.node(value)
        if isinstance(value, CommentedSeq):
            return [self.plain(item, value, index) for index, item in enumerate(value)]
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()[:10]
        return value


def yaml_to_jsonld(path: Path, text: str | None = None) -> tuple[dict[str, Any], dict[str, int]]:
    """The checked JSON-LD document for one YAML file, and the line where each identified node starts."""
    data = read_yaml(path, text)
    if data is None:
        raise LoadError(path, "the file is empty", 1)
    checker = _Checker(path)
    document = checker.document(data)
    document = {"@context": authoring_context(), **document}
    return document, checker.node_lines


def jsonld_to_quads(document: dict[str, Any], graph: str, base: str, path: Path) -> list[ox.Quad]:
    """Expand the JSON-LD with rdflib (no network: the context is inline) and hand back pyoxigraph quads."""
    parsed = rdflib.Graph()
    try:
        parsed.parse(data=json.dumps(document), format="json-ld", base=base)
    except Exception as exc:  # rdflib raises many types for bad JSON-LD; all mean the same to the author
        raise LoadError(path, f"not valid YAML-LD: {exc}") from None
    ntriples = parsed.serialize(format="nt")
    graph_name = ox.NamedNode(graph)
    triples = ox.parse(ntriples.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return [ox.Quad(t.subject, t.predicate, t.object, graph_name) for t in triples]


def iter_relative_ids(document: Any) -> Iterator[str]:
    """Every identifier written in a document, for checks that need them (e.g. dangling references)."""
    if isinstance(document, dict):
        for key, value in document.items():
            if key == "id" and isinstance(value, str):
                yield value
            else:
                yield from iter_relative_ids(value)
    elif isinstance(document, list):
        for item in document:
            yield from iter_relative_ids(item)
