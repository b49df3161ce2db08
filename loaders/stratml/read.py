"""A StratML file (Part 1 strategic plan, or Part 2 performance plan/report) read into a *draft* in
the authoring format: the plan, its vision and mission, each Goal as a focus area holding each of its
Objectives as a goal, every node with its place in the file as source. The draft is loaded nowhere;
a person reviews it first (municipality, committees, target groups are not guessed).

The mapping mirrors write.py (docs/stratml.md). A file that breaks its schema is still read, the
problems listed as warnings, because published plans often do (the vendored sample does); strict
mode refuses it instead. XML that is not well-formed, or declares a DTD or entities, is refused.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from loaders.errors import LoadError
from loaders.stratml.schema import ROOTS, namespace_of, problems, safe_resource

SLUG_LENGTH = 60


@dataclass
class Draft:
    """The draft's YAML text, its document id, and what was wrong with the file (schema problems)."""

    text: str
    document: str
    warnings: list[str] = field(default_factory=list)


class _Reader:
    """Reads elements by local name in the file's StratML namespace."""

    def __init__(self, path: Path, namespace: str, lang: str) -> None:
        self.path, self.ns, self.lang = path, "{" + namespace + "}", lang
        self.used_ids: set[str] = set()

    def text(self, element: Element | None, tag: str) -> str:
        child = element.find(self.ns + tag) if element is not None else None
        return " ".join((child.text or "").split()) if child is not None else ""

    def children(self, element: Element | None, tag: str) -> list[Element]:
        return element.findall(self.ns + tag) if element is not None else []

    def texts(self, value: str) -> CommentedMap:
        mapping = CommentedMap({self.lang: value})
        if len(value) < 80:
            mapping.fa.set_flow_style()
        return mapping

    def source(self, document: str, at: str, quote: str) -> CommentedMap:
        """The node's place in the file; the quote in the draft's language (the format's default is Danish)."""
        source = CommentedMap({"document": document, "at": at})
        if quote:
            source["quote"] = quote if self.lang == "da" else _flow({"@value": quote, "@language": self.lang})
        source.fa.set_flow_style()
        return source

    def unique(self, base: str) -> str:
        candidate, number = base, 2
        while candidate in self.used_ids:
            candidate, number = f"{base}-{number}", number + 1
        self.used_ids.add(candidate)
        return candidate


def stratml_draft(path: Path | str, data: bytes, lang: str = "en", document_id: str | None = None,
                  strict: bool = False) -> Draft:
    """The draft for one StratML file; LoadError (one line naming the file) when it cannot be one."""
    path = Path(path)
    resource = safe_resource(path, data)
    namespace = namespace_of(resource)
    root = resource.root
    local = root.tag.rsplit("}", 1)[-1]
    if namespace not in ROOTS or local != ROOTS[namespace]:
        raise LoadError(path, f"not a StratML plan: the root element is <{local}>"
                        + (f" in namespace {namespace}" if namespace else " without a namespace"),
                        hint="expected <StrategicPlan> (ISO 17469-1) or <PerformancePlanOrReport> (StratML Part 2)")
    found = problems(resource, namespace)
    if found and strict:
        raise LoadError(path, f"breaks the StratML schema: {found[0]}")
    reader = _Reader(path, namespace, lang)
    name = reader.text(root, "Name")
    if not name:
        raise LoadError(path, "the plan has no <Name>", hint="StratML requires the plan's name")
    slug = _slug(name)
    document = document_id or f"doc/stratml/{slug}"
    source_id = f"source/stratml/{slug}"
    plan = _plan(reader, root, document, source_id)
    source_node = CommentedMap([("id", source_id), ("type", "SourceDocument"), ("title", reader.texts(name)),
                                ("fileName", path.name)])
    top = CommentedMap()
    top["graph"] = CommentedSeq([plan, source_node])
    header = (f"Draft read from the StratML file {path.name}: review it before loading (municipality, bodies and\n"
              "target groups are not guessed; Goals became focus areas, Objectives goals, see docs/stratml.md).\n")
    header += "".join(f"Schema problem: {line}\n" for line in found)
    return Draft(_dump(top, header), document, found)


def _plan(reader: _Reader, root: Element, document: str, source_id: str) -> CommentedMap:
    plan = CommentedMap([("id", document), ("type", "Strategy")])
    name = reader.text(root, "Name")
    plan["title"] = reader.texts(name)
    _describe(reader, plan, root, with_note=False)
    plan["status"] = "Draft"
    admin = root.find(reader.ns + "AdministrativeInformation")
    for key, tag in (("validFrom", "StartDate"), ("validUntil", "EndDate")):
        year = reader.text(admin, tag)[:4]
        if re.fullmatch(r"[0-9]{4}", year):
            plan[key] = int(year)
    homepage = reader.text(admin, "Source")
    if re.match(r"https?://\S+$", homepage):
        plan["homepage"] = homepage
    core = root.find(reader.ns + "StrategicPlanCore")
    notes = [reader.text(root, "OtherInformation")] + [_organisation_line(reader, o)
                                                       for o in reader.children(core, "Organization")]
    if any(notes):
        plan["note"] = reader.texts(" ".join(n for n in notes if n))
    plan["source"] = reader.source(source_id, "StrategicPlan/Name", name)
    for key, tag in (("vision", "Vision"), ("mission", "Mission")):
        element = core.find(reader.ns + tag) if core is not None else None
        statement = reader.text(element, "Description")
        if statement:
            node = CommentedMap([("id", f"{document}/{key}"), ("type", tag), ("label", reader.texts(statement))])
            node["source"] = reader.source(source_id, f"StrategicPlanCore/{tag}", statement)
            plan[key] = node
    goals = [_part(reader, goal, document, source_id, "FocusArea", f"Goal[{number}]", number)
             for number, goal in enumerate(reader.children(core, "Goal"), start=1)]
    if goals:
        plan["focusAreas"] = CommentedSeq(g for g in goals if g is not None)
    return plan


def _part(reader: _Reader, element: Element, parent: str, source_id: str, kind: str, at: str,
          number: int) -> CommentedMap | None:
    """A Goal as a focus area with its Objectives as goals (kind Goal); a part without a name is skipped."""
    name = reader.text(element, "Name") or reader.text(element, "Description")
    if not name:
        return None
    word = "goal" if kind == "FocusArea" else "objective"
    document = parent if kind == "FocusArea" else parent.rsplit("/", 1)[0]
    node = CommentedMap([("id", reader.unique(f"{document}/{_slug(name)}")), ("type", kind)])
    node["documentTerm"] = _flow({"en": word})
    sequence = reader.text(element, "SequenceIndicator")
    if sequence:
        node["notation"] = sequence
    node["label"] = reader.texts(name)
    _describe(reader, node, element, skip=name)
    node["source"] = reader.source(source_id, f"StrategicPlanCore/{at}", name)
    if kind == "FocusArea":
        objectives = [_part(reader, objective, node["id"], source_id, "Goal", f"{at}/Objective[{index}]", index)
                      for index, objective in enumerate(reader.children(element, "Objective"), start=1)]
        if any(objectives):
            node["goals"] = CommentedSeq(o for o in objectives if o is not None)
    return node


def _describe(reader: _Reader, node: CommentedMap, element: Element, skip: str = "", with_note: bool = True) -> None:
    """Description as description; other information and stakeholders (whom the draft does not guess
    at as bodies or target groups) as a note for the reviewer."""
    description = reader.text(element, "Description")
    if description and description != skip:
        node["description"] = reader.texts(description)
    stakeholders = [_stakeholder_line(reader, s) for s in reader.children(element, "Stakeholder")]
    other = " ".join(t for t in [reader.text(element, "OtherInformation")] + stakeholders if t)
    if other and with_note:
        node["note"] = reader.texts(other)


def _stakeholder_line(reader: _Reader, element: Element) -> str:
    name, kind = reader.text(element, "Name"), element.get("StakeholderTypeType", "")
    return f"Stakeholder: {name}" + (f" ({kind})." if kind else ".") if name else ""


def _organisation_line(reader: _Reader, element: Element) -> str:
    name, acronym = reader.text(element, "Name"), reader.text(element, "Acronym")
    return f"Organization: {name}" + (f" ({acronym})." if acronym else ".") if name else ""


def _slug(text: str) -> str:
    """An id segment from a name: ascii letters and digits, Danish letters spelt out (æ ae, ø oe, å aa)."""
    text = text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:SLUG_LENGTH].strip("-")
    return slug or "plan"


def _flow(entries: dict[str, Any]) -> CommentedMap:
    mapping = CommentedMap(entries)
    mapping.fa.set_flow_style()
    return mapping


def _dump(data: CommentedMap, header: str) -> str:
    yaml = YAML(typ="rt")
    yaml.width = 1 << 16
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_unicode = True
    out = StringIO()
    yaml.dump(data, out)
    # comment lines quote the file (schema problems): anything YAML could take for a line break goes
    return "".join("# " + "".join(c if c.isprintable() else " " for c in line) + "\n"
                   for line in header.splitlines()) + out.getvalue()
