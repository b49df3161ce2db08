"""A plan written as StratML Part 1 (ISO 17469-1 Strategic Plan), the mapping of docs/stratml.md.

StratML has two levels below the plan (Goal, Objective) where our plans have up to three (focus area
or bearing, goal, initiative); the upper level present becomes Goal, what it holds Objective. Texts
are one language (StratML Part 1 has no language tags); identifiers are xsd:ID, so ids are turned
into NCNames and the plan's IRI travels in AdministrativeInformation/Source.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable
from xml.etree import ElementTree as ET

import pyoxigraph as ox

from loaders.authoring import POSITION
from loaders.stratml.schema import PART1_NAMESPACE, problems, safe_resource
from ontology import DCT, PG, SCHEMA, SKOS

NS = "{" + PART1_NAMESPACE + "}"
ORGANISATION_LINKS = (PG + "adoptedBy", PG + "preparedBy", PG + "responsibleBody", PG + "partner")
PART_LEVELS = (PG + "hasFocusArea", PG + "hasGoal")          # what becomes a StratML Goal, first present wins
OBJECTIVE_LINKS = (PG + "hasGoal", PG + "hasSuccessCriterion", PG + "hasInitiative")


class StratmlInvalid(Exception):
    """The written StratML breaks the schema: a defect of ours, reported with the schema's reason."""


@dataclass
class _Facts:
    """A file's triples by subject, and how to read a text in the chosen language."""

    by_subject: dict[str, list[tuple[str, ox.Term]]]
    lang: str

    def values(self, subject: str, predicate: str) -> list[ox.Term]:
        return [o for p, o in self.by_subject.get(subject, []) if p == predicate]

    def iris(self, subject: str, predicate: str) -> list[str]:
        return [o.value for o in self.values(subject, predicate) if isinstance(o, ox.NamedNode)]

    def text(self, subject: str, *predicates: str) -> str:
        """The text in the reader's language, else Danish, else English, else any (first predicate first)."""
        for predicate in predicates:
            literals = [o for o in self.values(subject, predicate) if isinstance(o, ox.Literal)]
            for lang in (self.lang, "da", "en", None):
                chosen = sorted(lit.value for lit in literals if lang is None or lit.language == lang)
                if chosen:
                    return chosen[0]
        return ""

    def position(self, subject: str) -> int:
        found = [o.value for o in self.values(subject, POSITION) if isinstance(o, ox.Literal) and o.value.isdigit()]
        return int(found[0]) if found else 1 << 30

    def ordered(self, subject: str, predicate: str) -> list[str]:
        return sorted(self.iris(subject, predicate), key=lambda iri: (self.position(iri), iri))


def _facts(quads: Iterable[ox.Quad], lang: str) -> _Facts:
    by_subject: dict[str, list[tuple[str, ox.Term]]] = {}
    for quad in quads:
        by_subject.setdefault(_key(quad.subject), []).append((quad.predicate.value, quad.object))
    return _Facts(by_subject, lang)


def _key(term: ox.Term) -> str:
    """A subject as a dictionary key: its IRI, or `_:name` for a node without one (a budget line)."""
    return term.value if isinstance(term, ox.NamedNode) else f"_:{term.value}"


class _Identifiers:
    """xsd:ID values, unique in the file (a part listed under two goals gets two): an id's last
    segments made into an NCName."""

    def __init__(self) -> None:
        self.given: set[str] = set()

    def __call__(self, iri: str) -> str:
        tail = "_".join(iri.rstrip("/").split("/")[-2:])
        name = re.sub(r"[^A-Za-z0-9._-]", "_", tail) or "id"
        name = name if re.match(r"[A-Za-z_]", name) else "_" + name
        candidate, number = name, 2
        while candidate in self.given:
            candidate, number = f"{name}-{number}", number + 1
        self.given.add(candidate)
        return candidate


def stratml_xml(quads: Iterable[ox.Quad], document: str, lang: str, name: Callable[[str], str]) -> bytes:
    """The document as a StratML Part 1 file; `name` gives the label of things defined elsewhere
    (the municipality, committees, target groups). Raises StratmlInvalid if the schema refuses it."""
    facts = _facts(quads, lang)
    ids = _Identifiers()
    plan = ET.Element(NS + "StrategicPlan")
    _text(plan, "Name", facts.text(document, DCT + "title", SKOS + "prefLabel") or name(document))
    _text(plan, "Description", facts.text(document, DCT + "description"))
    _text(plan, "OtherInformation", facts.text(document, SKOS + "note"), optional=True)
    core = ET.SubElement(plan, NS + "StrategicPlanCore")
    _organization(core, facts, document, name, ids)
    for link, element in ((PG + "hasVision", "Vision"), (PG + "hasMission", "Mission")):
        for part in facts.iris(document, link):
            statement = ET.SubElement(core, NS + element)
            _text(statement, "Description", facts.text(part, DCT + "description", SKOS + "prefLabel"))
            _text(statement, "Identifier", ids(part))
    written: set[str] = set()
    for goal in _goals(facts, document):
        written |= _goal(core, facts, goal, name, ids)
    rest = [i for i in facts.ordered(document, PG + "hasInitiative") if i not in written]
    if rest or core.find(NS + "Goal") is None:  # initiatives under no goal (and the one Goal the schema wants)
        _goal(core, facts, document, name, ids, objectives=rest)
    _administration(plan, facts, document)
    ET.register_namespace("", PART1_NAMESPACE)  # the plan in StratML's namespace without a prefix
    ET.indent(plan, space="  ")
    data = ET.tostring(plan, encoding="utf-8", xml_declaration=True)
    errors = problems(safe_resource("StratML", data), PART1_NAMESPACE, most=1)
    if errors:
        raise StratmlInvalid(errors[0])
    return data + b"\n"


def _goals(facts: _Facts, document: str) -> list[str]:
    for link in PART_LEVELS:
        parts = facts.ordered(document, link)
        if parts:
            return parts
    return []


def _goal(core: ET.Element, facts: _Facts, goal: str, name: Callable[[str], str], ids: _Identifiers,
          objectives: list[str] | None = None) -> set[str]:
    """One Goal with its Objectives; returns the objectives written."""
    element = ET.SubElement(core, NS + "Goal")
    _text(element, "Name", facts.text(goal, SKOS + "prefLabel", DCT + "title") or name(goal))
    _text(element, "Description", facts.text(goal, DCT + "description", PG + "targetStatement"))
    _text(element, "Identifier", ids(goal))
    _sequence(element, facts, goal)
    _stakeholders(element, facts, goal, name)
    _text(element, "OtherInformation", _other_information(facts, goal), optional=True)
    if objectives is None:
        objectives = [o for link in OBJECTIVE_LINKS for o in facts.ordered(goal, link)]
    for objective in dict.fromkeys(objectives):
        item = ET.SubElement(element, NS + "Objective")
        _text(item, "Name", facts.text(objective, SKOS + "prefLabel", DCT + "title") or name(objective))
        _text(item, "Description", facts.text(objective, DCT + "description", PG + "targetStatement"), optional=True)
        _text(item, "Identifier", ids(objective))
        _sequence(item, facts, objective)
        _stakeholders(item, facts, objective, name)
        _text(item, "OtherInformation", _other_information(facts, objective), optional=True)
    return set(objectives)


def _organization(core: ET.Element, facts: _Facts, document: str, name: Callable[[str], str],
                  ids: _Identifiers) -> None:
    for municipality in facts.iris(document, PG + "municipality"):
        element = ET.SubElement(core, NS + "Organization")
        _text(element, "Name", name(municipality))
        _text(element, "Identifier", ids(municipality))
        _stakeholders(element, facts, document, name)


def _stakeholders(parent: ET.Element, facts: _Facts, subject: str, name: Callable[[str], str]) -> None:
    """Bodies that adopt, prepare, answer for or partner in it (organisations); target groups (groups)."""
    bodies = dict.fromkeys(iri for link in ORGANISATION_LINKS for iri in facts.iris(subject, link))
    groups = dict.fromkeys(facts.iris(subject, DCT + "audience"))
    for iri, kind in [(b, "Organization") for b in bodies] + [(g, "Generic_Group") for g in groups]:
        element = ET.SubElement(parent, NS + "Stakeholder", {"StakeholderTypeType": kind})
        _text(element, "Name", name(iri))


def _sequence(element: ET.Element, facts: _Facts, subject: str) -> None:
    notation = [o.value for o in facts.values(subject, SKOS + "notation") if isinstance(o, ox.Literal)]
    position = facts.position(subject)
    if notation or position < 1 << 30:
        _text(element, "SequenceIndicator", notation[0] if notation else str(position))


def _other_information(facts: _Facts, subject: str) -> str:
    """What StratML Part 1 has no element for, in a line: the document's own word for the level, the
    yearly budget (amount x unit, currency), the target and its deadline, the IRI it came from."""
    lines = []
    term = facts.text(subject, PG + "documentTerm")
    if term:
        lines.append(term)
    for line in sorted(_budget_lines(facts, subject)):
        lines.append(line)
    for predicate in (PG + "deadline", PG + "deadlineYear"):
        lines += [f"{predicate.rsplit('#', 1)[1]}: {o.value}" for o in facts.values(subject, predicate)]
    lines.append(subject)
    return "; ".join(lines)


def _budget_lines(facts: _Facts, subject: str) -> list[str]:
    found = []
    for line in facts.values(subject, PG + "hasBudgetAllocation"):
        values = {p: o.value for p, o in facts.by_subject.get(_key(line), [])}
        year, amount = values.get(PG + "fiscalYear"), values.get(SCHEMA + "value")
        if year and amount:
            multiplier = int(values.get(PG + "unitMultiplier", "1"))
            found.append(f"{year}: {_amount(amount, multiplier)} {values.get(SCHEMA + 'currency', '')}".rstrip())
    return found


def _amount(amount: str, multiplier: int) -> str:
    try:
        value = float(amount) * multiplier
    except ValueError:
        return amount
    return f"{value:.0f}" if value == int(value) else f"{value}"


def _administration(plan: ET.Element, facts: _Facts, document: str) -> None:
    admin = ET.SubElement(plan, NS + "AdministrativeInformation")
    start = [o.value for o in facts.values(document, PG + "validFrom")]
    end = [o.value for o in facts.values(document, PG + "validUntil")]
    adopted = [o.value for o in facts.values(document, DCT + "dateAccepted")]
    if start:
        _text(admin, "StartDate", f"{start[0]}-01-01")
    if end:
        _text(admin, "EndDate", f"{end[0]}-12-31")
    if adopted:
        _text(admin, "PublicationDate", adopted[0])
    _text(admin, "Source", document)


def _text(parent: ET.Element, tag: str, text: str, optional: bool = False) -> None:
    if optional and not text:
        return
    ET.SubElement(parent, NS + tag).text = text

