"""What the review page shows of a draft, and the reviewer's edits, on the draft's YAML text.

The draft is read with ruamel.yaml's round trip, so the importer's `# draft: confidence 0.90 (why)`
comments (draft.py in loaders/importing) are read where they stand and every edit keeps the rest of
the file (sources, comments, key order) as the importer wrote it. Nodes are named by their `id`,
which the importer makes unique within a draft.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Iterator

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from graph.pipeline.drafts import DraftRefused
from loaders.importing.reading import Place
from loaders.importing.wording import shown_reason

CHILD_KEYS = ("focusAreas", "goals", "successCriteria", "initiatives", "budgetLines")
LOW_CONFIDENCE = 0.7
_CONFIDENCE = re.compile(r"draft: confidence ([0-9.]+) \((.*?)\)(.*)$")
_DANISH_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$")
# Facts and links the reviewer may set on a node, with what a value is: `ids` a list of ids (target
# groups, themes ...), `id` one id (what a plan implements, replaces or continues), `status` one of
# STATUSES, `year` a year. The save checks every id against the store (dangling links are refused).
FIELDS = {"targetGroups": "ids", "themes": "ids", "responsible": "ids", "supports": "ids", "continues": "id",
          "replaces": "id", "implements": "id", "adoptedBy": "id", "status": "status", "adoptedInYear": "year",
          "sizeGroup": "id"}
PLAN_FIELDS = ("status", "adoptedBy", "adoptedInYear", "implements", "replaces")
NODE_FIELDS = ("targetGroups", "sizeGroup", "themes", "responsible", "supports", "continues")
STATUSES = ("Draft", "Proposed", "Planned", "Adopted", "Expired")
_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*(?:/[a-z0-9][a-z0-9_.-]*)+$")


@dataclass
class ReviewNode:
    """One node of the draft as the reviewer sees it."""

    id: str
    kind: str
    label: str
    confidence: float | None
    why: str
    proposed: bool
    place: str
    quote: str
    budget: list[dict[str, Any]] = field(default_factory=list)
    sizes: list[str] = field(default_factory=list)
    children: list["ReviewNode"] = field(default_factory=list)
    block: int | None = None
    term: str = ""  # the document's own word for the node's level (indsatsområde, pejlemærke ...)
    label_en: str = ""
    fields: dict[str, str] = field(default_factory=dict)  # the links and facts the reviewer may set, as text
    place_text: str = ""  # the place in the reader's language (`place` is as the draft writes it)

    @property
    def low(self) -> bool:
        return self.confidence is not None and self.confidence < LOW_CONFIDENCE

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.kind, "label": self.label, "confidence": self.confidence,
                "why": self.why, "low": self.low, "proposed": self.proposed, "place": self.place,
                "quote": self.quote, "term": self.term, "block": self.block, "budget": self.budget, "sizes": self.sizes,
                "label_en": self.label_en, "fields": self.fields, "place_text": self.place_text or self.place,
                "children": [child.as_json() for child in self.children]}


def _yaml() -> YAML:
    yaml = YAML()
    yaml.width = 4096  # a long quote stays on its line, as the importer wrote it
    yaml.indent(mapping=2, sequence=4, offset=2)  # as loaders/importing/draft.py writes it
    yaml.preserve_quotes = True
    return yaml


def parse(text: str) -> CommentedMap:
    return _yaml().load(text)


def dump(document: CommentedMap) -> str:
    out = io.StringIO()
    _yaml().dump(document, out)
    return out.getvalue()


def _comment(mapping: CommentedMap) -> str:
    entry = mapping.ca.items.get("id") if hasattr(mapping, "ca") else None
    token = entry[2] if entry and len(entry) > 2 else None
    return token.value.strip().lstrip("#").strip() if token is not None else ""


def _text_of(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("da") or value.get("en") or next(iter(value.values()), ""))
    return "" if value is None else str(value)


def _field_values(mapping: CommentedMap) -> dict[str, str]:
    """The fields the reviewer may set on this node (a plan's, an initiative's), each as its text now."""
    if "title" in mapping:
        names: tuple[str, ...] = PLAN_FIELDS
    elif mapping.get("type") in ("Initiative", "ReservedFund"):
        names = tuple(n for n in NODE_FIELDS if n != "sizeGroup" or mapping.get("targetGroupSizes"))
    else:
        return {}
    values = {}
    for name in names:
        if name == "sizeGroup":
            value: Any = next((s.get("group") for s in mapping["targetGroupSizes"] if isinstance(s, dict)), "")
        else:
            value = mapping.get(name, "")
        values[name] = " ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    return values


def _node(mapping: CommentedMap) -> ReviewNode:
    comment = _comment(mapping)
    found = _CONFIDENCE.search(comment)
    source = mapping.get("source") or {}
    budget = [{"year": int(b.get("year")), "amount": str(b.get("amount")), "unit": int(b.get("unitMultiplier") or 1)}
              for b in mapping.get("budget") or [] if isinstance(b, dict) and b.get("year") is not None]
    sizes = [f"{s.get('annualSize')}" + (f" ({_text_of(s.get('asStated'))})" if s.get("asStated") else "")
             for s in mapping.get("targetGroupSizes") or [] if isinstance(s, dict)]
    return ReviewNode(id=str(mapping["id"]), kind=str(mapping.get("type", "")),
                      label=_text_of(mapping.get("label") or mapping.get("title") or mapping.get("prefLabel")),
                      confidence=float(found.group(1)) if found else None, why=found.group(2) if found else "",
                      proposed="proposed" in comment, place=str(source.get("at", "")) if isinstance(source, dict) else "",
                      quote=str(source.get("quote", "")) if isinstance(source, dict) else "", budget=budget, sizes=sizes,
                      term=_text_of(mapping.get("documentTerm")), fields=_field_values(mapping),
                      label_en=str((mapping.get("label") or mapping.get("title") or {}).get("en", ""))
                      if isinstance(mapping.get("label") or mapping.get("title"), dict) else "",
                      children=[_node(child) for key in CHILD_KEYS for child in mapping.get(key) or []
                                if isinstance(child, CommentedMap) and "id" in child])


def review_nodes(text: str, blocks: list[dict[str, Any]], lang: str = "en") -> list[ReviewNode]:
    """The draft's top-level nodes (the plan with its tree, proposed concepts), each tied to the block
    of the source it names, its place and reason in the reader's language; the file's own
    SourceDocument is the source pane, not a node."""
    document = parse(text)
    nodes = [_node(m) for m in document.get("graph") or []
             if isinstance(m, CommentedMap) and "id" in m and m.get("type") != "SourceDocument"]
    for node in walk(nodes):
        node.block = find_block(node, blocks)
        node.place_text = _place_in(node.place, blocks, lang)
        node.why = shown_reason(node.why, lang) if node.why else ""
    return nodes


def _place_in(place: str, blocks: list[dict[str, Any]], lang: str) -> str:
    """The place a draft names (in the document's words) in the reader's language, from the place
    source.json keeps beside it; as written when it is not a block's (a proposed concept, an older draft)."""
    for block in blocks:
        if place in block["places"] and len(block.get("where") or []) == len(block["places"]):
            return Place.from_json(block["where"][block["places"].index(place)]).describe(lang) or place
    return place


def shown_blocks(blocks: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """The source pane's blocks, each with its first place in the reader's language."""
    return [{**block, "place_text": _place_in(block["places"][0], [block], lang) if block["places"] else ""}
            for block in blocks]


def walk(nodes: list[ReviewNode]) -> Iterator[ReviewNode]:
    for node in nodes:
        yield node
        yield from walk(node.children)


def find_block(node: ReviewNode, blocks: list[dict[str, Any]]) -> int | None:
    """The block whose place the node names, else the first holding the start of its quote."""
    if node.place:
        for block in blocks:
            if node.place in block["places"]:
                return block["n"]
    start = node.quote.split(" | ")[0][:60].removesuffix(" ...")
    if start and start != "-":
        for block in blocks:
            if start in block["text"] or any(start in cell for cell in block["cells"]):
                return block["n"]
    return None


def plan_id(text: str) -> str:
    """The id of the plan the draft describes: its first `doc/` node, else its first node with a title."""
    items = [m for m in parse(text).get("graph") or [] if isinstance(m, CommentedMap) and "id" in m]
    found = next((m for m in items if str(m["id"]).startswith("doc/")), None) or \
        next((m for m in items if "title" in m and m.get("type") != "SourceDocument"), None)
    if found is None:
        raise DraftRefused("the draft names no plan")
    return str(found["id"])


# ------------------------------------------------------------------------------------------- edits
def _find(items: Any, node_id: str) -> tuple[CommentedSeq, int] | None:
    """(the list holding the node, its index), searched through the tree."""
    if not isinstance(items, list):
        return None
    for index, item in enumerate(items):
        if not isinstance(item, CommentedMap):
            continue
        if str(item.get("id")) == node_id:
            return items, index
        for key in CHILD_KEYS:
            found = _find(item.get(key), node_id)
            if found:
                return found
    return None


def _located(document: CommentedMap, node_id: str) -> tuple[CommentedSeq, int]:
    found = _find(document.get("graph"), node_id)
    if found is None:
        raise DraftRefused(f"no node '{node_id[:80]}' in the draft")
    return found


def amount(text: str) -> int | Decimal:
    """An amount as a person types it: `3300`, `3.300` (Danish thousands), `2,5` or `2.5`."""
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    if _DANISH_THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(".", "")
    try:
        value = Decimal(cleaned.replace(",", "."))
    except InvalidOperation:
        raise DraftRefused(f"'{text[:40]}' is not an amount") from None
    if not value.is_finite() or value < 0 or value > Decimal(10) ** 12:
        raise DraftRefused(f"'{text[:40]}' is not an amount") from None
    return int(value) if value == value.to_integral_value() else value


def change(text: str, node_id: str, label: str | None, amounts: dict[int, str], label_en: str | None = None) -> str:
    """A new label (Danish, as the document writes it), its English label (a document seldom has one;
    an empty field leaves it out) and yearly amounts in the budget's own unit."""
    document = parse(text)
    items, index = _located(document, node_id)
    node = items[index]
    key = "label" if "label" in node or "title" not in node else "title"
    if label is not None:
        label = " ".join(label.split())
        if not label:
            raise DraftRefused("a label cannot be empty")
        _set_text(node, key, "da", label)
    if label_en is not None:
        label_en = " ".join(label_en.split())
        if label_en:
            _set_text(node, key, "en", label_en[:500])
        elif isinstance(node.get(key), dict):
            node[key].pop("en", None)
    lines = {int(b["year"]): b for b in node.get("budget") or [] if isinstance(b, dict) and "year" in b}
    for year, typed in amounts.items():
        if year not in lines:
            raise DraftRefused(f"no budget line for {year}")
        value = amount(typed)
        lines[year]["amount"] = float(value) if isinstance(value, Decimal) else value
    return dump(document)


def _set_text(node: CommentedMap, key: str, lang: str, value: str) -> None:
    if not isinstance(node.get(key), dict):
        node[key] = CommentedMap()
        node[key].fa.set_flow_style()
    node[key][lang] = value



def _ids(value: str) -> list[str]:
    ids = [part for part in re.split(r"[\s,;]+", value.strip()) if part]
    bad = next((i for i in ids if not _ID.match(i)), None)
    if bad is not None:
        raise DraftRefused(f"'{bad[:80]}' is not an id (such as tg/unge or doc/koebenhavn/plan)")
    return list(dict.fromkeys(ids))


def set_field(text: str, node_id: str, name: str, value: str) -> str:
    """Set (or, with an empty value, remove) a fact or link the document does not state: the target
    groups of an initiative, what a plan implements or replaces, what an initiative continues, the
    plan's status and adoption. A list field is replaced as a whole, so what is shown is what is saved."""
    kind = FIELDS.get(name)
    if kind is None:
        raise DraftRefused(f"'{name[:40]}' cannot be set here")
    document = parse(text)
    items, index = _located(document, node_id)
    node = items[index]
    value = (value or "").strip()
    if not value and name != "sizeGroup":
        node.pop(name, None)
        return dump(document)
    if name == "sizeGroup":  # the group a stated size counts (`Min. 30 kvinder`), on each size of the node
        group = _ids(value)
        sizes = [s for s in node.get("targetGroupSizes") or [] if isinstance(s, dict)]
        if len(group) != 1 or not sizes:
            raise DraftRefused("the group of a size takes one id, on a node with a stated size")
        for size in sizes:
            size["group"] = group[0]
    elif kind == "status":
        if value not in STATUSES:
            raise DraftRefused(f"'{value[:40]}' is no status (" + ", ".join(STATUSES) + ")")
        node[name] = value
    elif kind == "year":
        if not re.fullmatch(r"(19|20)\d\d", value):
            raise DraftRefused(f"'{value[:40]}' is not a year")
        node[name] = int(value)
    elif kind == "id":
        ids = _ids(value)
        if len(ids) != 1:
            raise DraftRefused(f"{name} takes one id")
        node[name] = ids[0]
    else:
        node[name] = CommentedSeq(_ids(value))
    return dump(document)


def set_fields(text: str, node_id: str, values: dict[str, str]) -> str:
    """The review form's fields for one node: each one whose text differs from the draft's is set."""
    now = next((n.fields for n in walk(review_nodes(text, [])) if n.id == node_id), None)
    if now is None:
        raise DraftRefused(f"no node '{node_id[:80]}' in the draft")
    for name, value in values.items():
        if name in now and " ".join(value.split()) != now[name]:
            text = set_field(text, node_id, name, value)
    return text


def rename(text: str, node_id: str, new_id: str) -> str:
    """Give a node the id it should have (the plan `doc/koebenhavn/x-2017-18` that other plans name);
    renaming the plan moves the ids below it along, and every mention in the draft follows."""
    new_id = (new_id or "").strip()
    if not _ID.match(new_id):
        raise DraftRefused(f"'{new_id[:80]}' is not an id (such as doc/koebenhavn/integrationshandleplan-2017-18)")
    document = parse(text)
    _located(document, node_id)
    if new_id != node_id and _find(document.get("graph"), new_id) is not None:
        raise DraftRefused(f"'{new_id[:80]}' is already an id in the draft")

    def renamed(value: Any) -> Any:
        if isinstance(value, str) and (value == node_id or value.startswith(node_id + "/")):
            return new_id + value[len(node_id):]
        return value

    def walk_values(container: Any) -> None:
        pairs = container.items() if isinstance(container, dict) else enumerate(container)
        for key, value in list(pairs):
            if isinstance(value, (dict, list)):
                walk_values(value)
            else:
                container[key] = renamed(value)

    walk_values(document)
    return dump(document)


def accept(text: str, node_id: str) -> str:
    """Accepted by the reviewer: the importer's doubt (the `# draft:` comment) goes."""
    document = parse(text)
    items, index = _located(document, node_id)
    items[index].ca.items.pop("id", None)
    return dump(document)


def drop(text: str, node_id: str) -> str:
    """The node goes with everything below it; the plan itself cannot be dropped, only not saved."""
    document = parse(text)
    if node_id == plan_id(text):
        raise DraftRefused("the plan itself cannot be dropped")
    items, index = _located(document, node_id)
    del items[index]
    return dump(document)
