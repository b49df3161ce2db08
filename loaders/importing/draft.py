"""The draft written in the authoring format, ready for a person to review.

Every node carries `source` (the imported file as a SourceDocument, the place in words, the quote).
The importer's confidence travels as a YAML comment at the end of each node's `id` line,
`# draft: confidence 0.90 (why)`: comments are invisible to the loader, so the draft validates and
loads exactly as a hand-written file would, and a reviewer (or a review page reading the comments
with ruamel.yaml) sees how sure the importer was. New target groups and bearings the importer
proposes are written as their own nodes, marked `# draft: proposed ...`.
"""
from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from loaders.importing.amounts import as_yaml_number
from loaders.importing.matching import Match, slug
from loaders.importing.nodes import DraftNode, DraftPlan, Found
from loaders.importing.reading import Place
from loaders.importing.wording import Reason
from ontology.texts import translate

QUOTE_MOST = 400
_CHILD_KEYS = {"FocusArea": "focusAreas", "Bearing": "focusAreas", "Goal": "goals",
               "SuccessCriterion": "successCriteria", "Initiative": "initiatives", "ReservedFund": "initiatives"}
_TERMS_EN = {"pejlemærke": "bearing", "kerneområde": "core area", "fokusområde": "focus area",
             "indsatsområde": "area of effort", "fokuspunkt": "focus point", "målsætning": "objective", "mål": "goal",
             "succeskriterie": "success criterion", "indsats": "initiative", "tema": "theme"}


def _flow(**items: Any) -> CommentedMap:
    mapping = CommentedMap(items)
    mapping.fa.set_flow_style()
    return mapping


def _text(da: str) -> CommentedMap:
    return _flow(da=da)


class DraftWriter:
    """Turns a DraftPlan into the YAML text of one `graph:` file."""

    def __init__(self, plan: DraftPlan, source_file: Path, municipality: str | None) -> None:
        self.plan, self.source_file, self.municipality = plan, source_file, municipality
        self.lang = plan.lang  # places and reasons in the document's language, as the hand files write them
        owner = municipality.split("/")[-1] if municipality else "import"
        self.plan_id = f"doc/{owner}/{slug(plan.title, 50)}"
        self.source_id = f"source/import/{slug(source_file.stem, 50)}"
        self.used: set[str] = set()
        self.proposed: dict[str, CommentedMap] = {}
        self.bearings: dict[str, str] = {}  # proposed bearings: label -> id

    def node_id(self, label: str, kind: str) -> str:
        base = f"{self.plan_id}/{slug(label, 50) if label else kind.lower()}"
        candidate, number = base, 2
        while candidate in self.used:
            candidate, number = f"{base}-{number}", number + 1
        self.used.add(candidate)
        return candidate

    def source(self, found: Found) -> CommentedMap:
        quote = found.quote if len(found.quote) <= QUOTE_MOST else found.quote[:QUOTE_MOST].rsplit(" ", 1)[0] + " ..."
        return _flow(document=self.source_id, at=self.place(found.place), quote=quote or "-")

    def place(self, place: Place) -> str:
        return place.describe(self.lang) or translate("importing.place.whole_document", self.lang)

    def mark(self, mapping: CommentedMap, found: Found, extra: str = "") -> None:
        mapping.yaml_add_eol_comment(f"draft: confidence {found.confidence:.2f} ({found.why.text(self.lang)}){extra}",
                                     "id")

    # -------------------------------------------------------------------------------- the document
    def document(self) -> CommentedMap:
        plan = self.plan
        doc = CommentedMap()
        doc["id"] = self.plan_id
        doc["type"] = plan.kind
        doc["title"] = _text(plan.title)
        if self.municipality:
            doc["municipality"] = self.municipality
        if plan.valid_from:
            doc["validFrom"] = plan.valid_from
        if plan.valid_until:
            doc["validUntil"] = plan.valid_until
        status_found = plan.found or Found(Place(), plan.title, 0.5, Reason("file_name"))
        doc["status"] = "Draft"
        doc["source"] = self.source(status_found)
        if plan.bodies:
            named = [f"  {m.id} ('{m.label}', {self.place(place)})" for m, place in plan.bodies]
            doc.yaml_set_comment_before_after_key(
                "status", before="draft: bodies the text names (for preparedBy, adoptedBy, responsible):\n"
                + "\n".join(named), indent=4)
        self.mark(doc, status_found, "; " + translate("importing.draft_status_note", self.lang))
        groups: dict[str, list[DraftNode]] = {}
        for node in plan.nodes:
            groups.setdefault(_CHILD_KEYS.get(node.kind, "initiatives"), []).append(node)
        for node in plan.nodes:
            if node.kind in ("Mission", "Vision"):
                doc[node.kind.lower()] = self.node(node)
        bearings = self.proposed_bearings()
        if bearings:
            groups.setdefault("focusAreas", [])
        for key in ("focusAreas", "goals", "successCriteria", "initiatives"):
            items = [self.node(n) for n in groups.get(key, []) if n.kind not in ("Mission", "Vision")]
            if key == "focusAreas":
                items = bearings + items
            if items:
                doc[key] = CommentedSeq(items)
        if plan.budget_lines:
            doc["budgetLines"] = CommentedSeq(self.node(n) for n in plan.budget_lines)
        if plan.totals:
            doc["statedTotals"] = CommentedSeq(self.total(t) for t in plan.totals)
        return doc

    def proposed_bearings(self) -> list[CommentedMap]:
        """Groups of a table (`Pejlemærke 2: Uddannelse`) that match no known bearing, as new bearings."""
        out = []
        for node in self.plan.all_nodes():
            bearing = node.under_bearing
            if bearing is not None and bearing.new and bearing.label not in self.bearings:
                self.bearings[bearing.label] = self.node_id(bearing.label, "Bearing")
                mapping = CommentedMap(id=self.bearings[bearing.label], type="Bearing")
                mapping["documentTerm"] = _flow(da="pejlemærke", en="bearing")
                mapping["label"] = _text(bearing.label.split(":", 1)[-1].strip() or bearing.label)
                mapping["source"] = self.source(Found(node.found.place, bearing.label, 0.5, Reason("table_line")))
                mapping.yaml_add_eol_comment("draft: proposed bearing: no adopted policy has one by this name", "id")
                out.append(mapping)
        return out

    def bearing_id(self, match: Match | None) -> str | None:
        if match is None:
            return None
        return self.bearings.get(match.label) if match.new else match.id

    # ------------------------------------------------------------------------------------- a node
    def node(self, node: DraftNode) -> CommentedMap:
        mapping = CommentedMap()
        mapping["id"] = self.node_id(node.label, node.kind)
        mapping["type"] = node.kind
        if node.term:
            mapping["documentTerm"] = _flow(**{"da": node.term, **({"en": _TERMS_EN[node.term]}
                                                                  if node.term in _TERMS_EN else {})})
        if node.notation:
            mapping["notation"] = node.notation
        mapping["label"] = _text(node.label)
        if node.description:
            mapping["description"] = _text(node.description)
        bearing = self.bearing_id(node.under_bearing)
        if bearing and node.kind == "FocusArea":
            mapping["underBearing"] = bearing
        if bearing and node.kind == "Initiative":
            mapping["supports"] = [bearing]
        self.links(mapping, node)
        if node.deadline is not None and node.kind in ("Goal", "SuccessCriterion"):
            if node.deadline.date is not None:
                mapping["deadline"] = node.deadline.date
            else:
                mapping["deadlineYear"] = node.deadline.year
        if node.budget:
            mapping["budget"] = CommentedSeq(_flow(year=b.year, amount=as_yaml_number(b.amount), currency=b.unit.currency,
                                                   unitMultiplier=b.unit.multiplier, perYear=True) for b in node.budget)
        if node.evidence_based:
            mapping["evidenceBased"] = True
        mapping["source"] = self.source(node.found)
        self.mark(mapping, node.found)
        children: dict[str, list[DraftNode]] = {}
        for child in node.children:
            children.setdefault(_CHILD_KEYS.get(child.kind, "initiatives"), []).append(child)
        for key, items in children.items():
            mapping[key] = CommentedSeq(self.node(child) for child in items)
        return mapping

    def links(self, mapping: CommentedMap, node: DraftNode) -> None:
        """Target groups, sizes, themes and responsible bodies; proposed new groups become nodes."""
        groups = [self.concept(m) for m in node.target_groups]
        if groups:
            mapping["targetGroups"] = groups
        if node.themes:
            mapping["themes"] = [m.id for m in node.themes]
        if node.sizes and groups:
            mapping["targetGroupSizes"] = CommentedSeq(
                _flow(type="TargetGroupSize", group=groups[0], annualSize=s.size,
                      **({"sizeQualifier": s.qualifier} if s.qualifier else {}), asStated=_text(s.as_stated))
                for s in node.sizes)
        if node.responsible:
            mapping["responsible"] = [m.id for m in node.responsible]

    def concept(self, match: Match) -> str:
        if match.new and match.id not in self.proposed:
            concept = CommentedMap(id=match.id, type=["Concept", "TargetGroup"], inScheme="tg")
            concept["label"] = _text(match.label)
            concept["source"] = _flow(document=self.source_id, at=translate("importing.place.target_group_column", self.lang),
                                      quote=match.label)
            concept.yaml_add_eol_comment("draft: proposed target group: no known one by this name", "id")
            self.proposed[match.id] = concept
        return match.id

    def total(self, total) -> CommentedMap:
        target = self.bearing_id(total.bearing) if total.bearing is not None else self.plan_id
        return _flow(type="StatedTotal", totalFor=target or self.plan_id, year=total.year,
                     amount=as_yaml_number(Decimal(total.amount)), currency=total.unit.currency,
                     unitMultiplier=total.unit.multiplier, **({"perYear": True} if total.per_year else {}),
                     source=self.source(total.found))

    # ----------------------------------------------------------------------------------- the file
    def text(self) -> str:
        document = self.document()
        source = CommentedMap(id=self.source_id, type="SourceDocument", fileName=self.source_file.name)
        source["title"] = _text(self.plan.title)
        graph = CommentedSeq([source, document] + list(self.proposed.values()))
        root = CommentedMap(graph=graph)
        root.yaml_set_start_comment(
            f"Draft imported from {self.source_file.name} by `policygraph import`. Loaded nowhere until a person\n"
            "has reviewed it: check each node against its source, correct ids and labels, add English labels,\n"
            "and move the file into the data folder. '# draft: confidence' after an id says how sure the\n"
            "importer was (0.90: read from a table cell or a level word; lower: inferred or guessed).")
        yaml = YAML(typ="rt")
        yaml.width = 4096  # one line per field: long quotes wrapped mid-line are hard to review
        yaml.indent(mapping=2, sequence=4, offset=2)
        out = io.StringIO()
        yaml.dump(root, out)
        return out.getvalue()


def draft_text(plan: DraftPlan, source_file: Path, municipality: str | None = None) -> str:
    """The draft YAML for a plan read from source_file."""
    return DraftWriter(plan, Path(source_file), municipality).text()
