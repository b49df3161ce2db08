"""The authoring format: one YAML file per document, read as YAML-LD through the bundled JSON-LD context.

JSON-LD silently drops keys its context does not define, so a typo would lose facts without a word.
This module therefore checks every key and value against the context first and reports the line.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from loaders.errors import LoadError, utf8_text
from loaders.literals import expected_form, invalid_literals
from ontology import PG, XSD, authoring_context, suggest

# Deeper than any plan nests (a plan holds initiatives holding budget lines); deeper input is refused
# before the recursive walks below could overflow Python's stack.
MAX_NESTING = 256
# Aliases may repeat a node, but a file may not expand to more nodes than it has characters (or this
# many): nested aliases ("billion laughs") would otherwise grow exponentially in the walk below.
MIN_EXPANSION_LIMIT = 100_000
_LANGUAGE_TAG = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]+)*$")
# Keys whose lists are the plan's structure: RDF keeps no order, so each part defined in such a list
# gets its place in it (pg:positionInSource, 1-based), stated in the file's own graph like every fact.
ORDERED_PART_KEYS = ("focusAreas", "goals", "successCriteria", "initiatives", "budgetLines", "statedTotals")
POSITION = PG + "positionInSource"


def _term_definitions() -> dict[str, dict[str, Any]]:
    """Each context term as an expanded definition, so checks can ask for its @type and @container."""
    defs: dict[str, dict[str, Any]] = {}
    for key, value in authoring_context().items():
        if key.startswith("@"):
            continue
        defs[key] = value if isinstance(value, dict) else {"@id": value}
    return defs


class _NotAuthoring(ConstructorError):
    """A node YAML can read but the authoring format does not have: a tag, or a date that is no date."""


class _Constructor(RoundTripConstructor):
    """Round-trip construction that refuses, with the node's line, what would otherwise crash or slip through."""

    def construct_unknown(self, node: Any) -> Any:
        # `!!python/object:...`, `!custom`: the format is plain data, and a tag would be silently kept as text
        tag = str(getattr(node.tag, "value", node.tag)).replace("tag:yaml.org,2002:", "!!")
        raise _NotAuthoring(None, None, f"the tag '{tag}' is not part of the authoring format (remove it)", node.start_mark)

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            return super().construct_yaml_timestamp(node, values)
        except ValueError as exc:  # 2021-13-45 matches YAML's date pattern but is no date
            raise _NotAuthoring(None, None, f"'{node.value}' is not a valid date ({exc}); expected a date "
                                "written YYYY-MM-DD, e.g. 2018-12-13", node.start_mark) from None


_QUOTED_OR_COMMENT = re.compile(r""""(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'|(?:^|(?<=\s))#[^\n]*""", re.MULTILINE)
_FLOW_BRACKET = re.compile(r"[\[\]{}]")


def _check_flow_nesting(path: Path, text: str) -> None:
    """ruamel's scanner slows quadratically with nested flow collections ([[[[...]]]] took minutes at
    a few thousand levels), so brackets outside quotes and comments are counted before it reads them."""
    plain = _QUOTED_OR_COMMENT.sub(lambda m: "\n" * m.group().count("\n"), text)
    depth = 0
    for match in _FLOW_BRACKET.finditer(plain):
        depth = depth + 1 if match.group() in "[{" else max(0, depth - 1)
        if depth > MAX_NESTING:
            line = plain.count("\n", 0, match.start()) + 1
            raise LoadError(path, f"lists and mappings nested more than {MAX_NESTING} deep", line)


_Constructor.add_constructor(None, _Constructor.construct_unknown)
_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)


def read_yaml(path: Path, text: str | None = None) -> Any:
    """Parse YAML keeping line numbers on every node; syntax errors name the line and column."""
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    try:
        source = text if text is not None else utf8_text(path, path.read_bytes())
    except OSError as exc:
        raise LoadError(path, f"cannot read the file: {exc.strerror or exc}") from None
    _check_flow_nesting(path, source)
    try:
        return yaml.load(source)
    except _NotAuthoring as exc:
        mark = exc.problem_mark
        raise LoadError(path, exc.problem, mark.line + 1, mark.column + 1) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        raise LoadError(path, f"YAML syntax error: {exc.problem or exc.context}", line, column) from None
    except YAMLError as exc:
        raise LoadError(path, f"YAML syntax error: {exc}") from None
    except RecursionError:
        raise LoadError(path, f"lists and mappings nested too deeply (more than {MAX_NESTING} levels are refused)") from None


@dataclass
class _Typed:
    """A value of a typed key, kept until the whole file is walked so one engine call checks them all."""

    key: str
    value: Any
    literal: ox.Literal
    parent: Any
    where: Any


class _Checker:
    """Walks the YAML tree, checks keys and values against the context and returns plain JSON data."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.terms = _term_definitions()
        self.node_lines: dict[str, int] = {}
        self.typed: list[_Typed] = []

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

    def document(self, data: Any, size: int) -> dict[str, Any]:
        if not isinstance(data, CommentedMap):
            raise LoadError(self.path, "expected a mapping at the top of the file (keys such as id, type, title)", 1)
        self.shape(data, max(MIN_EXPANSION_LIMIT, size))
        document = self.node(data)
        self.check_typed()
        return document

    def shape(self, root: CommentedMap, limit: int) -> None:
        """Refuse alias bombs and deep nesting before the recursive walk meets them. (An alias inside
        its own anchor is read by ruamel as null, so the tree has no cycles.)

        One pass without recursion: each container's size with its aliases expanded is counted once
        (by identity), so the check costs what the file holds, not what it would expand to."""
        expanded: dict[int, int] = {}
        stack: list[tuple[Any, Any, Any, int, bool]] = [(root, None, None, 1, False)]
        while stack:
            node, parent, where, depth, leaving = stack.pop()
            key = id(node)
            children = list(node.items()) if isinstance(node, CommentedMap) else list(enumerate(node))
            if leaving:
                expanded[key] = 1 + sum(expanded.get(id(child), 1) for _k, child in children)
                if expanded[key] > limit:
                    raise self.fail(f"aliases here expand to more than {limit} values (nested aliases grow without limit)",
                                    node, hint="write the values out instead of nesting aliases (*name)")
                continue
            if key in expanded:
                continue
            if depth > MAX_NESTING:
                raise self.fail(f"lists and mappings nested more than {MAX_NESTING} deep", parent, where)
            stack.append((node, parent, where, depth, True))
            stack += [(child, node, k, depth + 1, False) for k, child in reversed(children)
                      if isinstance(child, (CommentedMap, CommentedSeq))]

    def check_typed(self) -> None:
        """Each typed value must be readable by the store as its datatype (see loaders.literals)."""
        bad = set(invalid_literals(item.literal for item in self.typed))
        for item in self.typed:
            if item.literal in bad:
                expected = expected_form(item.literal.datatype.value)
                raise self.fail(f"'{item.key}' expects {expected}, got {item.value!r}", item.parent, item.where)

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
            suggestion = suggest(key, self.terms)
            hint = f"did you mean '{suggestion}'?" if suggestion else "see the authoring format in the README"
            raise self.fail(f"unknown key '{key}'", parent, key, hint)
        if definition.get("@container") == "@language":
            return self.language_map(key, value, parent)
        if isinstance(value, CommentedSeq):
            items = [self.single(key, definition, item, value, index) for index, item in enumerate(value)]
            return _with_positions(items) if key in ORDERED_PART_KEYS else items
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
                suggestion = suggest(value, [t for t in self.terms if t[:1].isupper()])
                hint = f"did you mean '{suggestion}'?" if suggestion else None
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
        literal = ox.Literal(text, datatype=ox.NamedNode(XSD + datatype))
        self.typed.append(_Typed(key, value, literal, parent, where))
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


def _with_positions(items: list[Any]) -> list[Any]:
    """Each part defined here (a mapping with an id) numbered in the file's order; references by
    id are left alone, since the part's place is where it is written out."""
    for position, item in enumerate(items, start=1):
        if isinstance(item, dict) and "id" in item and POSITION not in item:
            item[POSITION] = {"@value": str(position), "@type": XSD + "positiveInteger"}
    return items


def yaml_to_jsonld(path: Path, text: str | None = None) -> tuple[dict[str, Any], dict[str, int]]:
    """The checked JSON-LD document for one YAML file, and the line where each identified node starts."""
    data = read_yaml(path, text)
    if data is None:
        raise LoadError(path, "the file is empty", 1)
    checker = _Checker(path)
    document = checker.document(data, len(text) if text is not None else path.stat().st_size)
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
