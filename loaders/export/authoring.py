"""One file's quads written back as an authoring YAML file: the same graph when it is loaded again.

RDF keeps neither nesting nor order, so both are rebuilt: a part that has a place in a list of the
plan's structure (pg:positionInSource, stated by the loader) is written in that list at that place;
other identified parts are written under the structural key that holds them (processSteps, budget,
...); parts without an id (sources, budget lines) inline where they are used; the rest at the top
(`graph:`). Keys come in the order of the hand-made files. Anything the context has no plain key
for is still written (full IRI keys, `{"@value": ..., "@type": ...}`), so nothing is lost.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from io import StringIO
from typing import Any, Iterable

import pyoxigraph as ox
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import FoldedScalarString

from loaders.authoring import ORDERED_PART_KEYS, POSITION
from ontology import RDF, XSD, authoring_context

Term = ox.NamedNode | ox.BlankNode

# The keys in the order the hand-made files mostly write them (the order that agrees with most of their
# key pairs): what a node is and where it belongs, its names, its facts and links, its notes and
# sources, then the lists of parts it holds.
KEY_ORDER = [
    "id", "type", "fileName", "inScheme", "topConceptOf", "broader", "closeMatch", "documentTerm", "notation",
    "step", "by", "about", "date", "dateAsStated", "title", "label", "altLabel", "municipality", "status",
    "validFrom", "validUntil", "description", "fundingUntil", "adoptedBy", "adoptedOn", "adoptedInYear",
    "revisedIn", "preparedBy", "implements", "partOf", "replaces", "coordinatesWith", "mandatedBy", "legalBasis",
    "dueDate", "decidedBy", "decidedOn", "underBearing", "supports", "responsible", "target", "deadline",
    "deadlineYear", "targetGroups", "themes", "partners", "memberOf", "familyRole", "group", "annualSize",
    "sizeQualifier", "asStated", "totalFor", "year", "amount", "currency", "unitMultiplier", "perYear",
    "targetGroupSizes", "budget", "evidenceBased", "continues", "relatedTo", "unitOf", "homepage", "publisher",
    "document", "at", "quote", "note", "source", "vision", "mission", "focusAreas", "goals", "successCriteria",
    "initiatives", "budgetLines", "statedTotals", "processSteps", "personas",
]
# Keys under which an identified part is written out where it is used (it has no place in a list).
NESTING_KEYS = ("vision", "mission", "processSteps", "personas", "targetGroupSizes", "budget")
LIST_KEYS = ORDERED_PART_KEYS + ("processSteps", "personas", "targetGroupSizes", "budget", "targetGroups", "themes")
# The order of the nodes at the top of a `graph:` file: vocabularies and bodies before documents.
TYPE_RANK = ["ConceptScheme", "Municipality", "CityCouncil", "Committee", "Administration", "AdvisoryBody",
             "ExternalPartner", "Concept", "SourceDocument", "Policy", "Strategy", "ActionPlan", "Plan"]
FLOW_TEXT_LIMIT = 100   # language maps longer than this are written as blocks
FOLD_WIDTH = 110        # long texts in those blocks are folded (>-) at about this width, as by hand
NO_WRAP = 1 << 16       # anything else stays on its line, as in the hand-made files
_JSONLD_KEYWORD_ALIASES = {"id", "type", "graph"}  # a relative id spelled like these would be read as the keyword
_INTEGER = re.compile(r"^-?(0|[1-9][0-9]*)$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


@dataclass
class _Key:
    """One context term as the exporter needs it: its key, and how values under it are read."""

    name: str
    kind: str             # "language", "id", "vocab", "typed", "plain"
    datatype: str = ""    # full XSD IRI for "typed"
    language: str = ""    # the default language of a plain term (quote: da)


@dataclass
class _Context:
    """The authoring context read backwards: predicate IRI -> key, class IRI -> term, prefixes."""

    keys: dict[str, _Key] = field(default_factory=dict)
    terms: dict[str, str] = field(default_factory=dict)
    prefixes: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls) -> "_Context":
        context = cls()
        raw = authoring_context()
        context.prefixes = {k: v for k, v in raw.items() if isinstance(v, str) and v.endswith(("#", "/"))}
        for name, value in raw.items():
            if name.startswith("@") or name in ("id", "type", "graph") or name in context.prefixes:
                continue
            definition = value if isinstance(value, dict) else {"@id": value}
            iri = context.expand(definition["@id"])
            if name[:1].isupper():
                context.terms[iri] = name
                continue
            context.keys[iri] = context.key_for(name, definition)
        return context

    def key_for(self, name: str, definition: dict[str, Any]) -> _Key:
        if definition.get("@container") == "@language":
            return _Key(name, "language")
        kind = definition.get("@type", "")
        if kind == "@id":
            return _Key(name, "id")
        if kind == "@vocab":
            return _Key(name, "vocab")
        if kind:
            return _Key(name, "typed", datatype=self.expand(kind))
        return _Key(name, "plain", language=definition.get("@language", ""))

    def expand(self, name: str) -> str:
        prefix, _, local = name.partition(":")
        return self.prefixes[prefix] + local if local and prefix in self.prefixes else name

    def compact(self, iri: str) -> str:
        """A class or value IRI as a term (ActionPlan), a prefixed name (eli:LegalResource) or itself."""
        if iri in self.terms:
            return self.terms[iri]
        for prefix, namespace in self.prefixes.items():
            local = iri[len(namespace):]
            if iri.startswith(namespace) and local and re.fullmatch(r"[A-Za-z_][\w.-]*", local):
                return f"{prefix}:{local}"
        return iri


class _Graph:
    """The triples of one file, grouped by subject, with where each node is to be written."""

    def __init__(self, quads: Iterable[ox.Quad]) -> None:
        self.facts: dict[Term, list[tuple[str, Any]]] = {}
        for quad in quads:
            if isinstance(quad.graph_name, ox.NamedNode) and quad.subject == quad.graph_name:
                continue  # the loader's record of the file itself (pg:fileName), not something the file says
            self.facts.setdefault(quad.subject, []).append((quad.predicate.value, quad.object))
        # node -> (parent, predicate, slot or None): where it is written out; absent means at the top
        self.home: dict[Term, tuple[Term, str, int | None]] = {}
        self.explicit_position: set[Term] = set()

    def position(self, node: Term) -> int | None:
        values = [o for p, o in self.facts.get(node, []) if p == POSITION]
        if len(values) != 1 or not isinstance(values[0], ox.Literal) or not values[0].value.isdigit():
            return None
        number = int(values[0].value)
        return number if number > 0 and values[0].value == str(number) else None

    def children(self, parent: Term, predicate: str) -> list[Any]:
        return [o for p, o in self.facts.get(parent, []) if p == predicate]


def _place_parts(graph: _Graph, context: _Context, root: Term | None) -> None:
    """Choose where every described node is written, so each is defined once and in its right place."""
    ordered = {_predicate_of(context, key) for key in ORDERED_PART_KEYS}
    nesting = {_predicate_of(context, key) for key in NESTING_KEYS}
    # 1. parts with a place: the longest lists first (the document's own list of initiatives before
    #    a focus area's list of the same ones by reference), the root's lists before others
    lists = [(parent, p, graph.children(parent, p)) for parent, facts in graph.facts.items()
             for p in sorted({p for p, _ in facts if p in ordered})]
    lists.sort(key=lambda item: (item[0] != root, -len(item[2]), str(item[0]), item[1]))
    for parent, predicate, items in lists:
        taken: set[int] = set()
        for child in items:
            number = graph.position(child)
            if (child in graph.facts and child not in graph.home and number is not None and number <= len(items)
                    and number not in taken and child != parent):
                graph.home[child] = (parent, predicate, number)
                taken.add(number)
    # 2. identified parts without a place, under a structural key that holds them
    for parent, facts in sorted(graph.facts.items(), key=lambda item: (item[0] != root, str(item[0]))):
        for predicate, child in facts:
            if (predicate in nesting and child in graph.facts and child not in graph.home and child != parent
                    and isinstance(child, ox.NamedNode) and graph.position(child) is None):
                graph.home[child] = (parent, predicate, None)
    # 3. nodes without an id, inline where they are used once
    used: dict[Term, list[tuple[Term, str]]] = {}
    for parent, facts in graph.facts.items():
        for predicate, child in facts:
            if isinstance(child, ox.BlankNode) and child in graph.facts and predicate != RDF + "type":
                used.setdefault(child, []).append((parent, predicate))
    for child, users in used.items():
        if len(users) == 1 and users[0][0] != child and child not in graph.home:
            graph.home[child] = (users[0][0], users[0][1], None)
    _break_cycles(graph, root)


def _break_cycles(graph: _Graph, root: Term | None) -> None:
    """A node whose chain of homes never reaches the top (a part inside its own part) goes to the top."""
    for node in list(graph.home):
        seen = {node}
        current = node
        while current in graph.home:
            current = graph.home[current][0]
            if current in seen or current == node:
                break
            seen.add(current)
        else:
            continue
        graph.home.pop(node, None)
    if root is not None:
        graph.home.pop(root, None)
    for node in graph.facts:
        if node not in graph.home and graph.position(node) is not None:
            graph.explicit_position.add(node)


def _predicate_of(context: _Context, key: str) -> str:
    return next(iri for iri, k in context.keys.items() if k.name == key)


class _Writer:
    """Turns each node's facts into an ordered YAML mapping."""

    def __init__(self, graph: _Graph, context: _Context, base: str) -> None:
        self.graph, self.context, self.base = graph, context, base
        self.blank_names: dict[ox.BlankNode, str] = {}
        # keys written as lists even with one item, as the hand-made files do
        self.list_predicates = {_predicate_of(context, key) for key in LIST_KEYS}

    def reference(self, term: Term) -> str:
        """A node as an id: relative to the base where that reads back the same, else the full IRI."""
        if isinstance(term, ox.BlankNode):
            return self.blank_names.setdefault(term, f"_:b{len(self.blank_names) + 1}")
        iri = term.value
        rest = iri[len(self.base):] if iri.startswith(self.base) else ""
        if (rest and ":" not in rest.split("/")[0] and rest[0] not in "/?#." and rest not in _JSONLD_KEYWORD_ALIASES
                and not re.search(r"(^|/)\.\.?(/|$)", rest)):
            return rest
        return iri

    def node(self, subject: Term) -> CommentedMap:
        grouped: dict[str, list[Any]] = {}
        for predicate, value in self.graph.facts.get(subject, []):
            if predicate == POSITION and subject not in self.graph.explicit_position:
                continue
            grouped.setdefault(predicate, []).append(value)
        entries: dict[str, Any] = {}
        home = self.graph.home.get(subject)
        if isinstance(subject, ox.NamedNode) or home is None or home[2] is not None:  # a place needs an id
            entries["id"] = self.reference(subject)
        types = grouped.pop(RDF + "type", [])
        if types:
            names = sorted(self.context.compact(t.value) if isinstance(t, ox.NamedNode) else self.reference(t)
                           for t in types)
            entries["type"] = names[0] if len(names) == 1 else _flow_list(names)
        for predicate in sorted(grouped):
            for key, value in self.values(subject, predicate, grouped[predicate]):
                entries[key] = value
        return _ordered(entries)

    def values(self, subject: Term, predicate: str, objects: list[Any]) -> list[tuple[str, Any]]:
        """The key(s) and value(s) for one predicate; what its key cannot say goes under the full IRI."""
        key = self.context.keys.get(predicate)
        if key is None:
            return [(predicate, self.plain_values(subject, predicate, objects))]
        fits = [o for o in objects if self.fits(key, o)]
        rest = [o for o in objects if not self.fits(key, o)]
        out: list[tuple[str, Any]] = []
        if fits:
            out.append((key.name, self.key_value(key, subject, predicate, fits)))
        if rest:
            out.append((predicate, self.plain_values(subject, predicate, rest)))
        return out

    def fits(self, key: _Key, value: Any) -> bool:
        if key.kind == "language":
            return isinstance(value, ox.Literal) and bool(value.language)
        if key.kind in ("id", "vocab"):
            return isinstance(value, (ox.NamedNode, ox.BlankNode)) and (key.kind == "id" or isinstance(value, ox.NamedNode))
        if key.kind == "typed":
            return isinstance(value, ox.Literal) and not value.language and value.datatype.value == key.datatype
        if isinstance(value, ox.Literal):
            return (value.language or "") == key.language and (key.language or value.datatype.value == XSD + "string")
        return isinstance(value, (ox.NamedNode, ox.BlankNode))

    def key_value(self, key: _Key, subject: Term, predicate: str, objects: list[Any]) -> Any:
        if key.kind == "language":
            texts: dict[str, list[str]] = {}
            for literal in objects:
                texts.setdefault(literal.language, []).append(literal.value)
            return _language_map({lang: sorted(values) for lang, values in sorted(texts.items())})
        if key.kind == "vocab":
            return _one_or_list(sorted(self.context.compact(o.value) for o in objects))
        if key.kind == "typed":
            return _one_or_list(sorted((_native(o) for o in objects), key=str))
        if key.kind == "plain":
            return _one_or_list([self.plain(o, key.language) for o in sorted(objects, key=str)])
        return self.linked(subject, predicate, objects)

    def linked(self, subject: Term, predicate: str, objects: list[Any]) -> Any:
        """References and the parts written here: a placed part at its place, the others after it."""
        defined = [o for o in objects if self.graph.home.get(o, (None, None))[:2] == (subject, predicate)]
        slots = {self.graph.home[o][2]: o for o in defined if self.graph.home[o][2] is not None}
        unplaced = [o for o in defined if self.graph.home[o][2] is None]
        references = sorted((o for o in objects if o not in defined), key=self.reference)
        items: list[Any] = []
        inline = sorted((self.node(o) for o in unplaced), key=_sort_text)
        for slot in range(1, len(objects) + 1):
            if slot in slots:
                items.append(self.node(slots[slot]))
            elif references:
                items.append(self.reference(references.pop(0)))
            elif inline:
                items.append(inline.pop(0))
        items += [self.reference(r) for r in references] + inline
        if len(items) == 1 and not slots and predicate not in self.list_predicates:
            return items[0]
        return _flow_list(items) if all(isinstance(i, str) for i in items) else _block_list(items)

    def plain_values(self, subject: Term, predicate: str, objects: list[Any]) -> Any:
        values = [self.plain(o) if not isinstance(o, (ox.NamedNode, ox.BlankNode))
                  else (self.node(o) if self.graph.home.get(o, (None, None))[:2] == (subject, predicate)
                        else _flow_map({"id": self.reference(o)}))
                  for o in sorted(objects, key=str)]
        return _one_or_list(values)

    def plain(self, value: Any, language: str = "") -> Any:
        """A literal under a key without a datatype (whose default language is `language`): text as text,
        anything else as a value object."""
        if isinstance(value, (ox.NamedNode, ox.BlankNode)):
            return _flow_map({"id": self.reference(value)})
        if value.language and value.language == language:
            return value.value
        if value.language:
            return _flow_map({"@value": value.value, "@language": value.language})
        if value.datatype.value == XSD + "string" and not language:
            return value.value
        return _flow_map({"@value": value.value, "@type": value.datatype.value})


def _native(literal: ox.Literal) -> Any:
    """A typed value as YAML would write it by hand (2019, 3300, true, 2018-12-13), kept as quoted text
    where the plain form would read back differently (0900, 1.10)."""
    text, datatype = literal.value, literal.datatype.value[len(XSD):]
    if datatype == "boolean" and text in ("true", "false"):
        return text == "true"
    if _INTEGER.match(text) and datatype != "date":
        return int(text)
    if datatype == "decimal" and re.fullmatch(r"-?[0-9]+\.[0-9]+", text) and repr(float(text)) == text:
        return float(text)
    if datatype == "date" and _DATE.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text
    return text


def _one_or_list(values: list[Any]) -> Any:
    if len(values) == 1:
        return values[0]
    return _flow_list(values) if all(isinstance(v, (str, int, float)) for v in values) else _block_list(values)


def _ordered(entries: dict[str, Any]) -> CommentedMap:
    """Keys in KEY_ORDER; keys outside it (full IRIs) before the notes; lists of defined parts last."""
    rank = {key: index for index, key in enumerate(KEY_ORDER)}
    note_rank = rank["note"]

    def place(key: str) -> tuple[int, int, str]:
        value = entries[key]
        maps = [v for v in value if isinstance(v, CommentedMap)] if isinstance(value, CommentedSeq) else []
        holds_parts = any("id" in v for v in maps) or (maps and key in ORDERED_PART_KEYS)
        if holds_parts and key in ORDERED_PART_KEYS + NESTING_KEYS:  # parts defined here come last
            return (1, rank[key], key)
        if key in ORDERED_PART_KEYS + ("processSteps", "personas"):  # a list of references: before the notes
            return (0, note_rank - 1, key)
        return (0, rank.get(key, note_rank - 1), key)

    mapping = CommentedMap()
    for key in sorted(entries, key=place):
        mapping[key] = entries[key]
    if _is_flat(mapping):
        mapping.fa.set_flow_style()
    return mapping


def _is_flat(mapping: CommentedMap) -> bool:
    """A small node of plain values (a budget line, a source) reads best on one line."""
    return "id" not in mapping and all(not isinstance(v, (CommentedMap, CommentedSeq)) or v.fa.flow_style()
                                       for v in mapping.values())


def _language_map(texts: dict[str, list[str]]) -> CommentedMap:
    mapping = CommentedMap()
    flow = sum(len(v) for values in texts.values() for v in values) <= FLOW_TEXT_LIMIT
    for lang, values in texts.items():
        values = values if flow else [_folded(v) for v in values]
        mapping[lang] = values[0] if len(values) == 1 else _block_list(values)
    if flow:
        mapping.fa.set_flow_style()
    return mapping


def _folded(text: str) -> str:
    """Long text as a folded block (>-), when folding reads back exactly: single spaces, no line breaks."""
    if len(text) <= FOLD_WIDTH or "\n" in text or "  " in text or text != text.strip() or "\t" in text:
        return text
    positions, line_start = [], 0
    for index, char in enumerate(text):
        if char == " " and index - line_start > FOLD_WIDTH - 10:
            positions.append(index)
            line_start = index + 1
    folded = FoldedScalarString(text)
    folded.fold_pos = positions  # type: ignore[attr-defined]
    return folded


def _flow_map(entries: dict[str, Any]) -> CommentedMap:
    mapping = CommentedMap(entries)
    mapping.fa.set_flow_style()
    return mapping


def _flow_list(items: list[Any]) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def _block_list(items: list[Any]) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_block_style()
    return seq


def _sort_text(value: Any) -> str:
    """A key to sort nodes without ids by (a budget's years, a total's amounts in numeric order)."""
    if isinstance(value, dict):
        return "{" + ",".join(f"{k}:{_sort_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_sort_text(v) for v in value) + "]"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:020d}"
    return str(value)


def authoring_data(quads: Iterable[ox.Quad], base: str, root: str | None = None) -> CommentedMap:
    """The file as YAML data: the root node at the top when everything nests under it, else `graph:`."""
    graph = _Graph(quads)
    context = _Context.read()
    root_term = ox.NamedNode(root) if root else None
    if root_term is not None and root_term not in graph.facts:
        root_term = None
    _place_parts(graph, context, root_term)
    writer = _Writer(graph, context, base)
    top = [node for node in graph.facts if node not in graph.home]
    top.sort(key=lambda node: (node != root_term, _type_rank(graph, context, node), writer.reference(node)))
    nodes = [writer.node(node) for node in top]
    for node in nodes:
        node.fa.set_block_style()
    if len(nodes) == 1 and root_term is not None:
        return nodes[0]
    document = CommentedMap()
    document["graph"] = _block_list(nodes)
    return document


def _type_rank(graph: _Graph, context: _Context, node: Term) -> int:
    names = [context.compact(o.value) for p, o in graph.facts.get(node, []) if p == RDF + "type"]
    ranks = [TYPE_RANK.index(n) for n in names if n in TYPE_RANK]
    return min(ranks) if ranks else len(TYPE_RANK)


def authoring_yaml(quads: Iterable[ox.Quad], base: str, root: str | None = None, header: str = "") -> str:
    """The authoring YAML text of one file's quads (header: comment lines to open the file with)."""
    yaml = YAML(typ="rt")
    yaml.width = NO_WRAP
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_unicode = True
    out = StringIO()
    yaml.dump(authoring_data(quads, base, root), out)
    comment = "".join(f"# {line}\n".replace("# \n", "#\n") for line in header.splitlines())
    return comment + out.getvalue()
